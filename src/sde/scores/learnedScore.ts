/**
 * A score learned by denoising score matching (Vincent 2011; Song et al. 2021,
 * "Score-Based Generative Modeling through SDEs", Eq. 7) with a small MLP in
 * TensorFlow.js — with selectBackend.ts (the tfjs backend) and
 * _internals/loadTf.ts, the one part of src/sde that uses tfjs.
 *
 * With the forward marginal x_t = a(t)·x0 + s(t)·z of any Schedule, the
 * conditional score is ∇log p(x_t | x0) = −z / s(t), and the DSM objective with
 * the weighting λ(t) = s(t)² is
 *
 *   L(θ) = E_{t ~ U[tMin, T], x0 ~ p0, z ~ N(0, I)} ‖ s(t)·ŝ_θ(x_t, t) + z ‖².
 *
 * We parametrise the score as ŝ_θ(x, t) = −net_θ(x, t) / s(t) (the "ε"
 * parametrisation of DDPM), so that L(θ) = E ‖net_θ(x_t, t) − z‖²: the network
 * predicts the noise. Its target has unit scale at every t, which is why the
 * s² weighting is the natural one — with a direct score output the regression
 * target −z/s blows up as t → tMin. The minimiser is net* = −s(t)·∇log p_t
 * (Tweedie), so a perfect net gives the exact score.
 *
 * Network: a plain MLP on the features [x, e(t)] (shape [batch, dim + E]):
 *   'raw'         e(t) = [t]                                      (E = 1)
 *   'sinusoidal'  e(t) = [t, sin(ω_k t), cos(ω_k t)], ω_k = π·2^k,
 *                 k < frequencies (default 4)                      (E = 1 + 2K)
 * The features are built in JavaScript (float64, then float32), so the graph
 * holds only matMul / add / tanh (or relu) / sub / square / sum — ops whose
 * gradients every backend has, the WebAssembly one included (it lacks e.g. the
 * gradient kernels behind gather, UnsortedSegmentSum).
 *
 * Randomness: the initial weights, the training noise z and the times t come
 * from depthlab's seeded normals (src/sde/_internals/random.ts), and each batch
 * of x0 from `sampleP0(batch, seed_k)` with a seed derived from (seed, step):
 * the same options give the same numbers on the same backend. (tfjs's own
 * seeded initialisers would also be deterministic, but one generator for all
 * of depthlab keeps the initial weights identical across backends.)
 */
import type * as TF from '@tensorflow/tfjs';
import { NormalSampler, rngFromSeed, uniform01 } from '../_internals/random.js';
import type { Schedule } from '../schedules/Schedule.js';
import { deriveSeed, SALT_INIT, SALT_NOISE, SALT_P0, SALT_TIME } from './_internals/dsmSeeds.js';
import { resolveLearnScoreOptions } from './_internals/learnScoreOptions.js';
import { loadTf } from './_internals/loadTf.js';
import type { Score } from './Score.js';
import { selectBackend, type LearnedScoreBackend } from './selectBackend.js';

export { selectBackend, type LearnedScoreBackend } from './selectBackend.js';

export type TimeEmbedding = 'raw' | 'sinusoidal';
export type Activation = 'tanh' | 'relu';

export interface LearnScoreOptions {
  schedule: Schedule;
  /** n draws of p0, row-major [n, dim], a pure function of (n, seed). */
  sampleP0: (n: number, seed: number) => Float64Array;
  dim: number;
  /** Widths of the hidden layers (default [64, 64]). */
  hidden?: readonly number[];
  /** Adam steps (default 2000). */
  steps?: number;
  /** Batch size of each step (default 256). */
  batch?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Seeds the initial weights, the noise, the times and the x0 batches (an integer, default 0). */
  seed?: number;
  /** Time features fed to the network (default 'sinusoidal'; see the file header). */
  timeEmbedding?: TimeEmbedding;
  /** K, the number of frequencies of the sinusoidal embedding (default 4). */
  frequencies?: number;
  /** Hidden-layer nonlinearity (default 'tanh': smooth, as a score should be). */
  activation?: Activation;
  /** Preferred backend (default 'wasm'); 'cpu' is the fallback when 'wasm' cannot start. */
  backend?: LearnedScoreBackend;
  /** Window k of the loss history (default 100). */
  lossEvery?: number;
}

