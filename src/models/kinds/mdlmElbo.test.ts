/**
 * The MDLM negative ELBO (mdlmElbo.ts): the count weights W_k against a
 * numerical time integral; with the exact denoiser of a toy joint the bound
 * equals −log p(x) (exhaustively, by a literal midpoint quadrature over t,
 * exactly for the 'orders' estimator, and within the 'counts' estimator's
 * own standard error); for a
 * MaskedDiffusionLM the bound obeys Σ_x 2^{−NELBO(x)} ≤ 1 and
 * E_p[NELBO] ≥ H(p), a uniform model scores log₂(V − 1) exactly, the
 * estimator is deterministic for a seed and agrees with exhaustive
 * enumeration and with a high-sample Monte Carlo of the training loss.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../backbone/index.js';
import {
  MDLM_EPSILON,
  MaskedDiffusionLM,
  diffusionBitsPerToken,
  maskCountWeights,
  maskedDiffusionDenoiser,
  mdlmNelbo,
  mdlmNelboExhaustive,
  type Denoiser,
} from './index.js';
import type { Rows } from './maskedCrossEntropy.js';
import { useWasmBackend } from '../_internals/wasmTestSetup.testing.js';

const track = useWasmBackend();

/** Toy: sequences of length 3 over {0, 1, 2}; [MASK] = 3. */
const TOY_LENGTH = 3;
const TOY_VOCAB = 3;
const TOY_MASK = 3;
const ALL: number[][] = Array.from({ length: TOY_VOCAB ** TOY_LENGTH }, (_, c) => [Math.floor(c / 9) % 3, Math.floor(c / 3) % 3, c % 3]);

/** A random joint over ALL (seeded, far from uniform). */
function randomJoint(seed: number): number[] {
  const random = new SeededRandom(seed, 0);
  const raw = ALL.map(() => Math.exp(1.5 * random.normal()));
  const sum = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / sum);
}

/** The exact denoiser of a joint: p(x_i | the unmasked positions of the noisy row), by enumeration. */
function exactDenoiser(joint: number[]): Denoiser {
  return (noisy, clean) => {
    const out = new Float64Array(noisy.length * TOY_LENGTH);
    noisy.forEach((row, b) => {
      const consistent = ALL.map((y, c) => (row.every((v, i) => v === TOY_MASK || v === y[i]) ? joint[c]! : 0));
      const z = consistent.reduce((s, v) => s + v, 0);
      row.forEach((v, i) => {
        if (v !== TOY_MASK) return;
        const num = consistent.reduce((s, p, c) => s + (ALL[c]![i] === clean[b]![i] ? p : 0), 0);
        out[b * TOY_LENGTH + i] = Math.log(num / z);
      });
    });
    return out;
  };
}

/**
 * The NELBO as written, ∫₀¹ (−α′/(1 − α)) E_{M∼q_t}[Σ_{i∈M} ℓ_i(M)] dt with
 * α(t) = 1 − s_max·t (weight 1/t), by a midpoint rule over t with the exact
 * expectation over all 2ⁿ Bernoulli masks at each t.
 */
function midpointNelbo(row: readonly number[], denoiser: Denoiser, given: number, sMax: number, nodes: number): number {
  const n = row.length - given;
  const masks: { masked: number[]; loss: number }[] = [];
  for (let bits = 1; bits < 2 ** n; bits++) {
    const masked = Array.from({ length: n }, (_, i) => i).filter((i) => (bits >> i) & 1).map((i) => given + i);
    const noisy = row.map((x, i) => (masked.includes(i) ? TOY_MASK : x));
    const logP = denoiser([noisy], [row]);
    masks.push({ masked, loss: -masked.reduce((s, i) => s + logP[i]!, 0) });
  }
  let total = 0;
  for (let q = 0; q < nodes; q++) {
    const t = (q + 0.5) / nodes;
    const s = sMax * t; // 1 − α(t)
    const expectation = masks.reduce((e, m) => e + s ** m.masked.length * (1 - s) ** (n - m.masked.length) * m.loss, 0);
    total += (1 / t) * expectation / nodes;
  }
  return total;
}

