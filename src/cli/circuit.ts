/**
 * `depthlab circuit …` — inspect, evaluate and convert circuit files
 * (depthlab JSON or ISCAS .bench, chosen by extension or content).
 */
import type { Command } from 'commander';
import {
  analyzeStructure,
  BitslicedEvaluator,
  type BitslicedBackend,
  type Circuit,
  evaluate,
  formatCircuit,
  readCircuitFile,
  simplify,
  writeCircuitFile,
} from '../circuits/index.js';
import { choiceFlag, integerFlag } from './_internals/parse.js';
import { log, printJson, printLines, sci, table } from './_internals/output.js';
import { progress } from './_internals/progress.js';
import { UsageError } from './_internals/UsageError.js';

const FORMATS = ['json', 'bench'] as const;
const BACKENDS = ['auto', 'wasm-simd', 'js'] as const;

export function registerCircuitCommands(program: Command): void {
  const circuit = program.command('circuit').description('inspect, evaluate and convert Boolean circuits (.json or ISCAS .bench)');

  circuit
    .command('info')
    .description('inputs, outputs, size, depth, gate counts, fan-in/out and class of a circuit')
    .argument('<file>', 'circuit file (.json or .bench)')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { json?: boolean }) => {
      const c = await readCircuitFile(file);
      const s = analyzeStructure(c);
      if (opts.json) return printJson({ file, ...s });
      const counts = Object.entries(s.gateCounts).map(([k, v]) => `${k} ${v}`).join(', ');
      const deepest = [...s.outputDepths].sort((a, b) => b.depth - a.depth).slice(0, 8).map((o) => `${o.name}:${o.depth}`).join(' ');
      printLines([
        `${s.name ?? file}`,
        ...table(['', ''], [
          ['inputs', String(s.inputs)],
          ['outputs', String(s.outputs)],
          ['gates', `${s.size}${counts ? `  (${counts})` : ''}`],
          ...(s.constants > 0 ? [['constants', String(s.constants)]] : []),
          ['wires', String(s.wires)],
          ['depth', `${s.depth}  (per output, deepest first: ${deepest}${s.outputs > 8 ? ' …' : ''})`],
          ['fan-in', `${s.fanIn.min}..${s.fanIn.max}, mean ${s.fanIn.mean.toFixed(2)}`],
          ['fan-out', `${s.fanOut.min}..${s.fanOut.max}, mean ${s.fanOut.mean.toFixed(2)}`],
          ['formula', s.isFormula ? 'yes (every gate feeds one place)' : 'no'],
          ['class', s.classLabel],
        ]).map((l) => `  ${l}`),
      ]);
    });

  circuit
    .command('eval')
    .description('evaluate on one input (--input BITS) or on N random inputs, bit-sliced (--random N --seed S)')
    .argument('<file>', 'circuit file (.json or .bench)')
    .option('--input <bits>', 'input bits in input declaration order, e.g. 0110 (spaces, commas and _ are ignored)')
    .option('--random <n>', 'evaluate N uniformly random inputs (e.g. 1000000 or 2^20)', integerFlag('--random', 1, 2 ** 40))
    .option('--seed <s>', 'seed for --random', integerFlag('--seed', -(2 ** 31), 2 ** 31 - 1), 0)
    .option('--backend <b>', `bit-sliced kernel: ${BACKENDS.join(', ')}`, choiceFlag('--backend', BACKENDS), 'auto')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { input?: string; random?: number; seed: number; backend: BitslicedBackend; json?: boolean }) => {
      if ((opts.input === undefined) === (opts.random === undefined)) {
        throw new UsageError('give exactly one of --input BITS (one input) or --random N (N random inputs)');
      }
      const c = await readCircuitFile(file);
      if (opts.input !== undefined) return evalOne(c, opts.input, opts.json === true);
      return evalRandom(c, opts.random!, opts.seed, opts.backend, opts.json === true);
    });

  circuit
    .command('convert')
    .description('convert between depthlab JSON and ISCAS .bench')
    .argument('<file>', 'circuit file (.json or .bench)')
    .requiredOption('--to <format>', `target format: ${FORMATS.join(', ')}`, choiceFlag('--to', FORMATS))
    .option('--out <file>', 'write here (atomically) instead of stdout')
    .option('--strict', 'for .bench: refuse gates ISCAS has no name for (MAJ, THR, MOD, constants) instead of writing the depthlab extension')
    .action(async (file: string, opts: { to: (typeof FORMATS)[number]; out?: string; strict?: boolean }) => {
      const c = await readCircuitFile(file);
      const options = { strict: opts.strict === true };
      if (opts.out === undefined) return void process.stdout.write(formatCircuit(c, opts.to, options));
      await writeCircuitFile(opts.out, c, opts.to, options);
      log(`wrote ${opts.out} (${opts.to}, ${c.size} gates)`);
    });

  circuit
    .command('simplify')
    .description('constant propagation, double-negation and dead-gate removal (function preserved)')
    .argument('<file>', 'circuit file (.json or .bench)')
    .option('--to <format>', `output format: ${FORMATS.join(', ')} (default: json)`, choiceFlag('--to', FORMATS), 'json')
    .option('--out <file>', 'write here (atomically) instead of stdout')
    .action(async (file: string, opts: { to: (typeof FORMATS)[number]; out?: string }) => {
      const { circuit: simplified, report } = simplify(await readCircuitFile(file));
      for (const r of report) log(`${r.pass} (round ${r.round}): ${r.sizeBefore} -> ${r.sizeAfter} gates`);
      if (opts.out === undefined) return void process.stdout.write(formatCircuit(simplified, opts.to));
      await writeCircuitFile(opts.out, simplified, opts.to);
      log(`wrote ${opts.out} (${opts.to}, ${simplified.size} gates)`);
    });
}

