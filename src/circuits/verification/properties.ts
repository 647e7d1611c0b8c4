/**
 * The property suite behind `depthlab verify`: fast-check properties over the
 * circuit families and the task generators, run as a user-facing check.
 *   - every family computes its reference function (random sizes, seeds and inputs);
 *   - depth growth matches the class: constant for AC0/TC0 families, O(log n)
 *     for NC1 families, measured against the number of inputs n;
 *   - A_k word problems stay in A_k;
 *   - task traces are consistent with their answers (recomputed independently);
 *   - train and test splits are disjoint.
 * Each property is a named, seeded fast-check run whose failure can be replayed
 * from its seed and path.
 */
import fc from 'fast-check';
import { classifyDepthGrowth } from '../depthGrowth.js';
import { evaluate } from '../evaluate.js';
import { FAMILIES } from '../families/registry.js';
import type { CircuitFamily } from '../families/CircuitFamily.js';
import { compileBarrington, evaluateProgram, SIGMA } from '../families/barrington.js';
import { evaluateFormula, formulaDepth, randomBalancedFormula } from '../families/formula.js';
import { alternatingGroup } from '../groups/group.js';
import { compose, equal, formatPermutation, identity, isIdentity, parsePermutation, sign } from '../groups/permutation.js';
import { analyzeStructure } from '../structure.js';
import { sampleSplits } from '../tasks/splits.js';
import { seededRng } from '../_internals/seededRng.js';
import { allTasks } from '../tasks/registry.js';
import type { Example, Task } from '../tasks/Task.js';
import { wordProblemTask } from '../tasks/wordProblemTask.js';

export interface PropertyResult {
  readonly name: string;
  readonly ok: boolean;
  readonly numRuns: number;
  /** Seed and path that replay the failure: fc.assert(prop, { seed, path }). */
  readonly seed: number;
  readonly path?: string;
  readonly counterexample?: string;
  readonly error?: string;
}

export interface VerificationProperty {
  readonly name: string;
  /** Family or task ids this property is about (for --family filtering). */
  readonly subjects: readonly string[];
  run(parameters: { numRuns: number; seed: number }): PropertyResult;
}

/** fast-check's run details as a plain result; error texts are cut to their first line. */
export function summarize<T>(name: string, details: fc.RunDetails<T>): PropertyResult {
  if (!details.failed) return { name, ok: true, numRuns: details.numRuns, seed: details.seed };
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? 'interrupted');
  return {
    name,
    ok: false,
    numRuns: details.numRuns,
    seed: details.seed,
    ...(details.counterexamplePath === null ? {} : { path: details.counterexamplePath }),
    ...(details.counterexample === null ? {} : { counterexample: fc.stringify(details.counterexample).slice(0, 500) }),
    error: error.split('\n')[0]!,
  };
}

const CONSTANT_DEPTH = new Set(['AC0', 'ACC0', 'TC0']);

/** params(n) with a different seed, for families that take one. */
function withSeed<P>(family: CircuitFamily<P>, n: number, seed: number): P {
  const p = family.params(n);
  return typeof p === 'object' && p !== null && 'seed' in p ? { ...p, seed } : p;
}

function familyMatchesReference<P>(family: CircuitFamily<P>): VerificationProperty {
  const sizes = [...new Set([1, 2, 3, 4, ...family.sizes])];
  return {
    name: `${family.name}: circuit equals its reference function`,
    subjects: [family.name],
    run({ numRuns, seed }) {
      return summarize(this.name, fc.check(
        fc.property(fc.constantFrom(...sizes), fc.integer({ min: 0, max: 1000 }), fc.infiniteStream(fc.boolean()), (n, s, bits) => {
          const params = withSeed(family, n, s);
          const circuit = family.build(params);
          const x = [...bits.take(circuit.inputs.length)];
          const got = Array.from(evaluate(circuit, x), Boolean);
          const want = family.reference(params, x);
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            throw new Error(`n=${n}: input ${x.map(Number).join('')} gives ${got.map(Number).join('')}, reference ${want.map(Number).join('')}`);
          }
        }),
        { numRuns, seed },
      ));
    },
  };
}