describe('maskCountWeights', () => {
  it('is 1/k for s_max = 1 and ∫₀^{s_max} C(n,k) s^{k−1}(1−s)^{n−k} ds otherwise', () => {
    expect(Array.from(maskCountWeights(4))).toEqual([0, 1, 1 / 2, 1 / 3, 1 / 4]);
    for (const [n, sMax] of [[5, 1 - MDLM_EPSILON], [12, 0.6], [40, 0.999]] as const) {
      const w = maskCountWeights(n, sMax);
      let choose = 1;
      for (let k = 1; k <= n; k++) {
        choose = (choose * (n - k + 1)) / k;
        let integral = 0;
        const nodes = 20000;
        for (let q = 0; q < nodes; q++) {
          const s = ((q + 0.5) / nodes) * sMax;
          integral += choose * s ** (k - 1) * (1 - s) ** (n - k) * (sMax / nodes);
        }
        expect(w[k]).toBeCloseTo(integral, 6);
      }
    }
    expect(() => maskCountWeights(3, 0)).toThrow(/maxMaskRate/);
  });
});

describe('MDLM NELBO with the exact denoiser of a toy joint', () => {
  const joint = randomJoint(11);
  const denoiser = exactDenoiser(joint);

  it('equals −log p(x) for every x exhaustively, and the literal t-quadrature agrees', () => {
    const exact = mdlmNelboExhaustive(ALL, denoiser, { maskToken: TOY_MASK });
    let worst = 0;
    ALL.forEach((x, c) => {
      worst = Math.max(worst, Math.abs(exact[c]! + Math.log(joint[c]!)));
      expect(midpointNelbo(x, denoiser, 0, 1, 4000)).toBeCloseTo(exact[c]!, 6);
    });
    expect(worst).toBeLessThan(1e-12);
    // Σ_x e^{−NELBO(x)} = Σ_x p(x) = 1.
    expect(exact.reduce((s, v) => s + Math.exp(-v), 0)).toBeCloseTo(1, 12);
    // Conditional on a given first token: −log p(x₁, x₂ | x₀).
    const conditional = mdlmNelboExhaustive(ALL, denoiser, { maskToken: TOY_MASK, given: 1 });
    ALL.forEach((x, c) => {
      const marginal = ALL.reduce((s, y, d) => s + (y[0] === x[0] ? joint[d]! : 0), 0);
      expect(conditional[c]).toBeCloseTo(-Math.log(joint[c]! / marginal), 12);
    });
  });

  it('with s_max = 1 − ε falls short of −log p(x) by about ε·Σ_i −log p(x_i) (the t ∈ [0, 1) training range)', () => {
    const sMax = 1 - MDLM_EPSILON;
    const truncated = mdlmNelboExhaustive(ALL, denoiser, { maskToken: TOY_MASK, maxMaskRate: sMax });
    ALL.forEach((x, c) => {
      expect(midpointNelbo(x, denoiser, 0, sMax, 4000)).toBeCloseTo(truncated[c]!, 6);
      const allMasked = denoiser([[TOY_MASK, TOY_MASK, TOY_MASK]], [x]);
      const deficit = -Math.log(joint[c]!) - truncated[c]!;
      const expected = -MDLM_EPSILON * (allMasked[0]! + allMasked[1]! + allMasked[2]!);
      expect(deficit).toBeGreaterThan(0);
      expect(Math.abs(deficit - expected)).toBeLessThan(0.01 * expected);
    });
  });

  it("'orders' is exact (zero variance); 'counts' is within its standard error of −log p(x)", () => {
    const orders = mdlmNelbo(ALL, denoiser, { maskToken: TOY_MASK, estimator: 'orders', draws: 2, seed: 5 });
    expect(orders.evaluations).toBe(ALL.length * 3 * 2);
    ALL.forEach((_, c) => {
      expect(orders.nats[c]).toBeCloseTo(-Math.log(joint[c]!), 12);
      expect(orders.variance[c]).toBeCloseTo(0, 20);
    });
    const rows = ALL;
    const estimate = mdlmNelbo(rows, denoiser, { maskToken: TOY_MASK, strata: 3, draws: 64, seed: 5 });
    expect(estimate.evaluations).toBe(rows.length * 3 * 64);
    let sum = 0;
    let truth = 0;
    let variance = 0;
    let worst = 0;
    rows.forEach((_, c) => {
      sum += estimate.nats[c]!;
      truth -= Math.log(joint[c]!);
      variance += estimate.variance[c]!;
      worst = Math.max(worst, Math.abs(estimate.nats[c]! + Math.log(joint[c]!)) / (-Math.log(joint[c]!)));
    });
    const se = Math.sqrt(variance);
    console.info(
      `MDLM exact denoiser, 27 sequences of length 3: estimator (K = 3, D = 64) total ${sum.toFixed(4)} vs −Σ log p ${truth.toFixed(4)} nats ` +
        `(diff ${(sum - truth).toFixed(4)}, reported SE ${se.toFixed(4)}); worst per-row relative error ${worst.toFixed(4)}`,
    );
    expect(Math.abs(sum - truth)).toBeLessThan(4 * se);
    // One free position: K = n = 1 and every draw masks that position — no randomness left.
    const single = mdlmNelbo(ALL, denoiser, { maskToken: TOY_MASK, given: 2, strata: 4, draws: 2 });
    ALL.forEach((x, c) => {
      const pair = ALL.reduce((s, y, d) => s + (y[0] === x[0] && y[1] === x[1] ? joint[d]! : 0), 0);
      expect(single.nats[c]).toBeCloseTo(-Math.log(joint[c]! / pair), 12);
      expect(single.variance[c]).toBeCloseTo(0, 20);
    });
  });
});