export interface LossRecord {
  /** The loss of the very first batch, at the initial weights. */
  first: number;
  /** The mean batch loss over the last window (up to `every` steps). */
  last: number;
  /** k: each history entry averages k consecutive batch losses. */
  every: number;
  /** history[j] = mean batch loss over steps [j·k, (j+1)·k) (the last window may be shorter). */
  history: number[];
}

export interface DenseParams {
  inDim: number;
  outDim: number;
  /** Row-major [inDim, outDim]. */
  weight: Float32Array;
  /** [outDim]. */
  bias: Float32Array;
}

export interface LearnedParams {
  /** Input features per particle: dim + time features. */
  inputDim: number;
  timeEmbedding: TimeEmbedding;
  frequencies: number;
  activation: Activation;
  /** Copies of the trained weights, input layer first. */
  layers: DenseParams[];
  /** Total number of trainable numbers. */
  count: number;
}

/** A Score backed by tfjs variables; `dispose` frees them (evaluate must not be called afterwards). */
export interface LearnedScore extends Score {
  readonly backend: LearnedScoreBackend;
  dispose(): void;
}

export interface LearnScoreResult {
  score: LearnedScore;
  /** The backend that trained the network and runs it. */
  backend: LearnedScoreBackend;
  losses: LossRecord;
  params: LearnedParams;
  /** Wall-clock training time in milliseconds. */
  trainMillis: number;
}

