// bench/sde-sampler — Euler–Maruyama on the reverse VP SDE, in particle-steps
// per second (particles × steps / wall time), one core.
//
// Reverse SDE (Song et al. 2021, eq. 6): x ← (1 − fΔt)x + g²Δt·∇log p_t(x) + g√Δt·z,
// linear VP schedule β(t) = 0.1 + 19.9t on [1e-3, 1], uniform grid.
// Target: a 16-dimensional, 8-component Gaussian mixture with full covariances
// (seeded), exact score ∇log p_t = Σ_k w_k S_k⁻¹(aμ_k − x), S_k = a²Σ_k + s²I
// (depthlab's mixtureScore). Workload: 4,096 particles × 200 steps.
// Peer: numpy_peer.py, the same sampler and score vectorised with numpy
// (two BLAS matmuls per step against the stacked Cholesky inverses), run
// single-threaded. The final sample means must agree within Monte Carlo
// error (different random streams), or the bench fails.
// Options: --particles N (default 4096), --steps S (default 200), --repeats R (default 3), --no-peer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eulerMaruyama } from '../../dist/sde/samplers/eulerMaruyama.js';
import { mixtureScore } from '../../dist/sde/scores/mixtureScore.js';
import { NormalSampler, rngFromSeed } from '../../dist/sde/_internals/random.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const n = opt('--particles', 4096);
const steps = opt('--steps', 200);
const repeats = opt('--repeats', 3);
const withPeer = !args.includes('--no-peer');

const vp = {
  name: 'vp-linear',
  T: 1,
  tMin: 1e-3,
  mean: (t) => Math.exp(-0.5 * (0.1 * t + 9.95 * t * t)),
  std: (t) => Math.sqrt(-Math.expm1(-(0.1 * t + 9.95 * t * t))),
  drift: (t) => -0.5 * (0.1 + 19.9 * t),
  diffusion: (t) => Math.sqrt(0.1 + 19.9 * t),
};

// The mixture: means 2.5·N(0, I), covariances A·Aᵀ/d + 0.2·I with A standard normal × 0.8, equal-ish weights.
const d = 16;
const K = 8;
const normal = new NormalSampler(rngFromSeed(2024));
const means = [];
const covariances = [];
const raw = [];
for (let k = 0; k < K; k++) {
  means.push(Array.from({ length: d }, () => 2.5 * normal.next()));
  const A = Array.from({ length: d * d }, () => 0.8 * normal.next());
  const S = [];
  for (let i = 0; i < d; i++) {
    const row = [];
    for (let j = 0; j < d; j++) {
      let v = i === j ? 0.2 : 0;
      for (let m = 0; m < d; m++) v += (A[i * d + m] * A[j * d + m]) / d;
      row.push(v);
    }
    S.push(row);
  }
  // Symmetrise exactly (the sums are formed in different orders).
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) S[j][i] = S[i][j];
  covariances.push(S);
  raw.push(1 + 0.5 * Math.abs(normal.next()));
}
const total = raw.reduce((s, v) => s + v, 0);
const weights = raw.map((v) => v / total);
const mix = { weights, means, covariances };
const score = mixtureScore(mix, vp, { cacheSize: 4 });

function meansOf(x) {
  const m = new Float64Array(d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j] += x[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) v[j] += (x[i * d + j] - m[j]) ** 2 / (n - 1);
  return { mean: Array.from(m), variance: Array.from(v) };
}

console.error(`sde-sampler: ${d}-dim ${K}-component full-covariance mixture; ${n} particles × ${steps} steps; Euler–Maruyama, reverse VP`);
let last = eulerMaruyama(vp, score, { steps: Math.min(steps, 20), seed: 99, n: Math.min(n, 512) }); // warm-up (JIT)
const times = [];
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  last = eulerMaruyama(vp, score, { steps, seed: 1 + r, n });
  times.push((performance.now() - t0) / 1000);
}
const best = Math.min(...times);
const rate = (n * steps) / best;
const ours = meansOf(last.x);
console.error(`depthlab  best ${(best * 1000).toFixed(0)} ms of ${repeats}; ${rate.toExponential(3)} particle-steps/s`);

let peer = null;
let peerValue = null;
if (withPeer) {
  const dir = mkdtempSync(join(tmpdir(), 'depthlab-bench-'));
  try {
    writeFileSync(join(dir, 'mixture.json'), JSON.stringify(mix));
    const script = join(dirname(fileURLToPath(import.meta.url)), 'numpy_peer.py');
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const r = spawnSync('python3', [script, join(dir, 'mixture.json'), String(n), String(steps), String(repeats)], { encoding: 'utf8', env });
    if (r.status !== 0) {
      console.error(`sde-sampler: numpy peer failed (is python3 with numpy >= 2 installed?): ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
    } else {
      const out = JSON.parse(r.stdout.trim().split('\n').pop());
      // Independent streams: compare the means coordinate by coordinate against their joint standard error.
      let worst = 0;
      for (let j = 0; j < d; j++) {
        const se = Math.sqrt((ours.variance[j] + out.variance[j]) / n);
        worst = Math.max(worst, Math.abs(ours.mean[j] - out.mean[j]) / se);
      }
      console.error(`numpy     best ${(out.seconds * 1000).toFixed(0)} ms of ${repeats}; final means agree to ${worst.toFixed(2)} standard errors (worst of ${d} coordinates)`);
      if (!(worst < 5)) {
        console.error('sde-sampler: the numpy peer and depthlab disagree on the final sample mean; the comparison is void');
        process.exit(1);
      }
      peer = `numpy ${out.numpy} vectorised EM (OpenBLAS, 1 thread)`;
      peerValue = (n * steps) / out.seconds;
      console.error(`numpy     ${peerValue.toExponential(3)} particle-steps/s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(JSON.stringify({
  bench: 'sde-sampler',
  metric: 'particle_steps_per_s',
  value: Number(rate.toPrecision(4)),
  unit: 'particle-steps/s',
  peer,
  peer_value: peerValue === null ? null : Number(peerValue.toPrecision(4)),
  ratio: peerValue === null ? null : Number((rate / peerValue).toFixed(3)),
}));
