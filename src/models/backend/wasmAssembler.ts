/**
 * A tiny WebAssembly assembler: enough of the binary format to build a module
 * of SIMD kernels from JavaScript, with no toolchain (issue 5, "Benchmark").
 * Code is a flat array of bytes; the helpers below build expressions in
 * stack order (operands first, then the opcode), so `add(get(a), i32(4))`
 * reads like the expression it encodes.
 *
 * Encodings follow the WebAssembly 2.0 core specification (binary format):
 * LEB128 immediates, memarg = (alignment exponent, offset), SIMD opcodes as
 * 0xfd followed by a LEB128 u32.
 */

export type Code = number[];

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export function leb(v: number, signed = false): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v = signed ? v >> 7 : v >>> 7;
    const done = signed ? (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0) : v === 0;
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const cat = (...parts: Code[]): Code => {
  const out: Code = [];
  for (const p of parts) for (const b of p) out.push(b);
  return out;
};
export { cat };

const f32Bytes = (x: number): number[] => Array.from(new Uint8Array(new Float32Array([x]).buffer));
const simd = (op: number): Code => [0xfd, ...leb(op)];
const memarg = (align: number, offset: number): Code => [align, ...leb(offset)];

// ---------------------------------------------------------------- locals and constants
export const get = (l: number): Code => [0x20, ...leb(l)];
export const set = (l: number, v: Code): Code => cat(v, [0x21, ...leb(l)]);
export const i32 = (n: number): Code => [0x41, ...leb(n | 0, true)];
export const f32 = (x: number): Code => [0x43, ...f32Bytes(x)];

// ---------------------------------------------------------------- i32
const bin = (op: number) => (a: Code, b: Code): Code => cat(a, b, [op]);
export const add = bin(0x6a);
export const sub = bin(0x6b);
export const mul = bin(0x6c);
export const shl = bin(0x74);
export const and = bin(0x71);
export const ltS = bin(0x48);
export const geS = bin(0x4e);
export const gtS = bin(0x4a);
export const eq = bin(0x46);
/** local l += n (i32). */
export const inc = (l: number, n: Code): Code => set(l, add(get(l), n));

// ---------------------------------------------------------------- f32 scalars
export const fadd = bin(0x92);
export const fsub = bin(0x93);
export const fmul = bin(0x94);
export const fdiv = bin(0x95);
export const fmax = bin(0x97);
export const fne = bin(0x5c);
export const fsqrt = (a: Code): Code => cat(a, [0x91]);
export const fFromI32 = (a: Code): Code => cat(a, [0xb2]);
export const f32load = (addr: Code, offset = 0): Code => cat(addr, [0x2a], memarg(2, offset));
export const f32store = (addr: Code, v: Code, offset = 0): Code => cat(addr, v, [0x38], memarg(2, offset));

