/**
 * The forward and reverse processes of any Schedule (Song et al. 2021,
 * "Score-Based Generative Modeling through SDEs", Eqs. 5, 6 and 13):
 *
 *   forward            dx = f(t)·x dt + g(t) dW,         x_t | x0 ~ N(a(t)·x0, s(t)² I);
 *   reverse-time SDE   dx = [f(t)·x − g(t)²·∇log p_t(x)] dt + g(t) dW̄   (run from T down to 0);
 *   probability flow   dx/dt = f(t)·x − ½g(t)²·∇log p_t(x)   (same marginals, no noise).
 *
 * Particles are a batch in the [n, dim] row-major Float64Array layout of
 * Score.ts. The functions write into caller-provided buffers and allocate
 * nothing per particle, so samplers can call them at every step.
 */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { NormalSampler } from './_internals/random.js';
import type { Schedule } from './schedules/Schedule.js';
import type { Score } from './scores/Score.js';

/**
 * Where standard normal draws come from: a NormalSampler, a pure-rand
 * generator (wrapped in a fresh NormalSampler for the call), or an array of
 * draws already made (at least as long as the batch).
 */
export type NormalSource = NormalSampler | RandomGenerator | Float64Array;

/** Returns a function giving the i-th draw of this call. */
function drawer(noise: NormalSource, needed: number, where: string): (i: number) => number {
  if (noise instanceof Float64Array) {
    if (noise.length < needed) throw new Error(`${where}: ${needed} normal draws needed, the array has ${noise.length}`);
    return (i) => noise[i]!;
  }
  const sampler = noise instanceof NormalSampler ? noise : new NormalSampler(noise);
  return () => sampler.next();
}

/**
 * Samples x_t = a(t)·x0 + s(t)·z, z ~ N(0, I), elementwise over the whole
 * batch (any layout: the map acts on each coordinate). Writes `out` (may be
 * x0 itself) and returns it.
 */
export function forwardSample(
  schedule: Schedule,
  x0: Float64Array,
  t: number,
  noise: NormalSource,
  out: Float64Array = new Float64Array(x0.length),
): Float64Array {
  if (out.length < x0.length) throw new Error(`forwardSample: out has ${out.length} entries, x0 has ${x0.length}`);
  const a = schedule.mean(t);
  const s = schedule.std(t);
  const z = drawer(noise, x0.length, 'forwardSample');
  for (let i = 0; i < x0.length; i++) out[i] = a * x0[i]! + s * z(i);
  return out;
}

/**
 * One Euler–Maruyama step of the forward SDE, in place:
 *   x ← x + f(t)·x·dt + g(t)·√dt·z,   dt > 0.
 * Returns x. Meant for tests of a schedule against its closed-form marginals.
 */
export function forwardSdeStep(schedule: Schedule, x: Float64Array, t: number, dt: number, noise: NormalSource): Float64Array {
  if (!(dt > 0)) throw new Error(`forwardSdeStep: dt must be > 0, got ${dt}`);
  const contraction = 1 + schedule.drift(t) * dt;
  const noiseScale = schedule.diffusion(t) * Math.sqrt(dt);
  const z = drawer(noise, x.length, 'forwardSdeStep');
  for (let i = 0; i < x.length; i++) x[i] = contraction * x[i]! + noiseScale * z(i);
  return x;
}

/** Evaluates the score into `out`, then out ← f(t)·x − weight·g(t)²·out. */
function scoreDrift(
  where: string,
  weight: number,
  schedule: Schedule,
  x: Float64Array,
  t: number,
  score: Score,
  out: Float64Array,
  n: number,
): Float64Array {
  const size = n * score.dim;
  if (!Number.isInteger(n) || n < 0 || size > x.length) {
    throw new Error(`${where}: ${n} particles of dimension ${score.dim} do not fit x of length ${x.length}`);
  }
  if (out.length < size) throw new Error(`${where}: out has ${out.length} entries, ${size} needed`);
  // The score is written into out first; an out aliasing x would overwrite the particles.
  if (out.buffer === x.buffer && out.byteOffset < x.byteOffset + size * 8 && x.byteOffset < out.byteOffset + size * 8) {
    throw new Error(`${where}: out must not overlap x`);
  }
  score.evaluate(x, n, t, out);
  const f = schedule.drift(t);
  const g = schedule.diffusion(t);
  const w = weight * g * g;
  for (let i = 0; i < size; i++) out[i] = f * x[i]! - w * out[i]!;
  return out;
}

/**
 * Drift of the reverse-time SDE, f(t)·x − g(t)²·∇log p_t(x), for n particles
 * (default: all of x). `out` must not overlap x. Integrating backwards,
 * x_{t−h} ≈ x_t − h·drift + g(t)·√h·z.
 */
export function reverseSdeDrift(
  schedule: Schedule,
  x: Float64Array,
  t: number,
  score: Score,
  out: Float64Array,
  n: number = x.length / score.dim,
): Float64Array {
  return scoreDrift('reverseSdeDrift', 1, schedule, x, t, score, out, n);
}

/**
 * Velocity of the probability-flow ODE, f(t)·x − ½g(t)²·∇log p_t(x), for n
 * particles (default: all of x). `out` must not overlap x.
 */
export function probabilityFlowDrift(
  schedule: Schedule,
  x: Float64Array,
  t: number,
  score: Score,
  out: Float64Array,
  n: number = x.length / score.dim,
): Float64Array {
  return scoreDrift('probabilityFlowDrift', 0.5, schedule, x, t, score, out, n);
}
