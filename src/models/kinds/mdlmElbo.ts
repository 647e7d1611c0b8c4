/**
 * The masked-diffusion ELBO on held-out rows (issue 7, "honest comparable
 * metrics"): the continuous-time MDLM negative ELBO per token, in bits, an
 * upper bound on −log₂ p(x) per token comparable with a causal model's
 * held-out NLL (heldOutBits.ts).
 *
 * Setting. A row x of length L whose first `given` positions are never masked
 * and not scored; n = L − given free positions. At time t each free position
 * is masked independently with rate s = 1 − α(t) (log-linear schedule of
 * MaskedDiffusionLM.ts: s = (1 − ε)t). A denoiser gives
 * ℓ_i(M) = −log p_θ(x_i | x with the set M masked) for i ∈ M.
 *
 *   NELBO(x) = ∫₀¹ (−α′(t) / (1 − α(t))) · E_{M ∼ q_t}[ Σ_{i∈M} ℓ_i(M) ] dt
 *
 * Derivation of the estimator. Substitute s = 1 − α(t) (ds = −α′ dt):
 *
 *   NELBO(x) = ∫₀^{s_max} (1/s) Σ_M s^{|M|} (1 − s)^{n−|M|} Σ_{i∈M} ℓ_i(M) ds,   s_max = 1 − α(1).
 *
 * Given |M| = k the set M is uniform over the C(n, k) k-subsets whatever s
 * is, so the time integral is done exactly, count by count:
 *
 *   NELBO(x) = Σ_{k=1}^{n} W_k · E_{M uniform k-subset}[ Σ_{i∈M} ℓ_i(M) ]
 *   W_k = C(n, k) ∫₀^{s_max} s^{k−1} (1 − s)^{n−k} ds = P(Binomial(n, s_max) ≥ k) / k
 *
 * (d/ds P(Bin(n, s) ≥ k) = k·C(n, k)·s^{k−1}(1 − s)^{n−k}). The 1/s weight
 * is singular at 0 but the probability of masking k ≥ 1 tokens is O(s^k), so
 * every W_k is finite. With s_max = 1, W_k = 1/k and
 * NELBO = Σ_k E_{|M| = k}[mean_{i∈M} ℓ_i(M)]: the expected loss of
 * any-order autoregression in a uniformly random order.
 *
 * Tightness. If p_θ(x_i | x_U) is the exact conditional of a joint p, then in
 * every order the chain rule sums to −log p(x), so NELBO(x) = −log p(x)
 * exactly (with s_max = 1). s_max = 1 − ε (the model's training range
 * t ∈ [0, 1)) drops ∫_{1−ε}^{1}, about ε·Σ_i ℓ_i(all masked) — a relative
 * 1e-3 deficit; that variant is exactly the expectation of
 * MaskedDiffusionLM.lossWithMasking and is not strictly an upper bound. The
 * default is the complete bound, s_max = 1 (α(1) = 0, so the prior term at
 * t = 1 vanishes and nothing at t = 0 remains).
 *
 * The estimators (mdlmNelbo), deterministic given their seed; with
 * c_k = k·W_k (= 1 when s_max = 1):
 *   'counts' (default): k ∈ {1..n} is split into K = min(strata, n)
 *     contiguous strata S_j of near-equal size, C_j = Σ_{k∈S_j} c_k; for each
 *     stratum j and draw d = 1..D: draw k ∈ S_j with probability c_k / C_j,
 *     a uniform k-subset M of the free positions (partial Fisher–Yates), and
 *     record Z_{j,d} = C_j · mean_{i∈M} ℓ_i(M); NELBO ≈ Σ_j (1/D) Σ_d Z_{j,d}.
 *     E[Z_j] = Σ_{k∈S_j} W_k E[Σ_{i∈M} ℓ_i(M)]. Cost K·D rows per row.
 *   'orders': for each draw d a uniform order σ of the free positions and
 *     Z_d = Σ_{k=1}^{n} c_k · ℓ_{σ(k)}({σ(1), …, σ(k)}) (mask the first k,
 *     score the k-th: {σ(1..k)} is a uniform k-subset and σ(k) uniform in it,
 *     so E[Z_d] = NELBO); NELBO ≈ (1/D) Σ_d Z_d. With s_max = 1 this is
 *     any-order autoregression along σ: for an exact denoiser every order
 *     gives −log p(x), so the variance is 0. Cost n·D rows per row.
 * Bias: none for either — no time-quadrature error, since the time integral
 * is exact. Variance: Σ_j Var(Z_j)/D (one group for 'orders'), estimated
 * from the draws when D ≥ 2 (NelboEstimate.variance). It comes only from
 * which count and which subset (or order). A time quadrature with Bernoulli
 * masks has the same mean but a very noisy integrand near t = 0 (most draws
 * mask nothing, a rare one is weighted 1/t). Measured (tests, and a 12-token
 * toy language at 24 rows per row): near a uniform model 'orders' has ~100×
 * less variance; for a briefly trained model, whose conditionals are not
 * consistent, the two are within 20% of each other.
 * mdlmNelboExhaustive enumerates all 2ⁿ − 1 masks instead (zero variance,
 * n ≤ 16).
 *
 * Determinism: the masks of row r come only from SeededRandom(seed, 2²⁰ + r),
 * so they depend on (seed, r, the row's length, given, strata, draws,
 * s_max), never on batchSize or the other rows; two models scored with one
 * seed see the same masks (common random numbers).
 */