/** Depth against the number of inputs over the family's sizes: constant for constant-depth classes, logarithmic for NC1. */
function familyDepthGrowth<P>(family: CircuitFamily<P>): VerificationProperty | undefined {
  const want = CONSTANT_DEPTH.has(family.expectedClass) ? 'constant' : family.expectedClass === 'NC1' ? 'logarithmic' : undefined;
  if (want === undefined) return undefined;
  return {
    name: `${family.name}: depth is ${want === 'constant' ? 'independent of n' : 'O(log n)'} (${family.expectedClass})`,
    subjects: [family.name],
    run({ seed }) {
      return summarize(this.name, fc.check(
        fc.property(fc.constant(null), () => {
          const points = family.sizes.map((n) => {
            const s = analyzeStructure(family.build(withSeed(family, n, seed)));
            return { n: s.inputs, depth: s.depth, size: s.size };
          });
          const growth = classifyDepthGrowth(points, 'TC0', false).growth;
          const ok = want === 'constant' ? growth === 'constant' : growth === 'logarithmic' || growth === 'constant';
          if (!ok) throw new Error(`depth against inputs ${JSON.stringify(points.map((p) => [p.n, p.depth]))} grows ${growth}, expected ${want}`);
        }),
        { numRuns: 1, seed },
      ));
    },
  };
}

function barringtonComputesItsFormula(): VerificationProperty {
  return {
    name: 'barrington: programs compute their formula, with length ≤ 4^d',
    subjects: ['barrington', 'formula'],
    run({ numRuns, seed }) {
      return summarize(this.name, fc.check(
        fc.property(fc.integer({ min: 0, max: 4 }), fc.integer(), fc.infiniteStream(fc.boolean()), (depth, s, bits) => {
          const f = randomBalancedFormula({ depth, seed: s });
          const program = compileBarrington(f);
          if (program.length > 4 ** formulaDepth(f)) throw new Error(`depth ${formulaDepth(f)}: length ${program.length} > 4^d`);
          const x = [...bits.take(2 ** depth)];
          const product = evaluateProgram(program, x);
          const want = evaluateFormula(f, x);
          if (want ? !equal(product, SIGMA) : !isIdentity(product)) {
            throw new Error(`depth ${depth}, seed ${s}: formula ${want ? 1 : 0} but the program yields ${formatPermutation(product)}`);
          }
        }),
        { numRuns, seed },
      ));
    },
  };
}

function alternatingStaysAlternating(): VerificationProperty {
  return {
    name: 'A_k word problems stay in A_k',
    subjects: ['a5', 'word'],
    run({ numRuns, seed }) {
      return summarize(this.name, fc.check(
        fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 24 }), fc.integer(), (k, n, s) => {
          const task = wordProblemTask(alternatingGroup(k));
          const ex = drawExample(task, n, s);
          for (const e of [...(ex.input as string[]), ...ex.trace, ex.answer]) {
            if (sign(parsePermutation(e)!) !== 1) throw new Error(`A${k}, n=${n}: ${e} is odd`);
          }
        }),
        { numRuns, seed },
      ));
    },
  };
}

/** One example from a uniformly random input (splits play no part here). */
function drawExample(task: Task, depth: number, seed: number): Example {
  const input = task.randomInput(depth, seededRng(seed));
  return { id: `${task.id}_d${depth}_seed${seed}`, family: task.id, depth, input, ...task.solve(depth, input) };
}

