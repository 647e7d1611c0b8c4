/**
 * The MDLM NELBO's exact time integral per mask count k (mdlmElbo.ts header):
 * with s = 1 − α(t) and n free positions,
 *
 *   W_k = C(n, k) ∫₀^{s_max} s^{k−1} (1 − s)^{n−k} ds = P(Binomial(n, s_max) ≥ k) / k,
 *
 * so NELBO(x) = Σ_{k=1}^{n} W_k · E_{M uniform k-subset}[ Σ_{i∈M} ℓ_i(M) ].
 * With s_max = 1, W_k = 1/k; otherwise the binomial tail is summed from the
 * top in log space.
 */
import { checkRate } from './_internals/nelboOptions.js';

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