import { oneHotFloat, readTidy, tfNow } from '../backend/index.js';
import { SeededRandom } from '../backbone/index.js';
import { checkRows, groupByLength, natsToBits, summarise, type HeldOutBits } from './heldOutBits.js';
import type { MaskedDiffusionLM } from './MaskedDiffusionLM.js';
import { flatInt, type Rows } from './maskedCrossEntropy.js';

/**
 * A denoiser: rows with [MASK]s [B, L] and the clean rows [B, L] →
 * log p_θ(clean[b][i] | noisy[b]) for every position, row-major [B·L]
 * (values at unmasked positions are ignored).
 */
export type Denoiser = (noisy: Rows, clean: Rows) => ArrayLike<number>;

export interface MdlmNelboOptions {
  /** The absorbing [MASK] id written into masked positions; clean rows must not hold it. */
  maskToken: number;
  /** Leading positions of each row that are never masked and not scored. Default 0. */
  given?: number;
  /** s_max = 1 − α(1) ∈ (0, 1]: 1 is the complete bound, 1 − MDLM_EPSILON the training range (header). Default 1. */
  maxMaskRate?: number;
  /** Rows per denoiser call. Default 64. */
  batchSize?: number;
}

export interface MdlmEstimatorOptions extends MdlmNelboOptions {
  /**
   * 'counts': K strata over the mask count, each draw a mask of a drawn count
   * scored by the mean loss of its masked positions (K·D rows per row).
   * 'orders': each draw a random order, scored by the chain rule along it
   * (n·D rows per row; zero variance for an exact denoiser). Default 'counts'.
   */
  estimator?: 'counts' | 'orders';
  /** Strata K over the mask count (capped at n; 'counts' only). Default 8. */
  strata?: number;
  /** Draws D per stratum; D ≥ 2 gives a variance estimate. Default 2. */
  draws?: number;
  /** Seed of the masks. Default 0. */
  seed?: number;
}

/** Per-row NELBO estimates in nats. */
export interface NelboEstimate {
  /** NELBO of each row (nats), in input order. */
  nats: number[];
  /** Estimated variance of each row's estimate (nats²); NaN with one draw, 0 for rows with nothing to score. */
  variance: number[];
  /** Scored (free) positions of each row. */
  tokens: number[];
  /** Number of denoiser rows evaluated. */
  evaluations: number;
}

/** The per-row mask stream offset (row r uses stream ROW_STREAM + r). */
const ROW_STREAM = 1 << 20;
/** The most free positions mdlmNelboExhaustive enumerates (2ⁿ − 1 masks per row). */
const EXHAUSTIVE_MAX_FREE = 16;

/** W_k = P(Binomial(n, s_max) ≥ k)/k for k = 0..n (W_0 = 0): the exact time integral per mask count (header). */
export function maskCountWeights(n: number, maxMaskRate = 1): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`maskCountWeights: n = ${n} must be an integer ≥ 0`);
  checkRate(maxMaskRate, 'maskCountWeights');
  const w = new Float64Array(n + 1);
  if (maxMaskRate === 1) {
    for (let k = 1; k <= n; k++) w[k] = 1 / k;
    return w;
  }
  // Binomial pmf in log space, tail summed from the top.
  const lnFact = new Float64Array(n + 1);
  for (let j = 1; j <= n; j++) lnFact[j] = lnFact[j - 1]! + Math.log(j);
  const lnS = Math.log(maxMaskRate);
  const ln1S = Math.log1p(-maxMaskRate);
  let tail = 0;
  for (let k = n; k >= 1; k--) {
    tail += Math.exp(lnFact[n]! - lnFact[k]! - lnFact[n - k]! + k * lnS + (n - k) * ln1S);
    w[k] = Math.min(1, tail) / k;
  }
  return w;
}

