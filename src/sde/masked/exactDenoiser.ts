/**
 * The exact denoiser of masked diffusion on a task's sequences — the
 * function a perfectly trained MDLM network (Sahoo et al. 2024) would
 * compute: for a partly masked sequence x_t, the conditional distribution
 * p(x_i | unmasked tokens of x_t) of every masked position i under the data
 * distribution, which is uniform over the task's inputs at a depth (trace and
 * answer being functions of the input; see sequence.ts).
 *
 *   p(x_i = s | x_t) = #{valid x consistent with x_t, x_i = s} / #{valid x consistent with x_t}
 *
 * Two exact methods:
 *  - enumerate: every input of the depth (task.allInputs, at most 2^17 of
 *    them), keeping the sequences that agree with the unmasked tokens;
 *  - word-dp: for word problems (task.parameters.group), dynamic programming
 *    over prefix products. The sequence g_1…g_n · p_1…p_n · p_n is a hidden
 *    chain p_0 = e, p_i = p_{i−1}·g_i: a uniform input is a uniform path of
 *    prefix products (g_i = p_{i−1}^{−1} p_i is a bijection for fixed p_{i−1}),
 *    position i of the input is read off the edge (p_{i−1}, p_i) and position i
 *    of the trace off the state p_i. A forward–backward pass counts the
 *    consistent paths in O(n·|G|²), so S5 at n = 8 (120^8 inputs) is exact.
 *
 * Inconsistent states. Few-step samplers unmask several positions at once,
 * each drawn from its own marginal, and can produce unmasked tokens that no
 * valid sequence agrees with (Feng et al. 2025); the conditional above is then
 * 0/0. Both methods define it as the limit η → 0 of a denoiser that believes
 * each visible token was corrupted with probability η: the posterior
 * concentrates, uniformly, on the valid sequences that disagree with the
 * fewest unmasked tokens. When the state is consistent that minimum is 0 and
 * this is exactly the conditional above. The same minimum, with every
 * position visible, is the Hamming distance to the nearest valid sequence
 * (the token error of validity.ts).
 */
import { parseGroup } from '../../circuits/groups/index.js';
import type { FiniteGroup } from '../../circuits/groups/index.js';
import { ENUMERATE_LIMIT } from '../../circuits/tasks/index.js';
import type { Task, TaskInput } from '../../circuits/tasks/index.js';
import type { MaskedSequence } from './maskSchedule.js';
import { sameLayout, sequenceLayout, sequenceLayoutOf, taskSequence, type SequenceLayout } from './sequence.js';

export type DenoiserMethod = 'enumerate' | 'word-dp';

/** Per masked position, the probability of each symbol (entries sum to 1). */
export type Marginals = Map<number, Map<string, number>>;

export interface Posterior {
  /** Per masked position: p(symbol | unmasked tokens). */
  readonly marginals: Marginals;
  /** Fewest unmasked tokens a valid sequence disagrees with: 0 iff the state is consistent. */
  readonly mismatches: number;
  /** Natural log of the number of valid sequences achieving `mismatches`. */
  readonly logCompletions: number;
}

export interface ExactDenoiser {
  readonly task: Task;
  readonly depth: number;
  readonly layout: SequenceLayout;
  readonly method: DenoiserMethod;
  posterior(state: MaskedSequence): Posterior;
  /** posterior(state).marginals. */
  marginals(state: MaskedSequence): Marginals;
  /** Hamming distance from a full sequence to the nearest valid sequence. */
  nearestDistance(sequence: readonly string[]): number;
}

export class DenoiserRefusal extends RangeError {
  override readonly name = 'DenoiserRefusal';
}

export interface ExactDenoiserOptions {
  /** 'auto' (default): word-dp for word problems, enumerate otherwise. */
  readonly method?: DenoiserMethod | 'auto';
}

export function exactDenoiser(task: Task, depth: number, options: ExactDenoiserOptions = {}): ExactDenoiser {
  if (!Number.isInteger(depth) || depth < task.minDepth || depth > task.maxDepth) {
    throw new RangeError(`${task.id}: depth must be an integer in [${task.minDepth}, ${task.maxDepth}], got ${depth}`);
  }
  const method = options.method ?? 'auto';
  const group = wordProblemGroup(task);
  if (method === 'word-dp' || (method === 'auto' && group !== undefined)) {
    if (group === undefined) {
      throw new DenoiserRefusal(`${task.id} is not a word problem (no parseable parameters.group), so the prefix-product DP does not apply; use method 'enumerate'`);
    }
    return wordProblemDenoiser(task, depth, group);
  }
  return enumeratingDenoiser(task, depth);
}

