/**
 * The masked-diffusion sampler with the exact denoiser: per-step counts, the
 * chain-rule guarantee (one position per step ⇒ every sample valid),
 * conditional generation keeping its input, reproducibility, and the
 * few-step failure of Feng et al. 2025 (positions drawn together ignore
 * each other, so sequences break while most tokens stay right).
 */
import { describe, expect, it } from 'vitest';
import { findTask } from '../../circuits/tasks/index.js';
import { rngFromSeed } from '../_internals/random.js';
import { exactDenoiser } from './exactDenoiser.js';
import { maskedStepsExperiment } from './experiment.js';
import { maskSchedule } from './maskSchedule.js';
import { conditionalState, sampleMasked, unmaskCounts } from './sampler.js';
import { checkSequence, isValidSequence, sameInputTokenError, tokenError } from './validity.js';

describe('unmaskCounts', () => {
  it('splits M positions over exactly S steps', () => {
    for (const [m, s] of [[17, 1], [17, 2], [17, 4], [17, 8], [17, 17], [5, 9], [0, 3]] as const) {
      const c = unmaskCounts(m, s);
      expect(c).toHaveLength(s);
      expect(c.reduce((a, b) => a + b, 0)).toBe(m);
      expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
    }
    expect(unmaskCounts(17, 17)).toEqual(new Array(17).fill(1));
  });

  it('follows a schedule: cosine (|α′| largest near t = 1) reveals many tokens first, few last', () => {
    const c = unmaskCounts(40, 8, maskSchedule('cosine'));
    expect(c.reduce((a, b) => a + b, 0)).toBe(40);
    expect(c[0]!).toBeGreaterThan(c[7]!);
    expect(unmaskCounts(40, 8, maskSchedule('linear'))).toEqual(new Array(8).fill(5));
  });
});

describe('sampleMasked', () => {
  const s5 = findTask('s5')!;
  const d5 = exactDenoiser(s5, 4);
  const parity = findTask('parity')!;
  const dp = exactDenoiser(parity, 6);

  it('with one position per step, every sample is valid (both orders)', () => {
    for (const order of ['random', 'confidence'] as const) {
      for (let seed = 0; seed < 15; seed++) {
        const a = sampleMasked(d5, { steps: d5.layout.length, order, rng: seed });
        expect(isValidSequence(s5, 4, a.sequence)).toBe(true);
        expect(a.unmasked.every((u) => u.length === 1)).toBe(true);
        const b = sampleMasked(dp, { steps: dp.layout.length, order, rng: seed });
        expect(isValidSequence(parity, 6, b.sequence)).toBe(true);
      }
    }
  });

  it('conditional generation keeps the input and (deterministic task) completes it validly in one step', () => {
    const rng = rngFromSeed(5);
    for (let k = 0; k < 10; k++) {
      const input = s5.randomInput(4, rng);
      const initial = conditionalState(s5, 4, input, d5.layout);
      const out = sampleMasked(d5, { steps: 1, initial, rng: k, order: 'confidence' });
      expect(out.sequence.slice(0, 4)).toEqual(input);
      expect(isValidSequence(s5, 4, out.sequence)).toBe(true);
    }
  });

  it('is reproducible by seed', () => {
    expect(sampleMasked(d5, { steps: 3, rng: 11 })).toEqual(sampleMasked(d5, { steps: 3, rng: 11 }));
  });

  it('with one step, produces invalid S5 sequences whose nearest valid sequence is still close', () => {
    let invalid = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { sequence } = sampleMasked(d5, { steps: 1, rng: seed });
      const check = checkSequence(s5, 4, sequence);
      if (!check.valid) invalid++;
      // d(y, V) = 0 exactly when y is valid, and never more than the distance to y's own valid sequence.
      expect(tokenError(d5, sequence) === 0).toBe(check.valid);
      expect(tokenError(d5, sequence)).toBeLessThanOrEqual(sameInputTokenError(s5, 4, sequence)!);
    }
    expect(invalid).toBeGreaterThan(15);
  });
});

describe('maskedStepsExperiment', () => {
  it('S5 depth 5: S = L is always valid; fewer steps lose validity faster than tokens', () => {
    const task = findTask('s5')!;
    for (const order of ['random', 'confidence'] as const) {
      const rows = maskedStepsExperiment({ task, depth: 5, steps: [1, 3, 11], samples: 24, order, conditional: false, seed: 2 });
      expect(rows.map((r) => r.steps)).toEqual([1, 3, 11]);
      const [one, three, all] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
      expect(all.validity).toBe(1);
      expect(all.tokenError).toBe(0);
      expect(one.validity).toBe(0);
      expect(three.validity).toBeLessThan(1);
      // Sequence error 1 − validity far above the per-token error.
      expect(one.tokenError).toBeLessThan(0.7);
      expect(three.tokenError).toBeLessThan((1 - three.validity) / 2);
    }
  });

  it('conditional rows keep validity 1 at every S on a deterministic task (the conditional is a point mass)', () => {
    const task = findTask('parity')!;
    const rows = maskedStepsExperiment({ task, depth: 6, steps: [1, 2, 13], samples: 10, order: 'random', conditional: true, seed: 4 });
    for (const r of rows) {
      expect(r.validity).toBe(1);
      expect(r.generated).toBe(7);
    }
  });
});
