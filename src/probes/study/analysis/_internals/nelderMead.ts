/**
 * Nelder–Mead simplex minimisation of f: ℝᵏ → ℝ (k small), with the standard
 * coefficients: reflection 1, expansion 2, contraction ½, shrink ½.
 *
 * The initial simplex is x₀ and x₀ + sᵢ·eᵢ. The search stops when every
 * vertex lies within `xTol` of the best one in every coordinate, or after
 * `maxIter` iterations; unless told not to, it then restarts once from the best vertex with a
 * fresh simplex of the original steps (a standard guard against a collapsed
 * simplex), keeping the better result. Non-finite values of f count as +∞.
 */

export interface NelderMeadOptions {
  steps: readonly number[];
  xTol?: number;
  maxIter?: number;
  /** Restart once from the best vertex; default true. */
  restart?: boolean;
}

export interface Minimum {
  x: number[];
  f: number;
  evaluations: number;
}

export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], options: NelderMeadOptions): Minimum {
  let evaluations = 0;
  const g = (x: readonly number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const first = run(g, x0, options);
  if (options.restart === false) return { x: first.x, f: first.f, evaluations };
  const second = run(g, first.x, options);
  const best = second.f <= first.f ? second : first;
  return { x: best.x, f: best.f, evaluations };
}

function run(g: (x: readonly number[]) => number, x0: readonly number[], options: NelderMeadOptions): { x: number[]; f: number } {
  const k = x0.length;
  const xTol = options.xTol ?? 1e-10;
  const maxIter = options.maxIter ?? 200 * k;
  const simplex: { x: number[]; f: number }[] = [{ x: [...x0], f: g(x0) }];
  for (let i = 0; i < k; i++) {
    const x = [...x0];
    x[i] = x[i]! + options.steps[i]!;
    simplex.push({ x, f: g(x) });
  }
  const combine = (a: readonly number[], b: readonly number[], t: number): number[] => a.map((ai, i) => ai + t * (b[i]! - ai));
  for (let iter = 0; iter < maxIter; iter++) {
    simplex.sort((p, q) => p.f - q.f);
    const best = simplex[0]!;
    let spread = 0;
    for (const v of simplex) for (let i = 0; i < k; i++) spread = Math.max(spread, Math.abs(v.x[i]! - best.x[i]!));
    if (spread <= xTol) break;
    const worst = simplex[k]!;
    const centroid = new Array<number>(k).fill(0);
    for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) centroid[i] = centroid[i]! + simplex[j]!.x[i]! / k;
    const xr = combine(centroid, worst.x, -1);
    const fr = g(xr);
    if (fr < best.f) {
      const xe = combine(centroid, worst.x, -2);
      const fe = g(xe);
      simplex[k] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
    } else if (fr < simplex[k - 1]!.f) {
      simplex[k] = { x: xr, f: fr };
    } else {
      const outside = fr < worst.f;
      const xc = outside ? combine(centroid, xr, 0.5) : combine(centroid, worst.x, 0.5);
      const fc = g(xc);
      if (fc < (outside ? fr : worst.f)) {
        simplex[k] = { x: xc, f: fc };
      } else {
        for (let j = 1; j <= k; j++) {
          const x = combine(best.x, simplex[j]!.x, 0.5);
          simplex[j] = { x, f: g(x) };
        }
      }
    }
  }
  simplex.sort((p, q) => p.f - q.f);
  return simplex[0]!;
}
