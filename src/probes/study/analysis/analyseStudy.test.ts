/**
 * analyseStudy on hand-built studies: R_D* recovered from curves made by the
 * loss model with known R, overfitting points dropped and counted, a
 * constructed crossover at a hand-computed C_crit, thin evidence refused.
 */
import { describe, expect, it } from 'vitest';
import { analyseStudy } from './analyseStudy.js';
import { TRUTH, synthetic } from './_internals/synthetic.testing.js';
import { doneCell, modelLoss, otherCell, seriesCells, studyData } from './_internals/studyData.testing.js';

const UNIQUE = [1e4, 3e4, 1e5, 3e5, 1e6];
const EPOCHS = [1, 2, 4, 8, 16, 32, 64, 128, 200];
const base = { layers: 1, dModel: 16, heads: 2, contextLength: 8, heldOutTokens: 100 };
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const inside = ([lo, hi]: [number, number], v: number): boolean => lo <= v && v <= hi;

/** The loss model with R = rStar plus seeded noise σ = 0.002 per (U, E) (synthetic's stream), the same at every epoch of that run. */
function noisy(rStar: number): (u: number, e: number) => number {
  const noise = new Map(synthetic(rStar, 0.002).map((p) => [`${p.uniqueTokens}:${p.epochs}`, p.loss - modelLoss({ rStar, ...TRUTH }, p.uniqueTokens, p.epochs)]));
  return (u, e) => modelLoss({ rStar, ...TRUTH }, u, e) + (noise.get(`${u}:${e}`) ?? 0);
}

describe('analyseStudy: R_D* from known curves', () => {
  const ar = seriesCells({ ...base, model: 'ar' }, UNIQUE, EPOCHS, noisy(15));
  const diffusion = seriesCells({ ...base, model: 'diffusion' }, UNIQUE, EPOCHS, noisy(500));
  const a = analyseStudy(studyData([...ar, ...diffusion]), { resamples: 100 });

  it('makes one series per kind, with seeds pooled per (U, E)', () => {
    expect(a.series.map((s) => s.label)).toEqual(['ar · brown-char L1 d16', 'diffusion · brown-char L1 d16']);
    const budget = a.series[0]!.budgets[2]!;
    expect(budget.unique_tokens).toBe(1e5);
    const run = budget.runs.find((r) => r.epochs === 8)!;
    expect(run.runs.map((r) => r.curve[2]!.bits_per_token)).toEqual([noisy(15)(1e5, 8) + 0.001, noisy(15)(1e5, 8) - 0.001]);
    expect(run.seeds).toEqual([0, 1]);
    expect(run.runs).toHaveLength(2);
    const truth = noisy(15)(1e5, 8);
    expect(run.final_bits!.mean).toBeCloseTo(truth, 12);
    expect(run.final_bits!.min).toBeCloseTo(truth - 0.001, 12);
    expect(run.final_bits!.max).toBeCloseTo(truth + 0.001, 12);
    expect(run.final_bits!.sd).toBeCloseTo(0.001 * Math.SQRT2, 12);
    expect(run.curve.map((p) => p.epoch)).toEqual([2, 4, 8]);
    expect(a.counts).toMatchObject({ total: 180, done: 180, failed: 0, missing: 0, not_completed: 0 });
  });

  it('recovers R = 15 and R = 500 (noise σ = 0.002) inside both intervals', () => {
    for (const [s, r] of [[a.series[0]!, 15], [a.series[1]!, 500]] as const) {
      const fit = s.r_d_star;
      expect(fit.status).toBe('fitted');
      // Noise on the flat end of a curve can put a point past the minimum; dropped ones are counted.
      expect(fit.n_points + fit.dropped_points).toBe(45);
      expect(fit.n_points).toBeGreaterThanOrEqual(40);
      expect(fit.diminishing_returns).toBe(true);
      expect(rel(fit.value!, r)).toBeLessThan(0.1);
      expect(inside(fit.profile!, r)).toBe(true);
      expect(inside(fit.interval!, r)).toBe(true);
      expect(fit.bootstrap).toMatchObject({ resamples: 100, seed: 0 });
    }
  });

  it('finds the best loss at the longest run\'s end and calls it censored (still improving)', () => {
    const exact = analyseStudy(studyData(seriesCells({ ...base, model: 'diffusion' }, [1e4], EPOCHS, (u, e) => modelLoss({ rStar: 500, ...TRUTH }, u, e))), { resamples: 0 });
    const budget = exact.series[0]!.budgets[0]!;
    expect(budget.best).toMatchObject({ epoch: 200, run_epochs: 200, censored: true });
    expect(budget.best!.bits).toBeCloseTo(modelLoss({ rStar: 500, ...TRUTH }, 1e4, 200), 12);
    expect(budget.overfit_epochs).toEqual([]);
    expect(exact.notes).toContain('diffusion · brown-char L1 d16: the best loss is at the end of the longest run at U = 10000 (E = 200): still improving, the optimum may lie beyond.');
  });

  it('carries the published constants', () => {
    expect(a.published.c_crit_gamma).toBe(2.174);
    expect(a.published.r_d_star_diffusion.range).toEqual([494, 513]);
  });
});

