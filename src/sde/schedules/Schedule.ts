/**
 * Schedule — a linear forward SDE  dx = f(t)·x dt + g(t) dW,  t ∈ [0, T],
 * whose marginals given x0 are Gaussian:  x_t = a(t)·x0 + s(t)·z,  z ~ N(0, I).
 * (Song et al. 2021, "Score-Based Generative Modeling through SDEs", §3.4 and
 * App. B.) Every schedule of depthlab — VP, sub-VP, VE, cosine, EDM,
 * user expressions — is one of these, so samplers, scores and metrics work
 * with any of them through this interface only.
 *
 * Derived quantities: ᾱ(t) = a(t)² (the squared mean coefficient),
 * SNR(t) = a(t)²/s(t)², and for VP-type schedules β(t) = g(t)².
 */
export interface Schedule {
  /** e.g. "vp-linear", "cosine", "ve", "expr:0.1 + 19.9*t". */
  readonly name: string;
  /** End of the forward process (1 for every built-in schedule). */
  readonly T: number;
  /** Smallest time samplers should integrate down to (the marginal at 0 may be degenerate). */
  readonly tMin: number;
  /** Mean coefficient a(t). */
  mean(t: number): number;
  /** Marginal noise standard deviation s(t). */
  std(t: number): number;
  /** Drift coefficient f(t) of dx = f(t)·x dt + g(t) dW. */
  drift(t: number): number;
  /** Diffusion coefficient g(t). */
  diffusion(t: number): number;
}

export function alphaBar(s: Schedule, t: number): number {
  return s.mean(t) ** 2;
}

export function snr(s: Schedule, t: number): number {
  return s.mean(t) ** 2 / s.std(t) ** 2;
}