/** Trace checks that do not go through the task's own solver. */
function traceIsConsistent(task: Task, ex: Example): string | undefined {
  const last = ex.trace[ex.trace.length - 1];
  if (task.parameters['group'] !== undefined) {
    const expected = prefixProducts(String(task.parameters['group']), ex.input as readonly string[]);
    const wrong = expected.findIndex((e, i) => ex.trace[i] !== e);
    if (wrong >= 0) return `prefix product ${wrong + 1} should be ${expected[wrong]}`;
    return last === ex.answer ? undefined : 'the answer is not the last prefix product';
  }
  const again = task.solve(ex.depth, ex.input);
  if (JSON.stringify(again) !== JSON.stringify({ trace: ex.trace, answer: ex.answer })) return 'solving the input again gives another trace';
  if (['parity', 'mod-count'].includes(task.id) && last !== ex.answer) return 'the answer is not the last prefix value';
  return undefined;
}

/**
 * The prefix products of `input` in the group named `name`, recomputed
 * without the task's solver: Z_m as sums mod m, S_k / A_k by composing
 * permutations, a product G×H componentwise on elements written "g.h".
 */
function prefixProducts(name: string, input: readonly string[]): string[] {
  const factors = name.split(/[x×]/i);
  if (factors.length === 2) {
    const parts = input.map((e) => e.split('.'));
    const left = prefixProducts(factors[0]!, parts.map((p) => p[0] ?? ''));
    const right = prefixProducts(factors[1]!, parts.map((p) => p[1] ?? ''));
    return left.map((l, i) => `${l}.${right[i]}`);
  }
  if (/^Z/i.test(name)) {
    const m = Number(name.slice(1));
    let acc = 0;
    return input.map((e) => String((acc = (acc + Number(e)) % m)));
  }
  let acc = identity(input[0]!.length);
  return input.map((e) => formatPermutation((acc = compose(acc, parsePermutation(e)!))));
}

function tracesConsistent(task: Task): VerificationProperty {
  const maxDepth = Math.min(task.maxDepth, task.minDepth + 24);
  return {
    name: `${task.id}: traces are consistent with their answers`,
    subjects: [task.id],
    run({ numRuns, seed }) {
      return summarize(this.name, fc.check(
        fc.property(fc.integer({ min: task.minDepth, max: maxDepth }), fc.integer(), (depth, s) => {
          const ex = drawExample(task, depth, s);
          const problem = traceIsConsistent(task, ex);
          if (problem !== undefined) throw new Error(`${ex.id}: ${problem}`);
        }),
        { numRuns, seed },
      ));
    },
  };
}

function splitsDisjoint(task: Task): VerificationProperty {
  // From the first depth with room for 8 + 8 distinct examples (at least 256 inputs), a few depths up.
  let lo = task.minDepth;
  while (lo < task.maxDepth && task.countInputs(lo) < 256n) lo++;
  const hi = Math.min(task.maxDepth, lo + 6);
  return {
    name: `${task.id}: train and test splits are disjoint`,
    subjects: [task.id],
    run({ numRuns, seed }) {
      return summarize(this.name, fc.check(
        fc.property(fc.integer({ min: lo, max: hi }), fc.integer(), (depth, s) => {
          const split = sampleSplits(task, depth, { nTrain: 8, nTest: 8, seed: s });
          const train = new Set(split.train.map((e) => JSON.stringify(e.input)));
          const clash = split.test.find((e) => train.has(JSON.stringify(e.input)));
          if (clash !== undefined) throw new Error(`${clash.id} is in both splits`);
        }),
        { numRuns: Math.max(1, Math.floor(numRuns / 4)), seed },
      ));
    },
  };
}

/** Every property of the suite, families first. */
export function verificationProperties(): VerificationProperty[] {
  const families = FAMILIES as readonly CircuitFamily<unknown>[];
  return [
    ...families.map(familyMatchesReference),
    ...families.map(familyDepthGrowth).filter((p): p is VerificationProperty => p !== undefined),
    barringtonComputesItsFormula(),
    alternatingStaysAlternating(),
    ...allTasks().map(tracesConsistent),
    ...allTasks().map(splitsDisjoint),
  ];
}