// ---------------------------------------------------------------- v128 / f32x4
export const vload = (addr: Code, offset = 0): Code => cat(addr, simd(0x00), memarg(0, offset));
export const vstore = (addr: Code, v: Code, offset = 0): Code => cat(addr, v, simd(0x0b), memarg(0, offset));
/** v128.load32_splat: four copies of the f32 at addr. */
export const vloadSplat = (addr: Code, offset = 0): Code => cat(addr, simd(0x09), memarg(0, offset));
export const vconst = (x: number): Code => cat(simd(0x0c), f32Bytes(x), f32Bytes(x), f32Bytes(x), f32Bytes(x));
export const splat = (a: Code): Code => cat(a, simd(0x13));
const vbin = (op: number) => (a: Code, b: Code): Code => cat(a, b, simd(op));
export const vadd = vbin(0xe4);
export const vsub = vbin(0xe5);
export const vmul = vbin(0xe6);
export const vdiv = vbin(0xe7);
export const vmin = vbin(0xe8);
export const vmax = vbin(0xe9);
export const vge = vbin(0x46);
export const vand = vbin(0x4e);
export const iadd4 = vbin(0xae);
export const vnearest = (a: Code): Code => cat(a, simd(0x6a));
export const truncSat = (a: Code): Code => cat(a, simd(0xf8));
export const ishl4 = (a: Code, n: Code): Code => cat(a, n, simd(0xab));
export const lane = (a: Code, l: number): Code => cat(a, simd(0x1f), [l]);
/** i8x16.shuffle of two f32x4 by f32 lane (0–3: a, 4–7: b). */
export const shuffle = (a: Code, b: Code, lanes: [number, number, number, number]): Code =>
  cat(a, b, simd(0x0d), lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
/** (l0 + l1) + (l2 + l3) of an f32x4 held in local v. */
export const hsum = (v: number): Code => fadd(fadd(lane(get(v), 0), lane(get(v), 1)), fadd(lane(get(v), 2), lane(get(v), 3)));
/** max of the four lanes of an f32x4 held in local v. */
export const hmax = (v: number): Code => fmax(fmax(lane(get(v), 0), lane(get(v), 1)), fmax(lane(get(v), 2), lane(get(v), 3)));

// ---------------------------------------------------------------- control
/** for (l = from; l < to; l += step) body — `to` is re-evaluated each iteration (use a local or constant). */
export const forRange = (l: number, from: Code, to: Code, step: number, body: Code): Code =>
  cat(set(l, from), [0x02, 0x40, 0x03, 0x40], geS(get(l), to), [0x0d, 1], body, inc(l, i32(step)), [0x0c, 0, 0x0b, 0x0b]);
/** if (cond) then [else otherwise]. */
export const ifThen = (cond: Code, then: Code, otherwise?: Code): Code =>
  otherwise === undefined ? cat(cond, [0x04, 0x40], then, [0x0b]) : cat(cond, [0x04, 0x40], then, [0x05], otherwise, [0x0b]);
/** while (cond) body. */
export const whileLoop = (cond: Code, body: Code): Code =>
  cat([0x02, 0x40, 0x03, 0x40], cond, [0x45, 0x0d, 1], body, [0x0c, 0, 0x0b, 0x0b]);

/** One function: its parameter types and the locals it allocates while its body is built. */
export class Func {
  readonly name: string;
  readonly params: number[];
  private readonly locals: number[] = [];

  constructor(name: string, params: number[]) {
    this.name = name;
    this.params = params;
  }

  /** A new local of `type`; returns its index. */
  local(type: number): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** n new locals of `type`. */
  localsOf(type: number, n: number): number[] {
    return Array.from({ length: n }, () => this.local(type));
  }

  /** The encoded body (locals declarations, code, end), size-prefixed. */
  encode(code: Code): number[] {
    const decls: number[] = [];
    let run = 0;
    for (let i = 0; i < this.locals.length; i++) {
      run++;
      if (i === this.locals.length - 1 || this.locals[i + 1] !== this.locals[i]) {
        decls.push(...leb(run), this.locals[i]!);
        run = 0;
      }
    }
    const groups = decls.length / 2;
    const body = cat(leb(groups), decls, code, [0x0b]);
    return cat(leb(body.length), body);
  }
}

/**
 * A module that imports its memory as env.memory (any size) and exports each
 * function, which takes the given parameters and returns nothing.
 */
export function assembleModule(funcs: { func: Func; code: Code }[]): Uint8Array {
  const section = (id: number, bytes: Code): Code => cat([id], leb(bytes.length), bytes);
  const name = (s: string): Code => cat(leb(s.length), Array.from(s, (ch) => ch.charCodeAt(0)));
  const types = cat(leb(funcs.length), ...funcs.map(({ func }) => cat([0x60], leb(func.params.length), func.params, [0])));
  const imports = cat(leb(1), name('env'), name('memory'), [0x02, 0x00, 0x00]);
  const decls = cat(leb(funcs.length), ...funcs.map((_, i) => leb(i)));
  const exports = cat(leb(funcs.length), ...funcs.map(({ func }, i) => cat(name(func.name), [0x00], leb(i))));
  const codes = cat(leb(funcs.length), ...funcs.map(({ func, code }) => func.encode(code)));
  return Uint8Array.from(
    cat([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], section(1, types), section(2, imports), section(3, decls), section(7, exports), section(10, codes)),
  );
}
