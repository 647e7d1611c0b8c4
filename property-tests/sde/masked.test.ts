/**
 * Properties of masked diffusion with the exact denoiser (MDLM, Sahoo et al.
 * 2024; Feng et al. 2025): marginals are distributions; on word problems the
 * prefix-product DP equals enumeration on every state, consistent or not;
 * one position per step samples the exact joint (every sample valid, for any
 * seed and order); conditional sampling never changes the given input; the
 * nearest-valid distance is zero exactly on valid sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTask } from '../../src/circuits/tasks/index.js';
import { rngFromSeed } from '../../src/sde/_internals/random.js';
import { exactDenoiser, type ExactDenoiser } from '../../src/sde/masked/exactDenoiser.js';
import { forwardMask, maskSchedule, type MaskedToken } from '../../src/sde/masked/maskSchedule.js';
import { conditionalState, sampleMasked } from '../../src/sde/masked/sampler.js';
import { taskSequence } from '../../src/sde/masked/sequence.js';
import { checkSequence, tokenError } from '../../src/sde/masked/validity.js';

const denoisers: Record<string, ExactDenoiser> = {
  parity6: exactDenoiser(findTask('parity')!, 6),
  mod4: exactDenoiser(findTask('mod-count')!, 4),
  s5_3: exactDenoiser(findTask('s5')!, 3),
  a4_3: exactDenoiser(findTask('a4')!, 3),
  z60_3: exactDenoiser(findTask('z60')!, 3),
};
const names = Object.keys(denoisers);
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** A forward-process state of a random valid sequence, at a random time. */
function noisyState(d: ExactDenoiser, s: number, t: number): MaskedToken[] {
  const rng = rngFromSeed(s);
  const seq = taskSequence(d.task, d.depth, d.task.randomInput(d.depth, rng));
  return forwardMask(seq, t, { schedule: maskSchedule('linear'), rng });
}

describe('exact denoiser properties', () => {
  it('marginals are probability distributions over masked positions only', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), seed, fc.double({ min: 0, max: 1, noNaN: true }), (name, s, t) => {
        const d = denoisers[name]!;
        const state = noisyState(d, s, t);
        const post = d.posterior(state);
        expect(post.mismatches).toBe(0);
        expect([...post.marginals.keys()].sort((a, b) => a - b)).toEqual(state.flatMap((v, i) => (v === null ? [i] : [])));
        for (const dist of post.marginals.values()) {
          expect([...dist.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          for (const p of dist.values()) expect(p).toBeGreaterThan(0);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('the prefix-product DP equals enumeration on S4 (depth 2) and A4 (depth 3) for arbitrary states', () => {
    const pairs = (['s4', 'a4'] as const).map((id) => {
      const task = findTask(id)!;
      const depth = id === 's4' ? 2 : 3;
      return [exactDenoiser(task, depth, { method: 'word-dp' }), exactDenoiser(task, depth, { method: 'enumerate' })] as const;
    });
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.array(fc.option(fc.nat(), { nil: null }), { minLength: 7, maxLength: 7 }), (k, raw) => {
        const [dp, en] = pairs[k]!;
        const vocab = dp.task.vocabulary();
        const state = raw.slice(0, dp.layout.length).map((v) => (v === null ? null : vocab[v % vocab.length]!));
        const a = dp.posterior(state);
        const b = en.posterior(state);
        expect(a.mismatches).toBe(b.mismatches);
        expect(a.logCompletions).toBeCloseTo(b.logCompletions, 9);
        for (const [pos, dist] of b.marginals) {
          for (const [sym, p] of dist) expect(a.marginals.get(pos)!.get(sym) ?? 0).toBeCloseTo(p, 9);
          expect(a.marginals.get(pos)!.size).toBe(dist.size);
        }
      }),
      { numRuns: 120 },
    );
  });
});

describe('sampler properties', () => {
  it('one position per step: every sample is valid, for any seed and order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), seed, fc.constantFrom('random' as const, 'confidence' as const), (name, s, order) => {
        const d = denoisers[name]!;
        const { sequence } = sampleMasked(d, { steps: d.layout.length, order, rng: s });
        expect(checkSequence(d.task, d.depth, sequence).valid).toBe(true);
        expect(tokenError(d, sequence)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('conditional sampling keeps the input unchanged at any number of steps', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), seed, fc.integer({ min: 1, max: 8 }), fc.constantFrom('random' as const, 'confidence' as const), (name, s, steps, order) => {
        const d = denoisers[name]!;
        const input = d.task.randomInput(d.depth, rngFromSeed(s));
        const initial = conditionalState(d.task, d.depth, input, d.layout);
        const { sequence } = sampleMasked(d, { steps, order, initial, rng: s + 1 });
        expect(sequence.slice(0, d.layout.inputLength)).toEqual(initial.slice(0, d.layout.inputLength));
      }),
      { numRuns: 80 },
    );
  });

  it('the nearest-valid distance is 0 exactly on valid sequences, and at most the same-input distance', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), seed, fc.integer({ min: 1, max: 4 }), (name, s, steps) => {
        const d = denoisers[name]!;
        const { sequence } = sampleMasked(d, { steps, rng: s });
        const check = checkSequence(d.task, d.depth, sequence);
        const dist = d.nearestDistance(sequence);
        expect(dist === 0).toBe(check.valid);
        if (check.differing !== undefined) expect(dist).toBeLessThanOrEqual(check.differing.length);
      }),
      { numRuns: 80 },
    );
  });
});
