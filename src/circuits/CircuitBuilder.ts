/**
 * CircuitBuilder — build circuits in code the way they are written on paper:
 *
 *   const c = new CircuitBuilder('maj3');
 *   const [a, b, d] = c.inputs('x', 3);
 *   c.output('y', c.or(c.and(a, b), c.and(a, d), c.and(b, d)));
 *   const circuit = c.build();
 *
 * Wires are node handles; gates can only read wires that already exist, so a
 * builder can never make a cycle. `build()` validates once more through
 * `Circuit.fromDescription` and returns the immutable circuit.
 */
import { Circuit, type NodeDescription, type OutputDescription } from './Circuit.js';
import { CircuitError } from './CircuitError.js';
import type { GateKind } from './gates.js';

/** A handle on a node of the circuit under construction. */
export interface Wire {
  readonly name: string;
}

export interface GateOptions {
  /** Node name; default an automatic `_N`. */
  readonly name?: string;
  /** THR's k or MOD's m. */
  readonly param?: number;
}

type Wires = readonly (Wire | readonly Wire[])[];

export class CircuitBuilder {
  private readonly inputNames: string[] = [];
  private readonly nodes: NodeDescription[] = [];
  private readonly outs: OutputDescription[] = [];
  private readonly used = new Set<string>();
  private auto = 0;
  private one?: Wire;
  private zero?: Wire;

  constructor(readonly name?: string) {}

  input(name: string): Wire {
    this.claim(name);
    this.inputNames.push(name);
    return { name };
  }

  /** `count` inputs named prefix0, prefix1, … */
  inputs(prefix: string, count: number): Wire[] {
    return Array.from({ length: count }, (_, i) => this.input(`${prefix}${i}`));
  }

  /** The constant true or false (one node each, shared). */
  constant(value: boolean): Wire {
    const cached = value ? this.one : this.zero;
    if (cached !== undefined) return cached;
    const name = this.fresh(value ? 'one' : 'zero');
    this.nodes.push({ type: 'const', name, value });
    const wire = { name };
    if (value) this.one = wire;
    else this.zero = wire;
    return wire;
  }

  /** A gate of any kind; the named helpers below read better. */
  gate(kind: GateKind, inputs: readonly Wire[], options: GateOptions = {}): Wire {
    const name = options.name ?? this.fresh();
    if (options.name !== undefined) this.claim(name);
    const refs = inputs.map((w) => w.name);
    this.nodes.push(options.param === undefined
      ? { type: 'gate', name, gate: kind, inputs: refs }
      : { type: 'gate', name, gate: kind, inputs: refs, param: options.param });
    return { name };
  }

  not(x: Wire): Wire { return this.gate('NOT', [x]); }
  buf(x: Wire): Wire { return this.gate('BUF', [x]); }
  and(...xs: Wires): Wire { return this.gate('AND', xs.flat()); }
  or(...xs: Wires): Wire { return this.gate('OR', xs.flat()); }
  nand(...xs: Wires): Wire { return this.gate('NAND', xs.flat()); }
  nor(...xs: Wires): Wire { return this.gate('NOR', xs.flat()); }
  xor(...xs: Wires): Wire { return this.gate('XOR', xs.flat()); }
  xnor(...xs: Wires): Wire { return this.gate('XNOR', xs.flat()); }
  /** Strict majority: more than half of the inputs true. */
  majority(...xs: Wires): Wire { return this.gate('MAJ', xs.flat()); }
  /** THR(k): at least k of the inputs true. */
  threshold(k: number, xs: readonly Wire[]): Wire { return this.gate('THR', xs, { param: k }); }
  /** MOD(m): the number of true inputs is divisible by m. */
  mod(m: number, xs: readonly Wire[]): Wire { return this.gate('MOD', xs, { param: m }); }

  output(name: string, wire: Wire): this {
    this.outs.push({ name, node: wire.name });
    return this;
  }

  build(): Circuit {
    return Circuit.fromDescription({
      ...(this.name === undefined ? {} : { name: this.name }),
      inputs: this.inputNames,
      nodes: this.nodes,
      outputs: this.outs,
    });
  }

  private claim(name: string): void {
    if (this.used.has(name)) throw new CircuitError('duplicate-name', `"${name}" is declared twice; give every input, constant and gate its own name`, name);
    this.used.add(name);
  }

  private fresh(prefix = ''): string {
    let name: string;
    do name = prefix === '' ? `_${this.auto++}` : `_${prefix}${this.auto++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }
}
