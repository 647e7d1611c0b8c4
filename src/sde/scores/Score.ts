/**
 * Score — an estimate of ∇_x log p_t(x) for a batch of particles.
 * Particles are stored row-major in a Float64Array: particle i, coordinate k
 * at [i·dim + k] (shape [n, dim]). `evaluate` writes the scores in the same
 * layout; it must not allocate per particle (samplers call it every step).
 */
export interface Score {
  readonly dim: number;
  /** out[i·dim + k] = ∂/∂x_k log p_t(x_i), for i < n. */
  evaluate(x: Float64Array, n: number, t: number, out: Float64Array): void;
}
