// bench/task-gen — task-suite generation throughput: S5 word-problem examples of
// length 64 with their traces (prefix products), generated, split by hash and
// written as JSONL by the same code path as `depthlab tasks generate`.
// Metric: tokens written per second, a token being one symbol of input, trace
// or answer (64 + 64 + 1 per example). No peer: nothing else generates this.
// Options: --examples N (default 50000), --repeats R (default 3).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tasks } from '../../dist/circuits/index.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const examples = opt('--examples', 50000);
const repeats = opt('--repeats', 3);
const depth = 64;
const task = tasks.findTask('s5');
const tokensPerExample = 2 * depth + 1;

let best = Infinity;
let genBest = Infinity;
for (let r = 0; r < repeats; r++) {
  const dir = mkdtempSync(join(tmpdir(), 'depthlab-taskgen-'));
  try {
    const t0 = performance.now();
    const suite = tasks.generateSuite({ task, depths: [depth], nTrain: examples, nTest: 0, seed: r });
    const t1 = performance.now();
    await tasks.writeSuite(suite, join(dir, 'suite'), { generatorVersion: 'bench' });
    const t2 = performance.now();
    best = Math.min(best, (t2 - t0) / 1000);
    genBest = Math.min(genBest, (t1 - t0) / 1000);
    console.error(`run ${r + 1}: generate ${(t1 - t0).toFixed(0)} ms, write ${(t2 - t1).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const rate = (examples * tokensPerExample) / best;
console.log(`${examples} S5 examples of length ${depth}: ${(examples / best).toFixed(0)} examples/s end to end, ${(examples / genBest).toFixed(0)} examples/s generation alone`);
console.log(JSON.stringify({ bench: 'task-gen', metric: 'tokens_written_per_s', value: Number(rate.toPrecision(4)), unit: 'tokens/s', peer: null, peer_value: null, ratio: null }));
