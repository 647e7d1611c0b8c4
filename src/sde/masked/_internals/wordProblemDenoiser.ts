/**
 * The exact denoiser of a word problem (see exactDenoiser.ts): the sequence
 * g_1…g_n · p_1…p_n · p_n is a path of prefix products p_0 = e,
 * p_i = p_{i−1}·g_i, so with the mismatch costs
 *
 *   edge(i, a, b) = [g_i unmasked and g_i ≠ a⁻¹b],   unary(i, b) = [p_i unmasked and ≠ b] (+ the answer at i = n),
 *
 * a forward–backward pass counts the paths of fewest mismatches in
 * O(n·|G|²), in the semiring of (mismatches, count) pairs — min on
 * mismatches, counts added among the minima:
 *
 *   F_i(b) = ⊕_a F_{i−1}(a) ⊗ (edge(i, a, b) + unary(i, b)),   B_{i−1}(a) = ⊕_b (edge(i, a, b) + unary(i, b)) ⊗ B_i(b).
 *
 * Over the paths of fewest mismatches, a masked input g_i = g is weighted by
 * Σ_{a⁻¹b = g} F_{i−1}(a)·B_i(b) (the counts of the paths through the edge
 * (a, b)), a masked trace or answer token p_i = b by F_i(b)·B_i(b).
 */
import type { FiniteGroup } from '../../../circuits/groups/index.js';
import type { Task } from '../../../circuits/tasks/index.js';
import { DenoiserRefusal } from '../DenoiserRefusal.js';
import type { ExactDenoiser, Marginals, Posterior } from '../exactDenoiser.js';
import type { MaskedSequence } from '../maskSchedule.js';
import { sequenceLayout, taskSequence } from '../sequence.js';
import { checkState } from './checkState.js';

const INF = 0x3fffffff;

/** Vectors of (mismatch, relative count) over group elements. */
interface Vec {
  m: Int32Array;
  c: Float64Array;
}

