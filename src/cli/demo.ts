/**
 * `depthlab demo` — the main job, small: build depthlab's circuit families at
 * growing n, verify each member against its reference function on random
 * inputs with the bit-sliced evaluator, report size and depth as functions of
 * n with the class each family's growth is consistent with, write two task
 * suites — then run the `quick` probe (answer-only vs chain of thought vs
 * masked diffusion on a TC0 and an NC1 task, on the CPU) into DIR/runs.sqlite
 * and write its report to DIR/report. Re-running resumes the probe.
 */
import type { Command } from 'commander';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeStructure, BASES, BitslicedEvaluator, classifyDepthGrowth, findFamily, RandomLanes, tasks, unpackVectors } from '../circuits/index.js';
import { BACKEND_PREFERENCES, type BackendPreference } from '../models/backend/index.js';
import { writeReport } from '../probes/report/writeReport.js';
import type { ProbeSummary } from '../probes/run/index.js';
import { log, printJson, printLines, table } from './_internals/output.js';
import { choiceFlag, integerFlag } from './_internals/parse.js';
import { loadSpec, openStore, runProbeInTerminal } from './_internals/probeRunner.js';
import { readStore, reportSummary } from './report.js';

/** The demo suite: a TC0 task and an NC1 task at a few depths. */
const DEMO_SUITES = [
  { task: 'parity', depths: [10, 14, 18] },
  { task: 's5', depths: [2, 4, 8] },
];

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** One or two families per class, small enough that the demo runs in seconds (depthlab verify covers them all). */
const DEMO_FAMILIES = ['majority', 'parity', 'iterated-addition', 'parity-tree', 'formula', 's5', 'ripple-carry-adder', 'cvp'];

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('verify circuit families and their depth growth, write two task suites, then run the quick training probe and its report')
    .option('--vectors <n>', 'random inputs per member for verification', integerFlag('--vectors', 1, 2 ** 24), 1024)
    .option('--seed <s>', 'seed for the random inputs', integerFlag('--seed', -(2 ** 31), 2 ** 31 - 1), 1)
    .option('--out <dir>', 'where the suites, the run store and the report go', 'depthlab-demo')
    .option('--no-probe', 'skip the training probe (circuits and suites only)')
    .option('--spec <file>', 'run this probe spec instead of the quick preset')
    .option('--workers <n>', 'probe worker processes [one per core]', integerFlag('--workers', 1, 256))
    .option('--backend <b>', `tfjs backend: ${BACKEND_PREFERENCES.join(', ')}`, choiceFlag('--backend', BACKEND_PREFERENCES), 'auto')
    .option('--json', 'print one JSON document')
    .action(async (opts: DemoFlags) => {
      const families = DEMO_FAMILIES.map((name) => findFamily(name)!).map((family) => {
        log(`demo: ${family.name} at n = ${family.sizes.join(', ')}`);
        const members = family.sizes.map((n) => {
          const params = family.params(n);
          const circuit = family.build(params);
          const s = analyzeStructure(circuit);
          return { n, size: s.size, depth: s.depth, basis: s.basis, boundedFanIn: s.boundedFanIn, mismatches: verify(family, params, circuit, opts.vectors, opts.seed) };
        });
        const basis = BASES[Math.max(...members.map((m) => BASES.indexOf(m.basis)))]!;
        const analysis = classifyDepthGrowth(members, basis, members.every((m) => m.boundedFanIn));
        return { family: family.name, summary: family.summary, expected: family.expectedClass, members, growth: analysis.growth, verdict: analysis.classLabel };
      });
      log('demo: generating the task suites');
      const suites = DEMO_SUITES.map(({ task: id, depths }) => {
        const task = tasks.findTask(id)!;
        const suite = tasks.generateSuite({ task, depths, nTrain: 200, nTest: 50, seed: opts.seed });
        const tok = new tasks.Tokenizer(task);
        return {
          suite,
          rows: suite.perDepth.map((d) => ({
            task: id,
            class: task.taskClass,
            depth: d.depth,
            train: d.train.length,
            test: d.test.length,
            distinct_inputs: d.distinctInputs.toString(),
            cot_tokens: tok.encode(d.train[0]!, 'cot').tokens.length,
          })),
        };
      });
      const suitesDir = join(opts.out, 'suites');
      mkdirSync(suitesDir, { recursive: true });
      // The demo owns DIR/suites: a re-run rewrites the same bytes.
      for (const { suite } of suites) await tasks.writeSuite(suite, join(suitesDir, suite.spec.task.id), { generatorVersion: VERSION, force: true });
      log(`demo: wrote ${suites.map(({ suite }) => join(suitesDir, suite.spec.task.id)).join(', ')}`);
      const suiteRows = suites.flatMap((s) => s.rows);
      const failures = families.flatMap((f) => f.members.filter((m) => m.mismatches > 0).map((m) => `${f.family} n=${m.n}`));
      const probe = opts.probe ? await runDemoProbe(opts) : undefined;
      if (opts.json) {
        printJson({
          vectors_per_member: opts.vectors,
          seed: opts.seed,
          families,
          suites: suiteRows,
          ...(probe && { probe: probe.summary, analysis: probe.analysis, report: probe.report }),
        });
      } else {
        const rows = families.flatMap((f) => f.members.map((m) => [f.family, m.n, m.size, m.depth, m.mismatches === 0 ? 'ok' : `${m.mismatches} wrong`]));
        printLines([
          `Circuit families: size and depth against n (each member checked against its reference on ${opts.vectors} random inputs)`,
          '',
          ...table(['family', 'n', 'size', 'depth', 'verified'], rows),
          '',
          'Depth growth:',
          ...families.map((f) => `  ${f.family.padEnd(20)} ${f.verdict}  [designed as: ${f.expected}]`),
          '',
          'Task suites (train and test disjoint by input hash; chain-of-thought sequence length in tokens):',
          '',
          ...table(['task', 'class', 'depth', 'train', 'test', 'distinct inputs', 'cot tokens'], suiteRows.map((r) => [r.task, r.class, r.depth, r.train, r.test, r.distinct_inputs, r.cot_tokens])),
          ...(probe ? ['', `Training probe "${probe.name}" (${probe.summary.total} cells, ${probe.summary.status}, ${Math.round(probe.summary.wallSeconds)} s):`, '', ...probe.lines] : []),
        ]);
      }
      if (probe?.summary.status === 'interrupted') process.exitCode = 130;
      if (failures.length > 0) {
        log(`demo: members disagree with their reference functions: ${failures.join(', ')}`);
        process.exitCode = 1;
      }
    });
}