/** Trains ŝ_θ = −net_θ(x, t)/s(t) by DSM (see the file header) and returns it as a Score. */
export async function learnScore(options: LearnScoreOptions): Promise<LearnScoreResult> {
  const tf = await loadTf();
  const { schedule, sampleP0, dim } = options;
  const { hidden, steps, batch, learningRate, seed, timeEmbedding, frequencies, activation, lossEvery } = resolveLearnScoreOptions(options);
  const tMin = schedule.tMin;
  const T = schedule.T;

  const backend = await selectBackend(options.backend ?? 'wasm');
  const timeDim = timeEmbedding === 'raw' ? 1 : 1 + 2 * frequencies;
  const inputDim = dim + timeDim;
  const widths = [inputDim, ...hidden, dim];

  // Initial weights: N(0, 1/fanIn) (LeCun), zero biases — drawn from depthlab's normals.
  const initNormal = new NormalSampler(rngFromSeed(deriveSeed(seed, SALT_INIT, 0)));
  const weights: TF.Variable[] = [];
  const biases: TF.Variable[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l] ?? 1;
    const fanOut = widths[l + 1] ?? 1;
    const w = initNormal.fill(new Float64Array(fanIn * fanOut));
    const scale = 1 / Math.sqrt(fanIn);
    const w32 = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w32[i] = (w[i] ?? 0) * scale;
    // tidy frees the initial-value tensors; the variables survive it.
    weights.push(tf.tidy(() => tf.variable(tf.tensor2d(w32, [fanIn, fanOut]), true))); // [fanIn, fanOut]
    biases.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]), true))); // [fanOut]
  }
  const act = activation === 'tanh' ? tf.tanh : tf.relu;

  /** net_θ(features): [rows, inputDim] → [rows, dim]. */
  const forward = (features: TF.Tensor2D): TF.Tensor2D => {
    let h: TF.Tensor2D = features;
    for (let l = 0; l < weights.length; l++) {
      const w = weights[l] as TF.Variable;
      const b = biases[l] as TF.Variable;
      const pre = tf.add(tf.matMul(h, w), b) as TF.Tensor2D; // [rows, widths[l + 1]]
      h = l + 1 < weights.length ? act(pre) : pre;
    }
    return h; // [rows, dim]
  };

  /** Writes the time features e(t) of one row at features[off..off + timeDim). */
  const embedTime = (t: number, features: Float32Array, off: number): void => {
    features[off] = t;
    if (timeEmbedding === 'raw') return;
    let omega = Math.PI;
    for (let k = 0; k < frequencies; k++) {
      features[off + 1 + 2 * k] = Math.sin(omega * t);
      features[off + 2 + 2 * k] = Math.cos(omega * t);
      omega *= 2;
    }
  };

  // Training streams: times and noise, kept apart from the initial weights by their salts.
  const timeRng = rngFromSeed(deriveSeed(seed, SALT_TIME, 0));
  const noise = new NormalSampler(rngFromSeed(deriveSeed(seed, SALT_NOISE, 0)));
  const z = new Float64Array(batch * dim); // [batch, dim]
  const features = new Float32Array(batch * inputDim); // [batch, dim + timeDim]
  const target = new Float32Array(batch * dim); // [batch, dim]
  const optimizer = tf.train.adam(learningRate);
  const history: number[] = [];
  let first = Number.NaN;
  let windowSum = 0;
  let windowCount = 0;
  const started = performance.now();
  try {
    for (let step = 0; step < steps; step++) {
      const x0 = sampleP0(batch, deriveSeed(seed, SALT_P0, step)); // [batch, dim]
      if (x0.length !== batch * dim) throw new RangeError(`learnScore: sampleP0(${batch}) returned ${x0.length} numbers, expected ${batch * dim}`);
      noise.fill(z);
      for (let i = 0; i < batch; i++) {
        const t = tMin + (T - tMin) * uniform01(timeRng);
        const a = schedule.mean(t);
        const s = schedule.std(t);
        const row = i * inputDim;
        for (let k = 0; k < dim; k++) {
          const zk = z[i * dim + k] ?? 0;
          features[row + k] = a * (x0[i * dim + k] ?? 0) + s * zk; // x_t = a·x0 + s·z
          target[i * dim + k] = zk;
        }
        embedTime(t, features, row + dim);
      }
      const lossTensor = tf.tidy(() => {
        const input = tf.tensor2d(features, [batch, inputDim]); // [batch, dim + timeDim]
        const zT = tf.tensor2d(target, [batch, dim]); // [batch, dim]
        // ‖net − z‖² summed over coordinates, averaged over the batch: a scalar.
        const cost = optimizer.minimize(() => tf.div(tf.sum(tf.square(tf.sub(forward(input), zT))), batch) as TF.Scalar, true);
        if (cost === null) throw new Error('learnScore: the optimizer returned no loss');
        return cost;
      });
      const loss = lossTensor.dataSync()[0] ?? Number.NaN;
      lossTensor.dispose();
      if (!Number.isFinite(loss)) throw new Error(`learnScore: the loss became ${loss} at step ${step}; lower the learning rate`);
      if (step === 0) first = loss;
      windowSum += loss;
      windowCount++;
      if (windowCount === lossEvery || step === steps - 1) {
        history.push(windowSum / windowCount);
        windowSum = 0;
        windowCount = 0;
      }
    }
  } catch (error) {
    for (const v of [...weights, ...biases]) v.dispose();
    throw error;
  } finally {
    // Adam's moment estimates are variables too; the trained weights are all the score keeps.
    optimizer.dispose();
  }
  const trainMillis = performance.now() - started;

  const layers: DenseParams[] = weights.map((w, l) => ({
    inDim: widths[l] ?? 0,
    outDim: widths[l + 1] ?? 0,
    weight: Float32Array.from(w.dataSync()),
    bias: Float32Array.from((biases[l] as TF.Variable).dataSync()),
  }));
  const params: LearnedParams = {
    inputDim,
    timeEmbedding,
    frequencies: timeEmbedding === 'raw' ? 0 : frequencies,
    activation,
    layers,
    count: layers.reduce((sum, layer) => sum + layer.weight.length + layer.bias.length, 0),
  };

  // Feature buffer of evaluate, reused while the batch size stays the same.
  let evalFeatures = new Float32Array(0);
  let disposed = false;
  const score: LearnedScore = {
    dim,
    backend,
    evaluate(x: Float64Array, n: number, t: number, out: Float64Array): void {
      if (disposed) throw new Error('learnScore: evaluate called after dispose');
      if (n === 0) return;
      if (evalFeatures.length !== n * inputDim) evalFeatures = new Float32Array(n * inputDim);
      for (let i = 0; i < n; i++) {
        const row = i * inputDim;
        for (let k = 0; k < dim; k++) evalFeatures[row + k] = x[i * dim + k] ?? 0;
        embedTime(t, evalFeatures, row + dim);
      }
      const netOut = tf.tidy(() => forward(tf.tensor2d(evalFeatures, [n, inputDim]))); // [n, dim]
      const values = netOut.dataSync();
      netOut.dispose();
      // ŝ = −net / s(t).
      const invS = -1 / schedule.std(t);
      for (let i = 0; i < n * dim; i++) out[i] = (values[i] ?? 0) * invS;
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const v of [...weights, ...biases]) v.dispose();
    },
  };
  return { score, backend, losses: { first, last: history[history.length - 1] ?? first, every: lossEvery, history }, params, trainMillis };
}
