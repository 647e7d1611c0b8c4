/**
 * The named probes of issue 6, runnable with `depthlab probe --preset NAME`.
 * docs/presets.md says, for each, what the literature predicts and what
 * depthlab measured.
 *
 *   quick              a few minutes on 2 CPU cores: parity (TC0) and Boolean
 *                      formula evaluation (NC1-complete) at small depths, tiny
 *                      models, answer-only vs chain of thought vs masked diffusion
 *   illusion-of-state  tagged prefix products of Z60 (abelian), A4 × Z5
 *                      (solvable, not abelian), A5 and S5 (non-solvable:
 *                      NC1-complete) up to length 20, layers 1–6
 *                      (Merrill, Petty & Sabharwal 2024) — GPU-sized
 *   cot-vs-direct      S5 composition and modular addition (mod-count), answer
 *                      only vs CoT, lengths 8–64, 1–2 layers
 *   diffusion-steps    masked diffusion generating trace + answer in 1…L steps
 *   formula-depth      Boolean formula evaluation by formula depth, answer only
 *                      vs CoT vs diffusion
 */
import type { ProbeSpecInput } from './ProbeSpec.js';

export const PRESETS: Readonly<Record<string, ProbeSpecInput>> = {
  quick: {
    name: 'quick',
    description: 'parity (TC0) and Boolean formula evaluation (NC1-complete) at small depths; answer-only vs chain of thought vs masked diffusion; tiny models on CPU',
    tasks: [
      { task: 'parity', depths: [8, 12] },
      { task: 'formula', depths: [2, 3] },
    ],
    models: [{ kind: 'ar' }, { kind: 'cot' }, { kind: 'diffusion', diffusionTarget: 'cot' }],
    sizes: { layers: [2], dModel: [32], heads: 4 },
    seeds: [0],
    training: { steps: 600, batchSize: 32, lr: 0.003 },
    evaluation: { tau: 0.9 },
  },
  'illusion-of-state': {
    name: 'illusion-of-state',
    description: 'tagged prefix products of Z60, A4×Z5, A5 and S5 up to length 20 with 1–6 layers: the minimum depth that solves each length',
    tasks: [
      { task: 'z60', depths: [4, 8, 12, 16, 20] },
      { task: 'a4xz5', depths: [4, 8, 12, 16, 20] },
      { task: 'a5', depths: [4, 8, 12, 16, 20] },
      { task: 's5', depths: [4, 8, 12, 16, 20] },
    ],
    models: [{ kind: 'tagged' }],
    sizes: { layers: [1, 2, 3, 4, 5, 6], dModel: [128], heads: 4 },
    seeds: [0, 1, 2],
    training: { steps: 20000, batchSize: 64, lr: 0.0003, evalEvery: 500, earlyStop: 0.99 },
    data: { nTrain: 100000, nTest: 1000 },
    evaluation: { tau: 0.9 },
  },
  'cot-vs-direct': {
    name: 'cot-vs-direct',
    description: 'S5 composition and modular counting, answer only vs chain of thought, lengths 8–64, 1–2 layers',
    tasks: [
      { task: 's5', depths: [8, 16, 32, 64] },
      { task: 'mod-count', depths: [8, 16, 32, 64] },
    ],
    models: [{ kind: 'ar' }, { kind: 'cot' }],
    sizes: { layers: [1, 2], dModel: [128], heads: 4 },
    seeds: [0, 1, 2],
    training: { steps: 10000, batchSize: 64, lr: 0.0003, evalEvery: 500, earlyStop: 0.99 },
    data: { nTrain: 50000, nTest: 500 },
    evaluation: { tau: 0.9 },
  },
  'diffusion-steps': {
    name: 'diffusion-steps',
    description: 'masked diffusion generating trace + answer of parity and formula evaluation with 1…L denoising steps',
    tasks: [
      { task: 'parity', depths: [8, 16] },
      { task: 'formula', depths: [2, 3, 4] },
    ],
    models: [{ kind: 'diffusion', diffusionTarget: 'cot', denoisingSteps: [1, 2, 4, 8, 16, 32] }],
    sizes: { layers: [2, 4], dModel: [128], heads: 4 },
    seeds: [0, 1, 2],
    training: { steps: 10000, batchSize: 64, lr: 0.0003 },
    data: { nTrain: 20000, nTest: 500 },
    evaluation: { tau: 0.9 },
  },
  'formula-depth': {
    name: 'formula-depth',
    description: 'Boolean formula evaluation (NC1-complete) by formula depth: answer only vs chain of thought vs masked diffusion',
    tasks: [{ task: 'formula', depths: [1, 2, 3, 4, 5, 6] }],
    models: [{ kind: 'ar' }, { kind: 'cot' }, { kind: 'diffusion' }, { kind: 'looped', loops: [4] }],
    sizes: { layers: [2, 4], dModel: [128], heads: 4 },
    seeds: [0, 1, 2],
    training: { steps: 10000, batchSize: 64, lr: 0.0003, evalEvery: 500, earlyStop: 0.99 },
    data: { nTrain: 50000, nTest: 500 },
    evaluation: { tau: 0.9 },
  },
};

export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);
