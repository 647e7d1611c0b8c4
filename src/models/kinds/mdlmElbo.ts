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
 * Files: this one holds mdlmNelbo; W_k is maskCountWeights.ts, the exhaustive
 * enumeration mdlmNelboExhaustive.ts, the types mdlmNelboTypes.ts, the model's
 * denoiser maskedDiffusionDenoiser.ts and its bits per token
 * diffusionBitsPerToken.ts; the batching, sampling and checks are in _internals/.
 *
 * Determinism: the masks of row r come only from SeededRandom(seed, 2²⁰ + r),
 * so they depend on (seed, r, the row's length, given, strata, draws,
 * s_max), never on batchSize or the other rows; two models scored with one
 * seed see the same masks (common random numbers).
 */
import { SeededRandom } from '../backbone/index.js';
import { evaluateMasks } from './_internals/evaluateMasks.js';
import { drawCount, randomSubset, strataStarts } from './_internals/maskSampling.js';
import { checkClean, commonOptions } from './_internals/nelboOptions.js';
import { maskCountWeights } from './maskCountWeights.js';
import type { Rows } from './maskedCrossEntropy.js';
import type { Denoiser, MdlmEstimatorOptions, NelboEstimate } from './mdlmNelboTypes.js';

/** The per-row mask stream offset (row r uses stream ROW_STREAM + r). */
const ROW_STREAM = 1 << 20;

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