/** The stratified count-conditioned NELBO estimator of the header, per row, in nats. */
export function mdlmNelbo(sequences: Rows, denoiser: Denoiser, options: MdlmEstimatorOptions): NelboEstimate {
  const { maskToken, given, maxMaskRate, batchSize } = commonOptions(options, 'mdlmNelbo');
  const strata = options.strata ?? 8;
  const draws = options.draws ?? 2;
  const seed = options.seed ?? 0;
  const estimator = options.estimator ?? 'counts';
  if (estimator !== 'counts' && estimator !== 'orders') throw new Error(`mdlmNelbo: estimator = ${JSON.stringify(estimator)}; use 'counts' or 'orders'`);
  if (!Number.isInteger(strata) || strata < 1) throw new Error(`mdlmNelbo: strata = ${strata} must be an integer ≥ 1`);
  if (!Number.isInteger(draws) || draws < 1) throw new Error(`mdlmNelbo: draws = ${draws} must be an integer ≥ 1`);
  checkClean(sequences, maskToken, given, 'mdlmNelbo');
  const nats = new Array<number>(sequences.length).fill(0);
  const variance = new Array<number>(sequences.length).fill(0);
  const tokens = sequences.map((row) => row.length - given);
  const weightsByN = new Map<number, Float64Array>();

  const weightsOf = (n: number): Float64Array => {
    let w = weightsByN.get(n);
    if (!w) weightsByN.set(n, (w = maskCountWeights(n, maxMaskRate)));
    return w;
  };
  // Each row's draws Z_{j,d} (nats) land in values[j] for its group j (a stratum, or one order per draw);
  // when the row's last job is done its estimate and variance are finalised.
  const finish = (r: number, values: number[][]): void => {
    let total = 0;
    let v = 0;
    for (const zs of values) {
      const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
      total += mean;
      v += zs.length < 2 ? Number.NaN : zs.reduce((a, b) => a + (b - mean) ** 2, 0) / (zs.length - 1) / zs.length;
    }
    nats[r] = total;
    variance[r] = v;
  };

  const evaluations = evaluateMasks(sequences, denoiser, maskToken, batchSize, function* (r) {
    const row = sequences[r]!;
    const n = row.length - given;
    if (n === 0) return;
    const w = weightsOf(n);
    const random = new SeededRandom(seed, ROW_STREAM + r);
    if (estimator === 'orders') {
      // One group of D draws; draw d is Σ_k c_k ℓ_{σ(k)}(σ(1..k)) over a random order σ.
      const sums = new Float64Array(draws);
      const values: number[][] = [[]];
      let pending = n * draws;
      for (let d = 0; d < draws; d++) {
        const order = randomSubset(row.length, given, n, random);
        for (let k = 1; k <= n; k++) {
          const target = order[k - 1]!;
          const c = k * w[k]!;
          yield {
            row: r,
            masked: order.slice(0, k),
            done: (logP: ArrayLike<number>, offset: number) => {
              sums[d] = sums[d]! - c * (logP[offset + target] ?? Number.NaN);
              pending -= 1;
              if (pending === 0) {
                values[0] = Array.from(sums);
                finish(r, values);
              }
            },
          };
        }
      }
      return;
    }
    const k0 = strataStarts(n, Math.min(strata, n));
    const values: number[][] = Array.from({ length: k0.length - 1 }, () => []);
    let pending = (k0.length - 1) * draws;
    for (let j = 0; j + 1 < k0.length; j++) {
      const lo = k0[j]!;
      const hi = k0[j + 1]!; // stratum S_j = [lo, hi)
      let c = 0;
      for (let k = lo; k < hi; k++) c += k * w[k]!;
      for (let d = 0; d < draws; d++) {
        const k = drawCount(w, lo, hi, c, random.uniform());
        const masked = randomSubset(row.length, given, k, random);
        yield {
          row: r,
          masked,
          done: (logP: ArrayLike<number>, offset: number) => {
            let loss = 0;
            for (const i of masked) loss -= logP[offset + i] ?? Number.NaN;
            values[j]!.push((c * loss) / k);
            pending -= 1;
            if (pending === 0) finish(r, values);
          },
        };
      }
    }
  });
  return { nats, variance, tokens, evaluations };
}