export function wordProblemDenoiser(task: Task, depth: number, group: FiniteGroup<unknown>): ExactDenoiser {
  const elements = group.elements();
  const names = elements.map((e) => group.format(e));
  const K = names.length;
  const index = new Map(names.map((s, i) => [s, i]));
  const mul = new Int32Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) mul[a * K + b] = index.get(group.format(group.multiply(elements[a]!, elements[b]!)))!;
  const e = index.get(group.format(group.identity()))!;
  // leftDiv[a·K + b] = a^{-1}·b: the input element on the edge from prefix a to prefix b.
  const inv = new Int32Array(K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) if (mul[a * K + b] === e) inv[a] = b;
  const leftDiv = new Int32Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) leftDiv[a * K + b] = mul[inv[a]! * K + b]!;

  const n = depth;
  const layout = sequenceLayout(task, depth);
  // The DP reads the sequence as g_1…g_n · p_1…p_n · p_n; check that the task writes exactly that.
  const probe = taskSequence(task, depth, Array.from({ length: n }, (_, i) => names[(i * 7 + 1) % K]!));
  let acc = e;
  const expected: string[] = [];
  const trace: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = (i * 7 + 1) % K;
    expected.push(names[g]!);
    acc = mul[acc * K + g]!;
    trace.push(names[acc]!);
  }
  expected.push(...trace, names[acc]!);
  if (layout.inputLength !== n || layout.traceLength !== n || layout.answerLength !== 1 || probe.join('\u0000') !== expected.join('\u0000')) {
    throw new DenoiserRefusal(`${task.id}: its sequences are not "inputs · prefix products · product" of ${group.name}, so the prefix-product DP does not apply`);
  }
  const who = `exact denoiser (${task.id}, depth ${depth}, word-dp)`;

  const posterior = (state: MaskedSequence): Posterior => {
    checkState(layout, state, who);
    // Observed element ids (−1: masked; −2: a symbol outside the group, which mismatches everything).
    const obs = state.map((s) => (s === null ? -1 : (index.get(s) ?? -2)));
    const inObs = (i: number) => obs[i - 1]!; // input g_i, i = 1..n
    // Unary cost on state p_i: the trace token, plus the answer token at i = n.
    const unary = (i: number, b: number): number => {
      const t = obs[n + i - 1]!;
      let u = t !== -1 && t !== b ? 1 : 0;
      if (i === n) {
        const a = obs[2 * n]!;
        if (a !== -1 && a !== b) u++;
      }
      return u;
    };
    const edge = (i: number, a: number, b: number): number => {
      const g = inObs(i);
      return g !== -1 && leftDiv[a * K + b] !== g ? 1 : 0;
    };

    // Forward: F[i](b) over paths p_0..p_i ending in b, all costs up to and including position i.
    const F: Vec[] = [];
    let logScale = 0;
    const f0: Vec = { m: new Int32Array(K).fill(INF), c: new Float64Array(K) };
    f0.m[e] = 0;
    f0.c[e] = 1;
    F.push(f0);
    for (let i = 1; i <= n; i++) {
      const prev = F[i - 1]!;
      const next: Vec = { m: new Int32Array(K).fill(INF), c: new Float64Array(K) };
      const live = liveStates(prev);
      for (let b = 0; b < K; b++) {
        const u = unary(i, b);
        let best = INF;
        let cnt = 0;
        for (const a of live) {
          const m = prev.m[a]! + edge(i, a, b) + u;
          if (m < best) {
            best = m;
            cnt = prev.c[a]!;
          } else if (m === best) cnt += prev.c[a]!;
        }
        next.m[b] = best;
        next.c[b] = cnt;
      }
      // Rescale counts so that 120^n paths do not overflow; the scale is the same for every entry.
      logScale += rescale(next);
      F.push(next);
    }
    // Backward: B[i](a) over continuations p_{i+1}..p_n from p_i = a, costs of positions > i.
    const B: Vec[] = new Array<Vec>(n + 1);
    const bn: Vec = { m: new Int32Array(K), c: new Float64Array(K).fill(1) };
    B[n] = bn;
    for (let i = n; i >= 1; i--) {
      const nextB = B[i]!;
      const cur: Vec = { m: new Int32Array(K).fill(INF), c: new Float64Array(K) };
      const live: number[] = [];
      const through = new Int32Array(K);
      for (let b = 0; b < K; b++) {
        if (nextB.m[b]! >= INF) continue;
        live.push(b);
        through[b] = nextB.m[b]! + unary(i, b);
      }
      for (let a = 0; a < K; a++) {
        let best = INF;
        let cnt = 0;
        for (const b of live) {
          const m = through[b]! + edge(i, a, b);
          if (m < best) {
            best = m;
            cnt = nextB.c[b]!;
          } else if (m === best) cnt += nextB.c[b]!;
        }
        cur.m[a] = best;
        cur.c[a] = cnt;
      }
      rescale(cur);
      B[i - 1] = cur;
    }

    const last = F[n]!;
    let mismatches = INF;
    for (let b = 0; b < K; b++) mismatches = Math.min(mismatches, last.m[b]!);
    let total = 0;
    for (let b = 0; b < K; b++) if (last.m[b] === mismatches) total += last.c[b]!;
    const logCompletions = logScale + Math.log(total);

    const marginals: Marginals = new Map();
    const normalize = (weights: Float64Array, pos: number) => {
      let sum = 0;
      for (const w of weights) sum += w;
      const dist = new Map<string, number>();
      weights.forEach((w, s) => {
        if (w > 0) dist.set(names[s]!, w / sum);
      });
      marginals.set(pos, dist);
    };
    for (let pos = 0; pos < layout.length; pos++) {
      if (obs[pos] !== -1) continue;
      const weights = new Float64Array(K);
      if (pos < n) {
        // Input g_i: the edge (p_{i−1}, p_i); it is masked, so the edge costs nothing.
        const i = pos + 1;
        const fa = F[i - 1]!;
        const bb = B[i]!;
        const liveA = liveStates(fa);
        for (let b = 0; b < K; b++) {
          if (bb.m[b]! >= INF) continue;
          const mb = bb.m[b]! + unary(i, b);
          for (const a of liveA) {
            if (fa.m[a]! + mb === mismatches) weights[leftDiv[a * K + b]!]! += fa.c[a]! * bb.c[b]!;
          }
        }
      } else {
        // Trace p_i (or the answer p_n): the state itself; F already holds its (masked, so zero) cost.
        const i = pos < 2 * n ? pos - n + 1 : n;
        const fi = F[i]!;
        const bi = B[i]!;
        for (let b = 0; b < K; b++) if (fi.m[b]! + bi.m[b]! === mismatches) weights[b] = fi.c[b]! * bi.c[b]!;
      }
      normalize(weights, pos);
    }
    return { marginals, mismatches, logCompletions };
  };

  return {
    task,
    depth,
    layout,
    method: 'word-dp',
    posterior,
    marginals: (state) => posterior(state).marginals,
    nearestDistance: (sequence) => posterior(sequence).mismatches,
  };
}

function liveStates(v: Vec): number[] {
  const out: number[] = [];
  for (let a = 0; a < v.m.length; a++) if (v.m[a]! < INF) out.push(a);
  return out;
}

/** Divides the counts by their maximum; returns the log of the factor taken out. */
function rescale(v: Vec): number {
  let max = 0;
  for (const c of v.c) if (c > max) max = c;
  if (max === 0) return 0;
  for (let k = 0; k < v.c.length; k++) v.c[k] = v.c[k]! / max;
  return Math.log(max);
}
