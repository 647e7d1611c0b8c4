/**
 * A VP schedule whose rate β(t) is a user's mathjs expression in t, e.g.
 * "0.1 + 19.9*t" (the linear VP of Song et al. 2021, Eq. 11):
 *
 *   dx = −½β(t)·x dt + √β(t) dW,   B(t) = ∫₀ᵗ β(u) du,   x_t = e^{−B/2}·x0 + √(1 − e^{−B})·z.
 *
 * The expression is parsed once and checked: only the variable t (and the
 * constants pi, e, tau), a fixed list of elementary functions, and a real,
 * finite, non-negative value at every point of a grid over [0, T].
 *
 * B(t) is symbolic when mathjs's `rationalize` shows β to be a polynomial in t
 * (then B(t) = Σ c_k t^{k+1}/(k+1), `method: 'symbolic'`), and otherwise
 * numerical: adaptive Simpson quadrature with relative tolerance 1e-10
 * (`method: 'numerical'`), from precomputed values of B at 64 knots over [0, T]
 * plus one adaptive integral from the nearest knot below t.
 */
import type { EvalFunction, MathNode } from 'mathjs';
import { mathjs } from '../_internals/mathjs.js';
import { vpFromBeta, type VpSchedule } from './vpLinear.js';

/** Relative tolerance of the numerical integral B(t) = ∫₀ᵗ β. */
export const INTEGRATION_TOLERANCE = 1e-10;

/** Constants an expression may name besides t (values substituted before `rationalize`). */
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };

/** Functions an expression may call: real elementary functions of mathjs, nothing with side effects. */
const FUNCTIONS = new Set([
  'abs', 'sign', 'sqrt', 'cbrt', 'square', 'cube', 'pow', 'exp', 'expm1', 'log', 'log1p', 'log2', 'log10',
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'asin', 'acos', 'atan', 'atan2',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'min', 'max', 'floor', 'ceil', 'round',
]);

/** Node types allowed in an expression: arithmetic, comparisons, `c ? a : b`, function calls. */
const NODE_TYPES = new Set(['ConstantNode', 'SymbolNode', 'OperatorNode', 'ParenthesisNode', 'FunctionNode', 'ConditionalNode']);

/** Points of the validation grid over [0, T]. */
const VALIDATION_POINTS = 1001;
/** Knots over [0, T] at which B is precomputed in the numerical method. */
const KNOTS = 64;

export interface ExpressionScheduleOptions {
  /** End time (default 1). */
  T?: number;
  /** Smallest sampling time (default 1e-3, as for vp-linear). */
  tMin?: number;
}

export interface ExpressionSchedule extends VpSchedule {
  /** The expression as given (trimmed). */
  readonly expression: string;
  /** How B(t) = ∫₀ᵗ β is computed. */
  readonly method: 'symbolic' | 'numerical';
  /** β(t) = Σ coefficients[k]·t^k when `method` is 'symbolic'. */
  readonly coefficients?: readonly number[];
}

/**
 * ∫_a^b f by adaptive Simpson quadrature (Lyness 1969), to an absolute error
 * of about relTol·|∫_a^b f|, judged from a 64-panel composite Simpson estimate
 * so that a first panel that misses a bump does not set the scale.
 */
export function adaptiveSimpson(f: (x: number) => number, a: number, b: number, relTol = INTEGRATION_TOLERANCE): number {
  if (a === b) return 0;
  const panels = 64;
  const h = (b - a) / panels;
  let rough = f(a) + f(b);
  for (let i = 1; i < panels; i++) rough += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  rough *= h / 3;
  const tol = relTol * Math.abs(rough);
  const fa = f(a);
  const fb = f(b);
  const m = 0.5 * (a + b);
  const fm = f(m);
  return simpsonStep(f, a, b, fa, fm, fb, ((b - a) / 6) * (fa + 4 * fm + fb), tol, 50);
}

function simpsonStep(
  f: (x: number) => number,
  a: number,
  b: number,
  fa: number,
  fm: number,
  fb: number,
  whole: number,
  tol: number,
  depth: number,
): number {
  const m = 0.5 * (a + b);
  const lm = 0.5 * (a + m);
  const rm = 0.5 * (m + b);
  const flm = f(lm);
  const frm = f(rm);
  const left = ((m - a) / 6) * (fa + 4 * flm + fm);
  const right = ((b - m) / 6) * (fm + 4 * frm + fb);
  const delta = left + right - whole;
  // |S2 − S| ≤ 15·tol bounds the error of S2 by tol (Richardson); the
  // correction delta/15 makes the accepted value fifth-order.
  if (depth <= 0 || Math.abs(delta) <= 15 * tol) return left + right + delta / 15;
  return (
    simpsonStep(f, a, m, fa, flm, fm, left, tol / 2, depth - 1) + simpsonStep(f, m, b, fm, frm, fb, right, tol / 2, depth - 1)
  );
}

function fail(expression: string, problem: string): never {
  throw new Error(`schedule expr:${expression}: ${problem}`);
}

/** Rejects anything but arithmetic in t with the allowed constants and functions. */
function checkNodes(expression: string, root: MathNode): void {
  root.traverse((node, _path, parent) => {
    if (!NODE_TYPES.has(node.type)) fail(expression, `${node.type.replace(/Node$/, '').toLowerCase()} "${node.toString()}" is not allowed; write β(t) as arithmetic in t`);
    if (node.type === 'ConstantNode' && typeof (node as unknown as { value: unknown }).value !== 'number') {
      fail(expression, `constant ${node.toString()} is not a number`);
    }
    if (node.type === 'FunctionNode') {
      const fn = (node as unknown as { fn: MathNode }).fn;
      const name = fn.type === 'SymbolNode' ? (fn as unknown as { name: string }).name : fn.toString();
      if (!FUNCTIONS.has(name)) fail(expression, `function "${name}" is not allowed (allowed: ${[...FUNCTIONS].join(', ')})`);
    }
    if (node.type === 'SymbolNode') {
      const isFunctionName = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === node;
      const name = (node as unknown as { name: string }).name;
      if (!isFunctionName && name !== 't' && !(name in CONSTANTS)) {
        fail(expression, `unknown variable "${name}"; the only variable is t (constants: ${Object.keys(CONSTANTS).join(', ')})`);
      }
    }
    return node;
  });
}