/**
 * The exact NELBO of each row (nats) by enumerating every nonempty mask of
 * its free positions, weight W_|M| / C(n, |M|) each: zero variance, for rows
 * with at most 16 free positions.
 */
export function mdlmNelboExhaustive(sequences: Rows, denoiser: Denoiser, options: MdlmNelboOptions): number[] {
  const { maskToken, given, maxMaskRate, batchSize } = commonOptions(options, 'mdlmNelboExhaustive');
  checkClean(sequences, maskToken, given, 'mdlmNelboExhaustive');
  const nats = new Array<number>(sequences.length).fill(0);
  evaluateMasks(sequences, denoiser, maskToken, batchSize, function* (r) {
    const row = sequences[r]!;
    const n = row.length - given;
    if (n > EXHAUSTIVE_MAX_FREE) throw new Error(`mdlmNelboExhaustive: row ${r} has ${n} free positions; at most ${EXHAUSTIVE_MAX_FREE} are enumerated`);
    const w = maskCountWeights(n, maxMaskRate);
    const choose = binomials(n);
    for (let bits = 1; bits < 2 ** n; bits++) {
      const masked: number[] = [];
      for (let i = 0; i < n; i++) if ((bits >> i) & 1) masked.push(given + i);
      const weight = w[masked.length]! / choose[masked.length]!;
      yield {
        row: r,
        masked,
        done: (logP: ArrayLike<number>, offset: number) => {
          let loss = 0;
          for (const i of masked) loss -= logP[offset + i] ?? Number.NaN;
          nats[r] = nats[r]! + weight * loss;
        },
      };
    }
  });
  return nats;
}

export interface DiffusionBitsOptions extends Omit<MdlmEstimatorOptions, 'maskToken'> {
  /**
   * Exclude the [MASK] logit from the predicted distribution (MDLM's
   * substitution parameterisation, and what sampleBatch draws from); false
   * scores with the full softmax as MaskedDiffusionLM's training loss does.
   * Default true.
   */
  excludeMask?: boolean;
}

/**
 * Held-out bits per token of a masked-diffusion model: the MDLM NELBO
 * (mdlmNelbo with the model's denoiser) pooled over rows, in bits, over the
 * number of free positions. Pass the rows and `given` of the causal metric
 * to score the same tokens.
 */
export function diffusionBitsPerToken(lm: MaskedDiffusionLM, sequences: Rows, options: DiffusionBitsOptions = {}): HeldOutBits {
  const { vocabSize, contextLength } = lm.transformer.config;
  checkRows(sequences, vocabSize, contextLength, options.given ?? 0, 'diffusionBitsPerToken');
  const estimate = mdlmNelbo(sequences, maskedDiffusionDenoiser(lm, { excludeMask: options.excludeMask ?? true }), {
    ...options,
    maskToken: lm.maskToken,
  });
  const tokens = estimate.tokens.reduce((s, n) => s + n, 0);
  const variance = estimate.variance.reduce((s, v) => s + v, 0);
  return summarise(estimate.nats.map(natsToBits), tokens, natsToBits(Math.sqrt(variance)) / tokens);
}

/** The model's denoiser: log-softmax of its logits (without dropout) gathered at the clean tokens, [B·L]. */
export function maskedDiffusionDenoiser(lm: MaskedDiffusionLM, options: { excludeMask?: boolean } = {}): Denoiser {
  const exclude = options.excludeMask ?? true;
  const vocab = lm.transformer.config.vocabSize;
  return (noisy, clean) => {
    const tf = tfNow();
    const batch = noisy.length;
    const length = noisy[0]?.length ?? 0;
    const ids = flatInt(clean, batch, length, 'maskedDiffusionDenoiser clean');
    return readTidy(() => {
      let z = lm.logits(noisy); // [B, L, V]
      if (exclude) {
        // A finite −1e9 (not −∞): the one-hot's 0 times it stays 0.
        const bias = new Float32Array(vocab);
        bias[lm.maskToken] = -1e9;
        z = tf.add(z, tf.tensor1d(bias));
      }
      const logP = tf.logSoftmax(z); // [B, L, V]
      const y = tf.tensor2d(ids, [batch, length], 'int32'); // [B, L]
      return tf.sum(tf.mul(oneHotFloat(y, vocab), logP), -1); // [B, L]
    });
  };
}