describe('analyseStudy: overfitting AR', () => {
  // The model's loss plus (ln(E/8))² past E = 8: the final loss is lowest at E = 8 at every U.
  const overfit = (u: number, e: number): number => modelLoss({ rStar: 15, ...TRUTH }, u, e) + Math.max(0, Math.log(e / 8)) ** 2;
  const a = analyseStudy(studyData(seriesCells({ ...base, model: 'ar' }, UNIQUE, EPOCHS, overfit)), { resamples: 0 });
  const s = a.series[0]!;

  it('drops and counts the points past the minimum, and fits the rest', () => {
    for (const b of s.budgets) {
      expect(b.final_minimum_epochs).toBe(8);
      expect(b.overfit_epochs).toEqual([16, 32, 64, 128, 200]);
      expect(b.best!.censored).toBe(false);
      // The longest run (E = 200) against the minimum (E = 8), seeds averaged back to the loss itself.
      expect(b.overfit_rise).toBeCloseTo(overfit(b.unique_tokens, 200) - overfit(b.unique_tokens, 8), 12);
    }
    expect(s.r_d_star.dropped_points).toBe(25);
    expect(s.r_d_star.n_points).toBe(20);
    expect(s.r_d_star.points.filter((p) => p.dropped).every((p) => p.epochs > 8)).toBe(true);
    expect(s.r_d_star.status).toBe('fitted');
    expect(rel(s.r_d_star.value!, 15)).toBeLessThan(1e-3);
    expect(s.r_d_star.interval).toEqual([NaN, NaN]);
    expect(a.notes.some((n) => n.includes('25 final points past the overfitting minimum'))).toBe(true);
  });
});

describe('analyseStudy: overfitting beyond seed noise', () => {
  it('drops a rise past the minimum only when it exceeds two standard errors of the difference', () => {
    // Three seeds at ±0.05 around the loss: sd ≈ 0.058 per (U, E), 2·SE of a difference ≈ 0.094.
    const tail = (rise: number) => (u: number, e: number) => 4 + 100 / Math.sqrt(u * Math.min(e, 8)) + (e > 8 ? rise : 0);
    const budget = (rise: number) =>
      analyseStudy(studyData(seriesCells({ ...base, model: 'diffusion' }, [1e4], [1, 2, 4, 8, 16, 32], tail(rise), [0, 1, 2], 0.05)), { resamples: 0 }).series[0]!.budgets[0]!;
    const flat = budget(0.01);
    expect(flat.final_minimum_epochs).toBe(8);
    expect(flat.overfit_epochs).toEqual([]); // a wobble within the noise: kept in the fit
    expect(flat.overfit_rise).toBeCloseTo(0.01, 12);
    expect(budget(0.5).overfit_epochs).toEqual([16, 32]);
    // One seed: any rise counts.
    const single = analyseStudy(studyData(seriesCells({ ...base, model: 'diffusion' }, [1e4], [1, 2, 4, 8, 16, 32], tail(0.01), [0])), { resamples: 0 });
    expect(single.series[0]!.budgets[0]!.overfit_epochs).toEqual([16, 32]);
  });
});

