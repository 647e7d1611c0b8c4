/**
 * Depth as a function of n for a circuit family built at several n — the
 * evidence that a family is constant-depth (AC0/ACC0/TC0) or logarithmic-depth
 * (NC1 with fan-in ≤ 2), read off finitely many members.
 *
 * This is a model choice on data, so the result reports its evidence: depth is
 * "constant" when it no longer changes over the larger half of the n's;
 * otherwise least squares fits of depth = a + b·log2(n) and depth = a + b·n are
 * compared by residual sum of squares, and the log–log slope of depth (and of
 * size) against n is reported as the power-law exponent. Three or more distinct
 * n ≥ 2 are needed for any verdict.
 */
import type { Circuit } from './Circuit.js';
import { type Basis, BASES } from './gates.js';
import { analyzeStructure } from './structure.js';

export interface FamilyPoint {
  readonly n: number;
  readonly depth: number;
  readonly size: number;
}

export type DepthGrowth = 'constant' | 'logarithmic' | 'polynomial' | 'undetermined';

export interface LinearFit {
  /** y = a + b·x */
  readonly a: number;
  readonly b: number;
  readonly rss: number;
  readonly r2: number;
}

export interface FamilyAnalysis {
  readonly points: readonly FamilyPoint[];
  readonly growth: DepthGrowth;
  /** depth = a + b·log2(n) */
  readonly logFit: LinearFit | undefined;
  /** depth = a + b·n */
  readonly linearFit: LinearFit | undefined;
  /** Slope of log(depth) against log(n). */
  readonly depthExponent: number | undefined;
  /** Slope of log(size) against log(n): size ≈ n^sizeExponent. */
  readonly sizeExponent: number | undefined;
  readonly basis: Basis;
  readonly boundedFanIn: boolean;
  /** e.g. "consistent with TC0: depth constant (3) for n = 4…64, size ~ n^1.00, TC0-type gates". */
  readonly classLabel: string;
}

/** Least squares y = a + b·x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LinearFit | undefined {
  const n = xs.length;
  if (n < 2) return undefined;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const b = sxy / sxx;
  const a = my - b * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ys[i]! - a - b * xs[i]!) ** 2;
  return { a, b, rss, r2: syy === 0 ? 1 : 1 - rss / syy };
}

/** Classifies the depth growth of measured family members. */
export function classifyDepthGrowth(points: readonly FamilyPoint[], basis: Basis, boundedFanIn: boolean): FamilyAnalysis {
  const pts = [...points].sort((p, q) => p.n - q.n);
  const usable = pts.filter((p) => p.n >= 2);
  const distinct = new Set(usable.map((p) => p.n)).size;
  const log2 = usable.map((p) => Math.log2(p.n));
  const logFit = fitLine(log2, usable.map((p) => p.depth));
  const linearFit = fitLine(usable.map((p) => p.n), usable.map((p) => p.depth));
  const positive = usable.filter((p) => p.depth > 0);
  const depthExponent = fitLine(positive.map((p) => Math.log(p.n)), positive.map((p) => Math.log(p.depth)))?.b;
  const sized = usable.filter((p) => p.size > 0);
  const sizeExponent = fitLine(sized.map((p) => Math.log(p.n)), sized.map((p) => Math.log(p.size)))?.b;

  let growth: DepthGrowth = 'undetermined';
  if (distinct >= 3) {
    const tail = usable.slice(Math.floor(usable.length / 2));
    if (tail.every((p) => p.depth === tail[0]!.depth)) growth = 'constant';
    else growth = (logFit?.rss ?? Infinity) <= (linearFit?.rss ?? Infinity) ? 'logarithmic' : 'polynomial';
  }

  const range = usable.length > 0 ? `n = ${usable[0]!.n}…${usable[usable.length - 1]!.n}` : 'no n >= 2';
  const size = sizeExponent === undefined ? '' : `, size ~ n^${sizeExponent.toFixed(2)}`;
  const gates = `${boundedFanIn ? 'fan-in ≤ 2' : `${basis}-type gates`}`;
  const verdict = {
    constant: () => `consistent with ${boundedFanIn ? 'NC0' : basis}: depth constant (${usable[usable.length - 1]!.depth})`,
    logarithmic: () => `consistent with ${boundedFanIn ? 'NC1' : basis.replace('0', '1')}: depth ≈ ${logFit!.a.toFixed(1)} + ${logFit!.b.toFixed(2)}·log2 n`,
    polynomial: () => `depth grows polynomially: ~ n^${(depthExponent ?? NaN).toFixed(2)}`,
    undetermined: () => 'undetermined: needs depths at three or more distinct n >= 2',
  }[growth]();
  return {
    points: pts,
    growth,
    logFit,
    linearFit,
    depthExponent,
    sizeExponent,
    basis,
    boundedFanIn,
    classLabel: `${verdict} for ${range}${size}, ${gates}`,
  };
}

/** Builds `build(n)` for each n, measures it, and classifies the family's depth growth. */
export function analyzeFamily(build: (n: number) => Circuit, ns: readonly number[]): FamilyAnalysis {
  const structures = ns.map((n) => ({ n, s: analyzeStructure(build(n)) }));
  const basis = BASES[Math.max(0, ...structures.map(({ s }) => BASES.indexOf(s.basis)))]!;
  const boundedFanIn = structures.every(({ s }) => s.boundedFanIn);
  return classifyDepthGrowth(structures.map(({ n, s }) => ({ n, depth: s.depth, size: s.size })), basis, boundedFanIn);
}
