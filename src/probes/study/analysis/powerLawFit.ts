/**
 * powerLawFit — y = a·x^γ by least squares in log–log, e.g. C_crit(U) ∝ U^γ
 * (Prabhudesai et al. 2025 report γ ≈ 2.174):
 *
 *   ln y = ln a + γ·ln x,   γ = Σ(ln xᵢ − m_x)(ln yᵢ − m_y) / Σ(ln xᵢ − m_x)²,
 *   ln a = m_y − γ·m_x,     R² = 1 − SS_res/SS_tot in log space
 *                           (null when every y is equal).
 *
 * interval.gamma is the 95% percentile bootstrap over points (resampled with
 * replacement from the seeded SeededRandom stream 'powerLaw'; resamples with a
 * single distinct x are skipped and counted). Needs ≥ 2 points with ≥ 2
 * distinct x, all x, y finite and > 0. With 2–3 points the interval is
 * descriptive at best.
 */
import { StudyAnalysisError } from './StudyAnalysisError.js';
import { bootstrapOptions, resampleIndices, streamFor } from './_internals/bootstrap.js';
import { LOWER_P, UPPER_P, lineFit, percentile } from './_internals/stats.js';

export interface PowerLawFit {
  a: number;
  gamma: number;
  r2: number | null;
  n: number;
  interval: { gamma: [number, number] };
  bootstrap: { resamples: number; used: number; skipped: number; seed: number };
}

export interface PowerLawOptions {
  /** Bootstrap resamples; default 200, 0 skips the bootstrap. */
  resamples?: number;
  /** Seed of the bootstrap stream; default 0. */
  seed?: number;
}

export function powerLawFit(points: readonly { x: number; y: number }[], options: PowerLawOptions = {}): PowerLawFit {
  const { resamples, seed } = bootstrapOptions(options);
  points.forEach((p, i) => {
    if (!(p.x > 0 && Number.isFinite(p.x) && p.y > 0 && Number.isFinite(p.y))) {
      throw new StudyAnalysisError(`powerLawFit point ${i}: (x, y) = (${p.x}, ${p.y}), both must be finite and > 0`);
    }
  });
  const lx = points.map((p) => Math.log(p.x));
  const ly = points.map((p) => Math.log(p.y));
  const line = points.length >= 2 ? lineFit(lx, ly) : null;
  if (!line) throw new StudyAnalysisError(`powerLawFit needs ≥ 2 points with ≥ 2 distinct x; got ${points.length} point(s), ${new Set(lx).size} distinct x`);

  const rng = streamFor(seed, 'powerLaw');
  const gammas: number[] = [];
  let skipped = 0;
  for (let r = 0; r < resamples; r++) {
    const idx = resampleIndices(points.length, rng);
    const fit = lineFit(idx.map((i) => lx[i]!), idx.map((i) => ly[i]!));
    if (fit) gammas.push(fit.slope);
    else skipped++;
  }
  gammas.sort((p, q) => p - q);
  const interval: [number, number] = gammas.length > 0 ? [percentile(gammas, LOWER_P), percentile(gammas, UPPER_P)] : [NaN, NaN];
  return {
    a: Math.exp(line.intercept),
    gamma: line.slope,
    r2: line.r2,
    n: points.length,
    interval: { gamma: interval },
    bootstrap: { resamples, used: gammas.length, skipped, seed },
  };
}