/** One masked copy of a row to run through the denoiser and what to do with its log-probabilities. */
interface MaskJob {
  row: number;
  masked: readonly number[];
  done(logP: ArrayLike<number>, offset: number): void;
}

/**
 * Runs every job of every row through the denoiser, rows of one length
 * together, `batchSize` jobs per call; returns the number of denoiser rows.
 */
function evaluateMasks(sequences: Rows, denoiser: Denoiser, maskToken: number, batchSize: number, jobsOf: (r: number) => Iterable<MaskJob>): number {
  let evaluations = 0;
  for (const [length, indices] of groupByLength(sequences)) {
    let buffer: MaskJob[] = [];
    const flush = (): void => {
      const clean = buffer.map((j) => sequences[j.row]!);
      const noisy = buffer.map((j) => {
        const row = [...sequences[j.row]!];
        for (const i of j.masked) row[i] = maskToken;
        return row;
      });
      const logP = denoiser(noisy, clean);
      if (logP.length !== buffer.length * length) {
        throw new Error(`denoiser returned ${logP.length} values for ${buffer.length} rows of length ${length}`);
      }
      buffer.forEach((j, b) => j.done(logP, b * length));
      evaluations += buffer.length;
      buffer = [];
    };
    for (const r of indices) {
      for (const job of jobsOf(r)) {
        buffer.push(job);
        if (buffer.length >= batchSize) flush();
      }
    }
    if (buffer.length > 0) flush();
  }
  return evaluations;
}

/** Starts of K contiguous near-equal strata of {1..n}, with n + 1 appended. */
function strataStarts(n: number, K: number): number[] {
  return Array.from({ length: K + 1 }, (_, j) => 1 + Math.floor((j * n) / K));
}

/** k ∈ [lo, hi) with probability k·W_k / c (inverse CDF at u ∈ (0, 1)). */
function drawCount(w: Float64Array, lo: number, hi: number, c: number, u: number): number {
  let acc = 0;
  for (let k = lo; k < hi; k++) {
    acc += k * w[k]!;
    if (u * c < acc) return k;
  }
  return hi - 1;
}

/** A uniform k-subset of the positions [given, length), by partial Fisher–Yates. */
function randomSubset(length: number, given: number, k: number, random: SeededRandom): number[] {
  const pool = Array.from({ length: length - given }, (_, i) => given + i);
  for (let a = 0; a < k; a++) {
    const b = a + Math.floor(random.uniform() * (pool.length - a));
    [pool[a], pool[b]] = [pool[b]!, pool[a]!];
  }
  return pool.slice(0, k);
}

/** C(n, k) for k = 0..n. */
function binomials(n: number): Float64Array {
  const c = new Float64Array(n + 1);
  c[0] = 1;
  for (let k = 1; k <= n; k++) c[k] = (c[k - 1]! * (n - k + 1)) / k;
  return c;
}

function commonOptions(options: MdlmNelboOptions, what: string): Required<MdlmNelboOptions> {
  const given = options.given ?? 0;
  const maxMaskRate = options.maxMaskRate ?? 1;
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(given) || given < 0) throw new Error(`${what}: given = ${given} must be an integer ≥ 0`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${what}: batchSize = ${batchSize} must be an integer ≥ 1`);
  checkRate(maxMaskRate, what);
  return { maskToken: options.maskToken, given, maxMaskRate, batchSize };
}

function checkRate(s: number, what: string): void {
  if (!(s > 0 && s <= 1)) throw new Error(`${what}: maxMaskRate = ${s} must be in (0, 1]`);
}

/** Throws unless every row is at least `given` long and holds no [MASK]. */
function checkClean(rows: Rows, maskToken: number, given: number, what: string): void {
  rows.forEach((row, r) => {
    if (row.length < given) throw new Error(`${what}: row ${r} has ${row.length} tokens, fewer than given = ${given}`);
    row.forEach((x, i) => {
      if (x === maskToken) throw new Error(`${what}: [${r}, ${i}] is the [MASK] id ${x}; held-out rows hold no [MASK]`);
    });
  });
}
