#!/usr/bin/env node
// scripts/gpu-check.mjs — does depthlab reach a GPU on this machine, and how fast?
//
// For each backend asked for (default: webgpu, tensorflow, then wasm as the
// baseline) it runs selectBackend(name) exactly as `--backend name` would,
// then times a square float32 matmul (n × n by n × n, `reps` products per
// timing, after one warm-up round) and checks the product's values. It prints
// one JSON object on stdout:
//   { node, platform, arch, n, reps, results: [
//       { backend, ok: true, reason, seconds, gflops, correct } |
//       { backend, ok: false, error } ] }
// gflops = 2·n³·reps / seconds / 1e9, the median of `rounds` timings. Exit
// code 0 when at least one GPU-capable backend (webgpu, tensorflow) started,
// else 1. Dawn and libtensorflow may log to stderr; stdout is only the JSON.
//
// Run it from the repository root after a build:
//   npm ci && npm run build && node scripts/gpu-check.mjs
//   node scripts/gpu-check.mjs --backends webgpu --n 2048 --reps 20 --rounds 5
// webgpu needs the optional packages 'webgpu' and '@tensorflow/tfjs-backend-webgpu'
// (skipped by npm ci --omit=optional), and on Linux libvulkan1 plus a GPU
// driver with Vulkan support (NVIDIA: the driver's Vulkan ICD; check with
// `vulkaninfo --summary`). tensorflow needs '@tensorflow/tfjs-node-gpu' (CUDA)
// or '@tensorflow/tfjs-node', whose install downloads libtensorflow: install
// it with internet access (npm rebuild @tensorflow/tfjs-node-gpu).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'models', 'backend', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write(`gpu-check: ${entry} is missing; run \`npm run build\` first\n`);
  process.exit(2);
}
const { selectBackend, loadTf, BACKEND_NAMES } = await import(pathToFileURL(entry).href);

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'webgpu,tensorflow,wasm' },
    n: { type: 'string', default: '1024' },
    reps: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
});
const backends = values.backends.split(',').filter(Boolean);
const n = Number(values.n);
const reps = Number(values.reps);
const rounds = Number(values.rounds);
for (const name of backends) {
  if (!BACKEND_NAMES.includes(name)) {
    process.stderr.write(`gpu-check: unknown backend ${JSON.stringify(name)} (one of ${BACKEND_NAMES.join(', ')})\n`);
    process.exit(2);
  }
}
if (!(Number.isInteger(n) && n > 0 && Number.isInteger(reps) && reps > 0 && Number.isInteger(rounds) && rounds > 0)) {
  process.stderr.write('gpu-check: --n, --reps and --rounds must be positive integers\n');
  process.exit(2);
}

/** `reps` products a·b, summed and read back (the read-back waits for the device). */
async function timeRound(tf, a, b) {
  const start = performance.now();
  const sum = tf.tidy(() => tf.addN(Array.from({ length: reps }, () => tf.matMul(a, b))));
  const values = await sum.data();
  const seconds = (performance.now() - start) / 1000;
  sum.dispose();
  return { seconds, values };
}

async function measure(name) {
  let selected;
  try {
    selected = await selectBackend(name);
  } catch (error) {
    return { backend: name, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const tf = await loadTf();
  // a = 1/n everywhere, b[k][j] = j: every row of a·b is [0, 1, …, n-1]; the sum of reps products is reps·j.
  const a = tf.fill([n, n], 1 / n);
  const b = tf.tidy(() => tf.tile(tf.range(0, n, 1, 'float32').reshape([1, n]), [n, 1]));
  try {
    await timeRound(tf, a, b); // warm-up: shader / kernel compilation, allocation
    const timings = [];
    let correct = true;
    for (let r = 0; r < rounds; r++) {
      const { seconds, values } = await timeRound(tf, a, b);
      timings.push(seconds);
      for (const i of [0, n - 1, n * n - 1]) {
        const expected = reps * (i % n);
        if (Math.abs(values[i] - expected) > 1e-3 * Math.max(1, expected)) correct = false;
      }
    }
    timings.sort((x, y) => x - y);
    const seconds = timings[Math.floor(timings.length / 2)];
    const gflops = (2 * n ** 3 * reps) / seconds / 1e9;
    return {
      backend: selected.name,
      ok: true,
      reason: selected.reason,
      seconds: Number(seconds.toFixed(4)),
      gflops: Number(gflops.toFixed(2)),
      correct,
    };
  } catch (error) {
    return { backend: name, ok: false, error: `started, but the matmul failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    a.dispose();
    b.dispose();
  }
}

const results = [];
for (const name of backends) results.push(await measure(name));
const report = { node: process.version, platform: process.platform, arch: process.arch, n, reps, rounds, results };
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
const gpuStarted = results.some((r) => r.ok && (r.backend === 'webgpu' || r.backend === 'tensorflow'));
// Exit explicitly: a started Dawn instance keeps the event loop alive.
process.exit(gpuStarted ? 0 : 1);