describe('analyseStudy: crossover', () => {
  // AR bits 5, 4, 3.5 and diffusion 5.5, 4.2, 3.0 at compute 10^k, 10^(k+1), 10^(k+2):
  // gaps +0.5, +0.2, −0.5, so log₁₀ C_crit = k + 1 + 0.2/0.7 = k + 9/7.
  const curve = (k: number, bits: number[]) => bits.map((b, i) => ({ epoch: 2 ** i, bits: b, flops: 10 ** (k + i) }));
  const cells = [
    { u: 1000, k: 9 },
    { u: 10_000, k: 11 },
  ].flatMap(({ u, k }) => [
    doneCell({ ...base, model: 'ar', uniqueTokens: u, epochs: 4 }, curve(k, [5, 4, 3.5])),
    doneCell({ ...base, model: 'diffusion', uniqueTokens: u, epochs: 4 }, curve(k, [5.5, 4.2, 3.0])),
  ]);

  it('finds C_crit at each U and γ = 2 between them', () => {
    const a = analyseStudy(studyData(cells), { resamples: 20 });
    expect(a.pairs).toHaveLength(1);
    const pair = a.pairs[0]!;
    expect(pair.crossings.map((c) => c.status)).toEqual(['crossing', 'crossing']);
    expect(Math.log10(pair.crossings[0]!.compute!)).toBeCloseTo(9 + 9 / 7, 10);
    expect(Math.log10(pair.crossings[1]!.compute!)).toBeCloseTo(11 + 9 / 7, 10);
    expect(pair.crossings[0]!.loss).toBeCloseTo(4 - 0.5 * (2 / 7), 10);
    expect(pair.c_crit.status).toBe('fitted');
    expect(pair.c_crit.gamma).toBeCloseTo(2, 10);
    expect(pair.c_crit.a).toBeCloseTo(10 ** (9 + 9 / 7) / 1000 ** 2, 0);
  });

  it('with one crossing, says so instead of fitting', () => {
    const a = analyseStudy(studyData(cells.slice(0, 2)), { resamples: 0 });
    expect(a.pairs[0]!.c_crit).toMatchObject({ status: 'insufficient', gamma: null, n_points: 1 });
    expect(a.pairs[0]!.c_crit.reason).toMatch(/one crossing \(U = 1000\)/);
  });

  it('reports "never" when diffusion stays behind', () => {
    const never = [doneCell({ ...base, model: 'ar', uniqueTokens: 1000, epochs: 4 }, curve(9, [5, 4, 3])), doneCell({ ...base, model: 'diffusion', uniqueTokens: 1000, epochs: 4 }, curve(9, [5.5, 4.5, 3.5]))];
    const pair = analyseStudy(studyData(never), { resamples: 0 }).pairs[0]!;
    expect(pair.crossings[0]).toMatchObject({ status: 'never', compute: null });
    expect(pair.c_crit.reason).toMatch(/no crossing in the measured range: diffusion not below AR's best at the end of the measured compute/);
  });

  it('pairs only series of the same setting, and keeps ar-orders and dropout apart in labels', () => {
    const mixed = [
      ...cells.slice(0, 2),
      doneCell({ ...base, model: 'ar-orders', orders: 16, dropout: 0.1, uniqueTokens: 1000, epochs: 4 }, curve(9, [5, 4, 3.5])),
      doneCell({ ...base, model: 'diffusion', dModel: 32, uniqueTokens: 1000, epochs: 4 }, curve(9, [5, 4, 3.5])),
    ];
    const a = analyseStudy(studyData(mixed), { resamples: 0 });
    expect(a.series.map((s) => s.label)).toEqual([
      'ar · brown-char L1 d16',
      'ar-orders N=16 dropout=0.1 · brown-char L1 d16',
      'diffusion · brown-char L1 d16',
      'diffusion · brown-char L1 d32',
    ]);
    expect(a.pairs.map((p) => `${p.ar_label} | ${p.diffusion_label}`)).toEqual([
      'ar · brown-char L1 d16 | diffusion · brown-char L1 d16',
      'ar-orders N=16 dropout=0.1 · brown-char L1 d16 | diffusion · brown-char L1 d16',
    ]);
  });
});

describe('analyseStudy: series labels', () => {
  it('names the task corpus, attention dropout and any other field that varies', () => {
    const point = [{ epoch: 1, bits: 3 }];
    const task = { ...base, corpus: 'task' as const, task: 'word', group: 'A5', taskDepth: 4, uniqueTokens: 1000, epochs: 1 };
    const a = analyseStudy(studyData([
      doneCell({ ...task, model: 'ar' }, point),
      doneCell({ ...task, model: 'ar', attentionDropout: 0.1 }, point),
      doneCell({ ...task, model: 'ar', lr: 0.003 }, point),
      doneCell({ ...task, model: 'diffusion', contextLength: 16 }, point),
    ]), { resamples: 0 });
    expect(a.series.map((s) => s.label)).toEqual([
      'ar attn-dropout=0.1 lr=0.001 · task word[A5] depth=4 L1 d16 contextLength=8',
      'ar lr=0.001 · task word[A5] depth=4 L1 d16 contextLength=8',
      'ar lr=0.003 · task word[A5] depth=4 L1 d16 contextLength=8',
      'diffusion lr=0.001 · task word[A5] depth=4 L1 d16 contextLength=16',
    ]);
    // A different context length is a different setting: no AR series pairs with that diffusion one.
    expect(a.pairs).toEqual([]);
    expect(a.notes).toContain('No AR and diffusion series share a corpus, held-out set and size: no crossover is computed.');
  });
});

describe('analyseStudy: thin evidence', () => {
  it('refuses R_D* with < 5 points, and counts failed and missing cells', () => {
    const cells = seriesCells({ ...base, model: 'diffusion' }, [1e4, 1e5], [1, 4], (u, e) => modelLoss({ rStar: 500, ...TRUTH }, u, e), [0]);
    const a = analyseStudy(studyData([
      ...cells,
      otherCell({ ...base, model: 'diffusion', uniqueTokens: 1e6, epochs: 4 }, 'failed'),
      otherCell({ ...base, model: 'diffusion', uniqueTokens: 1e6, epochs: 8 }, 'pending'),
      otherCell({ ...base, model: 'diffusion', uniqueTokens: 1e6, epochs: 16 }, 'running'),
    ]));
    const r = a.series[0]!.r_d_star;
    expect(r).toMatchObject({ status: 'insufficient', value: null, interval: null, profile: null, n_points: 4 });
    expect(r.reason).toBe('4 final points; the fit needs ≥ 5 (R, L∞, B, β)');
    expect(a.counts).toEqual({ total: 7, done: 4, failed: 1, pending: 1, running: 1, missing: 2, not_completed: 0 });
    expect(a.notes).toEqual(expect.arrayContaining([
      '2 cells not done (1 pending, 1 running): every result covers done cells only.',
      '1 cell failed and is left out of every result.',
      expect.stringMatching(/^Every run has one seed/),
      expect.stringMatching(/R_D\* not fitted: 4 final points/),
    ]));
  });

  it('keeps a diverged run\'s curve but not its final point', () => {
    const loss = (u: number, e: number) => modelLoss({ rStar: 500, ...TRUTH }, u, e);
    const cells = [
      doneCell({ ...base, model: 'ar', uniqueTokens: 1e4, epochs: 8, seed: 0 }, [{ epoch: 2, bits: loss(1e4, 2) }, { epoch: 8, bits: loss(1e4, 8) }]),
      doneCell({ ...base, model: 'ar', uniqueTokens: 1e4, epochs: 8, seed: 1 }, [{ epoch: 2, bits: loss(1e4, 2) + 0.02 }], { status: 'diverged' }),
    ];
    const a = analyseStudy(studyData(cells), { resamples: 0 });
    const run = a.series[0]!.budgets[0]!.runs[0]!;
    expect(run.not_completed).toBe(1);
    expect(run.final_bits).toMatchObject({ mean: loss(1e4, 8), n: 1 });
    expect(run.curve[0]!.bits).toMatchObject({ n: 2 });
    expect(run.curve[0]!.bits.mean).toBeCloseTo(loss(1e4, 2) + 0.01, 12);
    expect(a.counts.not_completed).toBe(1);
  });
});
