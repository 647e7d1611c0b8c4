/**
 * Closed-form KL divergence between multivariate normals (e.g. Duchi,
 * "Derivations for Linear Algebra and Optimization", §9; Pardo 2006):
 *
 *   KL(N(μ0, Σ0) ‖ N(μ1, Σ1)) = ½ [ tr(Σ1⁻¹Σ0) + (μ1 − μ0)ᵀ Σ1⁻¹ (μ1 − μ0) − d + ln det Σ1 − ln det Σ0 ]
 *
 * evaluated through Cholesky factors Σ0 = L0L0ᵀ, Σ1 = L1L1ᵀ, never forming an
 * inverse or a determinant:
 *   tr(Σ1⁻¹Σ0) = ‖L1⁻¹L0‖_F²,   (μ1−μ0)ᵀΣ1⁻¹(μ1−μ0) = ‖L1⁻¹(μ1−μ0)‖²,   ln det Σ = 2 Σ ln L_ii.
 * Matrices are row-major Float64Arrays / arrays of d·d entries.
 */

/** Cholesky factor L (row-major, lower) of the SPD matrix `a`; throws RangeError if it is not positive definite. */
export function choleskyLower(a: ArrayLike<number>, d: number): Float64Array {
  if (a.length !== d * d) throw new RangeError(`choleskyLower: expected ${d * d} entries, got ${a.length}`);
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new RangeError(`choleskyLower: the matrix is not positive definite (pivot ${i})`);
        l[i * d + i] = Math.sqrt(sum);
      } else {
        l[i * d + j] = sum / l[j * d + j]!;
      }
    }
  }
  return l;
}

/** Solves L y = b in place (y overwrites b) for a lower-triangular row-major L. */
function forwardSolve(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let sum = b[i]!;
    for (let j = 0; j < i; j++) sum -= l[i * d + j]! * b[j]!;
    b[i] = sum / l[i * d + i]!;
  }
}

export function gaussianKl(
  mu0: ArrayLike<number>, cov0: ArrayLike<number>, mu1: ArrayLike<number>, cov1: ArrayLike<number>, d: number,
): number {
  if (mu0.length !== d || mu1.length !== d) throw new RangeError(`gaussianKl: means must have ${d} entries`);
  const l0 = choleskyLower(cov0, d);
  const l1 = choleskyLower(cov1, d);
  // tr(Σ1⁻¹Σ0) = Σ over columns c of L0 of ‖L1⁻¹ c‖².
  const col = new Float64Array(d);
  let tr = 0;
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < d; i++) col[i] = l0[i * d + c]!;
    forwardSolve(l1, d, col);
    for (let i = 0; i < d; i++) tr += col[i]! ** 2;
  }
  for (let i = 0; i < d; i++) col[i] = mu1[i]! - mu0[i]!;
  forwardSolve(l1, d, col);
  let maha = 0;
  for (let i = 0; i < d; i++) maha += col[i]! ** 2;
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * (Math.log(l1[i * d + i]!) - Math.log(l0[i * d + i]!));
  return 0.5 * (tr + maha - d + logDet);
}