const VOCAB = 6;
const MASK = 5;
const tiny = { vocabSize: VOCAB, contextLength: 12, layers: 2, dModel: 16, heads: 2, seed: 4 } as const;

/** Rows "<0> x₁ … x₉" over tokens 0..4, fixed. */
const ROWS: number[][] = Array.from({ length: 4 }, (_, r) => [0, ...Array.from({ length: 9 }, (_, i) => (r * 3 + i * i + i * r) % 5)]);

/** Σ_x 2^{−NELBO(x)} and E_p[NELBO] − H(p) (bits) of a model over the toy sequences. */
function toyBoundChecks(lm: MaskedDiffusionLM, joint: number[], excludeMask: boolean): { kraft: number; gap: number } {
  const nats = mdlmNelboExhaustive(ALL, maskedDiffusionDenoiser(lm, { excludeMask }), { maskToken: lm.maskToken });
  const kraft = nats.reduce((s, v) => s + Math.exp(-v), 0);
  const gap = joint.reduce((s, p, c) => s + p * (nats[c]! + Math.log(p)), 0) / Math.LN2;
  return { kraft, gap };
}

describe('MDLM NELBO of a MaskedDiffusionLM', () => {
  it('is a bound: Σ_x 2^{−NELBO(x)} ≤ 1 and E_p[NELBO] ≥ H(p), before and after a little training', async () => {
    const { Trainer } = await import('../training/index.js');
    const lm = track(new MaskedDiffusionLM({ backbone: { vocabSize: 4, contextLength: 4, layers: 1, dModel: 16, heads: 2, seed: 2 }, maskToken: TOY_MASK }));
    const joint = randomJoint(11);
    const before = toyBoundChecks(lm, joint, true);
    const beforeFull = toyBoundChecks(lm, joint, false);
    // Train on a sample of the joint (rows drawn by inverse CDF from a fixed stream).
    const random = new SeededRandom(3, 0);
    const tokens = Array.from({ length: 256 }, () => {
      let u = random.uniform();
      let c = 0;
      while (c < ALL.length - 1 && u >= joint[c]!) u -= joint[c++]!;
      return ALL[c]!;
    });
    const batch = { tokens, frozen: tokens.map(() => [0, 0, 0]) };
    const trainer = track(new Trainer(lm, { next: () => ({ batch, tokens: 256 * 3 }) }, { schedule: { peakLr: 1e-2, warmupSteps: 10, minLr: 1e-3 }, budget: { steps: 120 } }));
    await trainer.run();
    const after = toyBoundChecks(lm, joint, true);
    const entropy = -joint.reduce((s, p) => s + p * Math.log2(p), 0);
    console.info(
      `MDLM toy bound: H(p) = ${entropy.toFixed(3)} bits; E_p[NELBO] − H(p) ${before.gap.toFixed(3)} → ${after.gap.toFixed(3)} bits after 120 steps; ` +
        `Σ 2^−NELBO ${before.kraft.toFixed(4)} → ${after.kraft.toFixed(4)} (full softmax before: ${beforeFull.kraft.toFixed(4)})`,
    );
    for (const c of [before, beforeFull, after]) {
      expect(c.kraft).toBeLessThanOrEqual(1 + 1e-6);
      expect(c.gap).toBeGreaterThanOrEqual(-1e-6);
    }
    expect(beforeFull.kraft).toBeLessThan(before.kraft);
    expect(after.gap).toBeLessThan(0.5 * before.gap);
  });

  it('a uniform model (zero unembedding) scores log₂(V − 1) per token exactly, log₂ V with the full softmax', () => {
    const lm = track(new MaskedDiffusionLM({ backbone: tiny, maskToken: MASK }));
    const unembedding = lm.transformer.namedVariables().find(([name]) => name === 'unembedding')?.[1];
    tf.tidy(() => unembedding!.assign(tf.zerosLike(unembedding!)));
    const got = diffusionBitsPerToken(lm, ROWS, { given: 1, strata: 4, draws: 2 });
    expect(got.bitsPerToken).toBeCloseTo(Math.log2(VOCAB - 1), 5);
    expect(got.standardError).toBeCloseTo(0, 5);
    expect(diffusionBitsPerToken(lm, ROWS, { given: 1, excludeMask: false }).bitsPerToken).toBeCloseTo(Math.log2(VOCAB), 5);
  });

  it('is deterministic for a seed, blind to batch size, and excluding [MASK] never scores worse', () => {
    const lm = track(new MaskedDiffusionLM({ backbone: tiny, maskToken: MASK }));
    const start = tf.memory().numTensors;
    const a = diffusionBitsPerToken(lm, ROWS, { given: 1, seed: 3 });
    const again = diffusionBitsPerToken(lm, ROWS, { given: 1, seed: 3 });
    const batched = diffusionBitsPerToken(lm, ROWS, { given: 1, seed: 3, batchSize: 5 });
    const other = diffusionBitsPerToken(lm, ROWS, { given: 1, seed: 4 });
    const orders = diffusionBitsPerToken(lm, ROWS, { given: 1, seed: 3, estimator: 'orders', draws: 1, batchSize: 7 });
    expect(diffusionBitsPerToken(lm, ROWS, { given: 1, seed: 3, estimator: 'orders', draws: 1 }).bitsPerToken).toBeCloseTo(orders.bitsPerToken, 5);
    expect(orders.standardError).toBeNaN();
    expect(Math.abs(orders.bitsPerToken - a.bitsPerToken)).toBeLessThan(0.1);
    const full = diffusionBitsPerToken(lm, ROWS, { given: 1, seed: 3, excludeMask: false });
    expect(tf.memory().numTensors).toBe(start);
    expect(again).toEqual(a);
    expect(batched.bitsPerToken).toBeCloseTo(a.bitsPerToken, 5);
    expect(other.bitsPerToken).not.toBe(a.bitsPerToken);
    expect(a.tokens).toBe(ROWS.length * 9);
    // Sanity: a random model sits near the uniform log₂(V − 1), and the estimate is positive.
    expect(a.bitsPerToken).toBeGreaterThan(0);
    expect(Math.abs(a.bitsPerToken - Math.log2(VOCAB - 1))).toBeLessThan(0.3);
    a.perSequence.forEach((b, r) => expect(b).toBeLessThanOrEqual(full.perSequence[r]! + 1e-6));
    expect(() => diffusionBitsPerToken(lm, [[0, MASK, 1]])).toThrow(/MASK/);
    expect(() => diffusionBitsPerToken(lm, [new Array<number>(13).fill(1)])).toThrow(/contextLength/);
  });

  it('agrees with exhaustive enumeration and with a high-sample Monte Carlo of the training loss', () => {
    const lm = track(new MaskedDiffusionLM({ backbone: tiny, maskToken: MASK }));
    const sMax = 1 - MDLM_EPSILON;
    const denoiser = maskedDiffusionDenoiser(lm, { excludeMask: false });
    const options = { maskToken: MASK, given: 1, maxMaskRate: sMax, batchSize: 256 };
    const exact = mdlmNelboExhaustive(ROWS, denoiser, options); // 4 × 511 masks
    const exactMean = exact.reduce((s, v) => s + v, 0) / ROWS.length;
    const estimate = mdlmNelbo(ROWS, denoiser, { ...options, strata: 9, draws: 8, seed: 1 });
    const estimateMean = estimate.nats.reduce((s, v) => s + v, 0) / ROWS.length;
    const estimateSe = Math.sqrt(estimate.variance.reduce((s, v) => s + v, 0)) / ROWS.length;
    const orders = mdlmNelbo(ROWS, denoiser, { ...options, estimator: 'orders', draws: 8, seed: 1 });
    const ordersMean = orders.nats.reduce((s, v) => s + v, 0) / ROWS.length;
    const ordersSe = Math.sqrt(orders.variance.reduce((s, v) => s + v, 0)) / ROWS.length;
    // Monte Carlo of E[lossWithMasking] = mean over rows of the truncated NELBO: t ~ U(0, 1), Bernoulli masks.
    const copies = 128;
    const REPS = 16;
    const batch = { tokens: ROWS.flatMap((r) => Array.from({ length: copies }, () => r)), frozen: ROWS.flatMap(() => Array.from({ length: copies }, () => [1, ...new Array<number>(9).fill(0)])) };
    const random = new SeededRandom(9, 2);
    const means: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const masking = lm.drawMasking(batch, random);
      means.push(tf.tidy(() => lm.lossWithMasking(batch, masking).dataSync()[0]!));
    }
    const mc = means.reduce((s, v) => s + v, 0) / means.length;
    const mcSe = Math.sqrt(means.reduce((s, v) => s + (v - mc) ** 2, 0) / (means.length - 1) / means.length);
    console.info(
      `MDLM random model, 4 rows × 9 free tokens (nats/row, s_max = 1 − ε): exhaustive ${exactMean.toFixed(4)}, ` +
        `counts (K = 9, D = 8) ${estimateMean.toFixed(4)} ± ${estimateSe.toFixed(4)}, orders (D = 8) ${ordersMean.toFixed(4)} ± ${ordersSe.toFixed(4)}, Monte Carlo (${REPS * copies * ROWS.length} draws) ${mc.toFixed(4)} ± ${mcSe.toFixed(4)}`,
    );
    expect(Math.abs(estimateMean - exactMean)).toBeLessThan(4 * estimateSe + 1e-4);
    expect(Math.abs(ordersMean - exactMean)).toBeLessThan(4 * ordersSe + 1e-4);
    expect(Math.abs(mc - exactMean)).toBeLessThan(4 * mcSe + 1e-3);
    expect(estimateSe).toBeLessThan(0.02 * exactMean);
  });
});