function parseBits(raw: string, width: number): boolean[] {
  const bits = raw.replace(/[\s,_]/g, '');
  if (!/^[01]*$/.test(bits)) throw new UsageError(`--input must be a string of 0s and 1s, got ${JSON.stringify(raw)}`);
  if (bits.length !== width) {
    throw new UsageError(`--input has ${bits.length} bits but the circuit has ${width} inputs; give one bit per input, in declaration order`);
  }
  return [...bits].map((b) => b === '1');
}

function evalOne(c: Circuit, raw: string, json: boolean): void {
  const input = parseBits(raw, c.inputs.length);
  const out = evaluate(c, input);
  const bits = Array.from(out).join('');
  if (json) {
    return printJson({ input: input.map(Number).join(''), output: bits, outputs: Object.fromEntries(c.outputs.map((o, i) => [o.name, out[i]])) });
  }
  printLines([...table(['output', 'value'], c.outputs.map((o, i) => [o.name, out[i]!])), `bits  ${bits}`]);
}

function evalRandom(c: Circuit, vectors: number, seed: number, backend: BitslicedBackend, json: boolean): void {
  const t0 = performance.now();
  const ev = BitslicedEvaluator.compile(c, { backend });
  const t1 = performance.now();
  const bar = progress('evaluating', vectors);
  const ones = ev.countOnesRandom(vectors, seed, (done) => bar.update(done));
  bar.stop();
  const seconds = (performance.now() - t1) / 1000;
  const compileMs = t1 - t0;
  const rate = (c.size * vectors) / seconds;
  const result = {
    vectors,
    seed,
    backend: ev.backend,
    gates: c.size,
    compile_ms: Math.round(compileMs * 10) / 10,
    seconds: Math.round(seconds * 1e4) / 1e4,
    gate_evals_per_s: Number(rate.toPrecision(4)),
    vectors_per_s: Number((vectors / seconds).toPrecision(4)),
    ones: Object.fromEntries(c.outputs.map((o, i) => [o.name, ones[i]])),
  };
  if (json) return printJson(result);
  printLines([
    ...table(['output', 'ones', 'fraction'], c.outputs.map((o, i) => [o.name, ones[i]!, (ones[i]! / vectors).toFixed(4)])),
    `${vectors} random inputs (seed ${seed}), ${ev.backend} kernel: ${(seconds * 1000).toFixed(1)} ms (input generation included) + ${compileMs.toFixed(1)} ms compile, ${sci(rate)} gate-evals/s`,
  ]);
}
