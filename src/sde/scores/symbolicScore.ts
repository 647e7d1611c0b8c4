/**
 * A score from a log-density written by the user: for an expression
 * ℓ(x1, …, xd[, t]) = log p(x) up to an additive constant,
 *
 *   score_k(x, t) = ∂ℓ/∂x_k (x, t),
 *
 * each partial derivative taken once, symbolically, by mathjs `derivative`,
 * and compiled once. The normalising constant drops out of the gradient, so
 * "-(x1^2 + x2^2)/2" is a standard normal and its score is −x.
 *
 * Which density this is the score of: an expression without `t` is the data
 * density p_0, and the Score returns ∇log p_0 whatever t it is asked at — the
 * data score, the t = 0 end of a diffusion, useful as an oracle and for
 * Langevin sampling of p_0. It is NOT the score of the diffused p_t, which
 * would need the convolution of p_0 with a Gaussian; for that the user writes
 * log p_t directly, with `t` in the expression (e.g. for N(0, 1) data under a
 * VE schedule with s(t) = t: "-x1^2 / (2 * (1 + t^2))"), and `t` is then
 * bound to the time each call is made at.
 *
 * Evaluation goes through mathjs's compiled expression tree, which allocates
 * inside mathjs on every call; this Score is meant for tests, small particle
 * counts and exploration, not for the inner loop of a large sampler run.
 */
import type { EvalFunction, MathNode } from 'mathjs';
import { mathjs } from '../_internals/mathjs.js';
import type { Score } from './Score.js';

/** An expression could not be parsed, named an unknown symbol, or evaluated to a non-real value. */
export class SymbolicScoreError extends Error {
  override readonly name = 'SymbolicScoreError';
}

/** Named constants mathjs defines that an expression may use besides x1..xd and t. */
const CONSTANTS = new Set(['pi', 'PI', 'e', 'E', 'tau', 'phi']);

export interface SymbolicScore extends Score {
  /** The expression as given. */
  readonly expression: string;
  /** The derivatives ∂ℓ/∂x_k, as mathjs prints them (for reports and debugging). */
  readonly derivatives: readonly string[];
  /** True when the expression uses `t` (a time-dependent log p_t rather than the data log p_0). */
  readonly usesTime: boolean;
  /** ℓ(x, t) itself, for one point x of length dim. */
  logDensity(x: ArrayLike<number>, t?: number): number;
}

/** The score of the log-density `expression` over variables x1..x`dim` (and optionally t). */
export function symbolicScore(expression: string, dim: number): SymbolicScore {
  if (!Number.isInteger(dim) || dim < 1) throw new SymbolicScoreError(`symbolicScore: dim ${dim} must be a positive integer`);
  let node: MathNode;
  try {
    node = mathjs().parse(expression);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
    throw new SymbolicScoreError(`symbolicScore: cannot parse ${JSON.stringify(expression)} (${reason}); write a mathjs expression in x1..x${dim}`);
  }
  const vars = Array.from({ length: dim }, (_, k) => `x${k + 1}`);
  const allowed = new Set([...vars, 't', ...CONSTANTS]);
  let usesTime = false;
  node.traverse((n, path, parent) => {
    if (n.type !== 'SymbolNode') return;
    // The name of a called function (exp in exp(x1)) is a SymbolNode too, under the FunctionNode's `fn`.
    if (parent?.type === 'FunctionNode' && path === 'fn') return;
    const name = (n as MathNode & { name: string }).name;
    if (name === 't') usesTime = true;
    if (!allowed.has(name)) {
      throw new SymbolicScoreError(
        `symbolicScore: unknown variable ${JSON.stringify(name)} in ${JSON.stringify(expression)}; use x1..x${dim} (and t for a time-dependent log p_t)`,
      );
    }
  });
  let partials: MathNode[];
  try {
    partials = vars.map((v) => mathjs().derivative(node, v));
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
    throw new SymbolicScoreError(`symbolicScore: cannot differentiate ${JSON.stringify(expression)} (${reason}); use functions mathjs can differentiate`);
  }
  const compiled: EvalFunction[] = partials.map((p) => p.compile());
  const value = node.compile();
  // One scope object, refilled per particle, rather than a new one each time.
  const scope: Record<string, number> = { t: 0 };
  const fill = (x: ArrayLike<number>, off: number, t: number) => {
    for (let k = 0; k < dim; k++) scope[vars[k] ?? ''] = x[off + k] ?? 0;
    scope.t = t;
  };
  const real = (v: unknown, what: string): number => {
    if (typeof v === 'number') return v;
    throw new SymbolicScoreError(`symbolicScore: ${what} of ${JSON.stringify(expression)} evaluated to a non-real value (${String(v)}); keep the expression real on the particles' range`);
  };
  return {
    dim,
    expression,
    derivatives: partials.map((p) => p.toString()),
    usesTime,
    evaluate(x: Float64Array, n: number, t: number, out: Float64Array): void {
      for (let i = 0; i < n; i++) {
        fill(x, i * dim, t);
        for (let k = 0; k < dim; k++) out[i * dim + k] = real(compiled[k]?.evaluate(scope), `d/d${vars[k]}`);
      }
    },
    logDensity(x: ArrayLike<number>, t = 0): number {
      fill(x, 0, t);
      return real(value.evaluate(scope), 'the value');
    },
  };
}