/** Coefficients c_0..c_d of β(t) = Σ c_k t^k when mathjs can show β to be a polynomial in t; else undefined. */
function polynomialCoefficients(root: MathNode): number[] | undefined {
  let r: { variables: string[]; coefficients: unknown[]; denominator?: unknown; expression: MathNode | string };
  try {
    r = mathjs().rationalize(root, { ...CONSTANTS }, true) as typeof r;
  } catch {
    // rationalize throws on anything non-rational (sin, non-integer powers, conditionals).
    return undefined;
  }
  if (r.denominator != null) return undefined;
  if (r.variables.length === 0) {
    const value: unknown = typeof r.expression === 'string' ? mathjs().parse(r.expression).evaluate() : r.expression.evaluate();
    return typeof value === 'number' ? [value] : undefined;
  }
  if (r.variables.length !== 1 || r.variables[0] !== 't') return undefined;
  if (!r.coefficients.every((c): c is number => typeof c === 'number' && Number.isFinite(c))) return undefined;
  return r.coefficients as number[];
}

function horner(c: readonly number[], t: number): number {
  let acc = 0;
  for (let k = c.length - 1; k >= 0; k--) acc = acc * t + c[k]!;
  return acc;
}

/**
 * A VP schedule with rate β(t) given by `expression` (a mathjs expression in t).
 * Throws a one-line Error naming the expression and the problem when it does
 * not parse, names other variables or functions, or is not real, finite and
 * ≥ 0 on a 1001-point grid over [0, T], or is 0 on all of it.
 */
export function expressionSchedule(expression: string, { T = 1, tMin = 1e-3 }: ExpressionScheduleOptions = {}): ExpressionSchedule {
  const text = expression.trim();
  if (text === '') fail(text, 'the expression is empty; give β(t), e.g. expr:0.1 + 19.9*t');
  if (!(T > 0 && Number.isFinite(T) && tMin >= 0 && tMin < T)) fail(text, `need 0 <= tMin < T < Infinity, got tMin=${tMin}, T=${T}`);
  let root: MathNode;
  try {
    root = mathjs().parse(text);
  } catch (err) {
    fail(text, `does not parse: ${(err as Error).message}`);
  }
  checkNodes(text, root);
  let code: EvalFunction;
  try {
    code = root.compile();
  } catch (err) {
    fail(text, `does not compile: ${(err as Error).message}`);
  }
  // One scope object, reused: β is evaluated at every sampler step.
  const scope: Record<string, number> = { ...CONSTANTS, t: 0 };
  const evalBeta = (t: number): unknown => {
    scope.t = t;
    return code.evaluate(scope);
  };

  let anyPositive = false;
  for (let i = 0; i < VALIDATION_POINTS; i++) {
    const t = (i / (VALIDATION_POINTS - 1)) * T;
    let v: unknown;
    try {
      v = evalBeta(t);
    } catch (err) {
      fail(text, `cannot be evaluated at t=${t}: ${(err as Error).message}`);
    }
    if (typeof v !== 'number') fail(text, `β(${t}) = ${String(v)} is not a real number`);
    if (!Number.isFinite(v)) fail(text, `β(${t}) = ${v} is not finite; β must be finite on [0, ${T}]`);
    if (v < 0) fail(text, `β(${t}) = ${v} is negative; β must be >= 0 on [0, ${T}]`);
    if (v > 0) anyPositive = true;
  }
  if (!anyPositive) fail(text, `β is 0 on all of [0, ${T}], so the process adds no noise`);

  const beta = (t: number): number => evalBeta(t) as number;
  const name = `expr:${text}`;
  const coefficients = polynomialCoefficients(root);
  // Trust the expansion only if it reproduces β on the grid (guards against
  // rounding in rationalize's expansion of large powers).
  const polynomialAgrees =
    coefficients !== undefined &&
    Array.from({ length: 101 }, (_, i) => (i / 100) * T).every((t) => {
      const want = beta(t);
      return Math.abs(horner(coefficients, t) - want) <= 1e-9 * Math.max(1, Math.abs(want));
    });

  if (coefficients !== undefined && polynomialAgrees) {
    // ∫₀ᵗ Σ c_k u^k du = t·Σ (c_k/(k+1)) t^k.
    const integrated = coefficients.map((c, k) => c / (k + 1));
    const s = vpFromBeta({ name, beta, integratedBeta: (t) => t * horner(integrated, t), T, tMin });
    return { ...s, expression: text, method: 'symbolic', coefficients };
  }

  const knots = new Float64Array(KNOTS + 1);
  const h = T / KNOTS;
  for (let k = 1; k <= KNOTS; k++) knots[k] = knots[k - 1]! + adaptiveSimpson(beta, (k - 1) * h, k * h);
  const integratedBeta = (t: number): number => {
    if (!(t >= 0 && t <= T)) return adaptiveSimpson(beta, 0, t);
    const k = Math.min(KNOTS - 1, Math.floor(t / h));
    return knots[k]! + adaptiveSimpson(beta, k * h, t);
  };
  const s = vpFromBeta({ name, beta, integratedBeta, T, tMin });
  return { ...s, expression: text, method: 'numerical' };
}