/** The group of a word-problem task, or undefined for other tasks. */
export function wordProblemGroup(task: Task): FiniteGroup<unknown> | undefined {
  const name = task.parameters['group'];
  if (typeof name !== 'string') return undefined;
  return parseGroup(name) as FiniteGroup<unknown> | undefined;
}

function checkState(layout: SequenceLayout, state: MaskedSequence, who: string): void {
  if (state.length !== layout.length) {
    throw new RangeError(`${who}: state has length ${state.length}, the sequences of this depth have length ${layout.length}`);
  }
}

// ---------------------------------------------------------------------------
// Enumeration

function enumeratingDenoiser(task: Task, depth: number): ExactDenoiser {
  const count = task.countInputs(depth);
  if (count > BigInt(ENUMERATE_LIMIT)) {
    throw new DenoiserRefusal(
      `${task.id} at depth ${depth} has ${count} inputs, more than 2^17 = ${ENUMERATE_LIMIT}: exact enumeration refused` +
        ' (word problems have an exact prefix-product DP: method "word-dp")',
    );
  }
  const layout = sequenceLayout(task, depth);
  const L = layout.length;
  const symbols: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = symbols.push(s) - 1));
    return id;
  };
  const n = Number(count);
  const table = new Int32Array(n * L);
  let row = 0;
  for (const input of task.allInputs(depth) as Iterable<TaskInput>) {
    if (!sameLayout(sequenceLayoutOf(task, depth, input), layout)) {
      throw new DenoiserRefusal(`${task.id} at depth ${depth}: sequences have different segment lengths, so masked positions are not aligned`);
    }
    const seq = taskSequence(task, depth, input);
    for (let i = 0; i < L; i++) table[row * L + i] = idOf(seq[i]!);
    row++;
  }
  const who = `exact denoiser (${task.id}, depth ${depth})`;

  const posterior = (state: MaskedSequence): Posterior => {
    checkState(layout, state, who);
    const observed: number[] = [];
    const observedId: number[] = [];
    const masked: number[] = [];
    state.forEach((s, i) => {
      if (s === null) masked.push(i);
      else {
        observed.push(i);
        // A symbol no valid sequence uses at this depth can only mismatch.
        observedId.push(ids.get(s) ?? -1);
      }
    });
    const mism = new Int32Array(row);
    let best = Infinity;
    for (let r = 0; r < row; r++) {
      let m = 0;
      for (let k = 0; k < observed.length && m <= best; k++) if (table[r * L + observed[k]!] !== observedId[k]) m++;
      mism[r] = m;
      if (m < best) best = m;
    }
    const counts = masked.map(() => new Float64Array(symbols.length));
    let total = 0;
    for (let r = 0; r < row; r++) {
      if (mism[r] !== best) continue;
      total++;
      for (let k = 0; k < masked.length; k++) counts[k]![table[r * L + masked[k]!]!]!++;
    }
    const marginals: Marginals = new Map();
    masked.forEach((pos, k) => {
      const dist = new Map<string, number>();
      counts[k]!.forEach((c, id) => {
        if (c > 0) dist.set(symbols[id]!, c / total);
      });
      marginals.set(pos, dist);
    });
    return { marginals, mismatches: best, logCompletions: Math.log(total) };
  };

  return {
    task,
    depth,
    layout,
    method: 'enumerate',
    posterior,
    marginals: (state) => posterior(state).marginals,
    nearestDistance: (sequence) => posterior(sequence).mismatches,
  };
}

// ---------------------------------------------------------------------------
// Word problems: forward–backward over prefix products in the semiring of
// (mismatches, count) pairs — min on mismatches, counts added among the minima.

const INF = 0x3fffffff;

/** Vectors of (mismatch, relative count) over group elements. */
interface Vec {
  m: Int32Array;
  c: Float64Array;
}

function wordProblemDenoiser(task: Task, depth: number, group: FiniteGroup<unknown>): ExactDenoiser {
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