interface DemoFlags {
  vectors: number;
  seed: number;
  out: string;
  probe: boolean;
  spec?: string;
  workers?: number;
  backend: BackendPreference;
  json?: boolean;
}

/** Runs the quick preset (or --spec) into OUT/runs.sqlite, then writes OUT/report. */
async function runDemoProbe(opts: DemoFlags) {
  const spec = loadSpec(opts.spec, opts.spec === undefined ? 'quick' : undefined);
  log(`demo: training probe "${spec.name ?? opts.spec}" into ${opts.out} (re-running resumes it)`);
  const store = openStore(opts.out);
  let summary: ProbeSummary;
  try {
    summary = await runProbeInTerminal(spec, store, {
      backend: opts.backend,
      checkpointRoot: join(opts.out, 'checkpoints'),
      ...(opts.workers !== undefined && { workers: opts.workers }),
    });
  } finally {
    store.close();
  }
  const reportDir = join(opts.out, 'report');
  const written = await writeReport(readStore(opts.out), reportDir, { tau: spec.evaluation.tau, wallSeconds: summary.wallSeconds });
  const report = join(reportDir, 'report.html');
  log(`demo: report written to ${report}`);
  return { name: spec.name ?? 'probe', summary, analysis: written.analysis, report, lines: reportSummary(written.analysis, report) };
}

/** Number of random inputs on which the circuit differs from the family's reference. */
function verify<P>(family: { reference(p: P, input: readonly boolean[]): boolean[] }, params: P, circuit: import('../circuits/index.js').Circuit, vectors: number, seed: number): number {
  const lanes = RandomLanes.generate(circuit.inputs.length, vectors, seed);
  const outs = BitslicedEvaluator.compile(circuit).run(lanes, vectors);
  const inputs = unpackVectors(lanes, vectors);
  const outputs = unpackVectors(outs, vectors);
  let wrong = 0;
  for (let v = 0; v < vectors; v++) {
    const want = family.reference(params, Array.from(inputs[v]!, Boolean));
    if (want.some((b, o) => Number(b) !== outputs[v]![o])) wrong++;
  }
  return wrong;
}
