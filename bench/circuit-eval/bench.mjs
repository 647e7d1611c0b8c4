// bench/circuit-eval — bit-sliced evaluation throughput in gate-evaluations/s
// (gates × input vectors / second) on one core.
//
// Workload (issue 2): a random layered circuit of 10,000 gates (AND/OR/NOT/MAJ-3,
// 100 layers × 100, extra fan-in from any earlier layer, every sink an output)
// over 64 inputs, evaluated on 2^20 random input vectors; ones per output counted.
// Peer: numpy_peer.py, a numpy uint64 bit-sliced evaluator of the same circuit
// on the same inputs (its counts must equal ours, or the bench fails).
// Options: --vectors N (default 1048576, multiple of 64), --repeats R (default 5), --no-peer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BitslicedEvaluator, RandomLanes, randomLayeredCircuit } from '../../dist/circuits/index.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const vectors = opt('--vectors', 1 << 20);
const repeats = opt('--repeats', 5);
const withPeer = !args.includes('--no-peer');
if (!Number.isSafeInteger(vectors) || vectors <= 0 || vectors % 64 !== 0) {
  console.error(`circuit-eval: --vectors must be a positive multiple of 64, got ${vectors}`);
  process.exit(2);
}

const circuit = randomLayeredCircuit({ inputs: 64, width: 100, depth: 100, seed: 1 });
const gates = circuit.size;
const inputs = RandomLanes.generate(64, vectors, 7);
console.error(`circuit: ${gates} gates, ${circuit.inputs.length} inputs, ${circuit.outputs.length} outputs; ${vectors} vectors`);

function measure(backend) {
  const t0 = performance.now();
  const ev = BitslicedEvaluator.compile(circuit, { backend });
  const compileMs = performance.now() - t0;
  // V8 runs new WebAssembly in its baseline tier and optimises it in the
  // background: warm up for at least two seconds (and two runs) before timing.
  let counts = ev.countOnes(inputs, vectors);
  for (let w = performance.now(), r = 1; r < 2 || performance.now() - w < 2000; r++) counts = ev.countOnes(inputs, vectors);
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    counts = ev.countOnes(inputs, vectors);
    times.push((performance.now() - t) / 1000);
  }
  const best = Math.min(...times);
  const rate = (gates * vectors) / best;
  console.error(`${backend.padEnd(9)} compile ${compileMs.toFixed(0)} ms; block ${ev.blockWords} words; ${ev.program.numSlots} slots; ` +
    `best ${(best * 1000).toFixed(1)} ms of ${repeats}; ${rate.toExponential(2)} gate-evals/s`);
  return { rate, counts };
}

const wasm = measure('wasm-simd');
const js = measure('js');
if (JSON.stringify(wasm.counts) !== JSON.stringify(js.counts)) {
  console.error('circuit-eval: wasm-simd and js kernels disagree; this is a bug');
  process.exit(1);
}

let peer = null;
let peerValue = null;
if (withPeer) {
  const dir = mkdtempSync(join(tmpdir(), 'depthlab-bench-'));
  try {
    writeFileSync(join(dir, 'circuit.json'), JSON.stringify(circuit.toDescription()));
    const buf = Buffer.concat(inputs.map((lane) => Buffer.from(lane.buffer, lane.byteOffset, lane.byteLength)));
    writeFileSync(join(dir, 'inputs.bin'), buf);
    const script = join(dirname(fileURLToPath(import.meta.url)), 'numpy_peer.py');
    const r = spawnSync('python3', [script, join(dir, 'circuit.json'), join(dir, 'inputs.bin'), String(vectors), String(repeats)], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`circuit-eval: numpy peer failed (is python3 with numpy >= 2 installed?): ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
    } else {
      const out = JSON.parse(r.stdout.trim().split('\n').pop());
      if (JSON.stringify(out.counts) !== JSON.stringify(wasm.counts)) {
        console.error('circuit-eval: numpy peer counts differ from depthlab counts; the comparison is void');
        process.exit(1);
      }
      peer = `numpy ${out.numpy} uint64 bit-sliced`;
      peerValue = (gates * vectors) / out.seconds;
      console.error(`numpy     block ${out.block_words} uint64 words; best ${(out.seconds * 1000).toFixed(1)} ms of ${repeats}; ${peerValue.toExponential(2)} gate-evals/s (counts agree)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`js kernel (plain Uint32Array, blocked): ${js.rate.toExponential(3)} gate-evals/s`);
console.log(JSON.stringify({
  bench: 'circuit-eval',
  metric: 'gate_evals_per_s',
  value: Number(wasm.rate.toPrecision(4)),
  unit: 'gate-evals/s',
  peer,
  peer_value: peerValue === null ? null : Number(peerValue.toPrecision(4)),
  ratio: peerValue === null ? null : Number((wasm.rate / peerValue).toFixed(3)),
}));
