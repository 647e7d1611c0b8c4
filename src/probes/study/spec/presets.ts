/**
 * The named data-constrained studies of issue 7, runnable with
 * `depthlab study data-constrained --preset NAME`. docs/presets.md says, for
 * each, what Prabhudesai et al. (2025) report and what depthlab measured.
 *
 *   data-quick        about 6 minutes on 2 CPU cores: Brown characters,
 *                     U = 1k, 3k and 10k unique tokens, E = 1 … 64 epochs, a
 *                     1-layer width-32 model, 3 seeds; AR, masked diffusion
 *                     and AR over 4 fixed token orders. Shows AR overfitting
 *                     (held-out loss rising with E) well before diffusion does.
 *   data-constrained  the full study at laptop-to-GPU scale: Brown BPE (1024
 *                     ids), U = 3·10⁴ … 10⁶, E = 1 … 256, 4-layer width-128
 *                     models, AR, diffusion, AR with 16 orders and with
 *                     attention dropout, 3 seeds — GPU-sized (days on a CPU).
 */
import type { StudySpecInput } from './StudySpec.js';

export const STUDY_PRESETS: Readonly<Record<string, StudySpecInput>> = {
  'data-quick': {
    name: 'data-quick',
    description: 'AR vs masked diffusion vs AR over 4 token orders on 1k–10k unique Brown characters repeated for 1–64 epochs; tiny models on CPU',
    data: { corpus: 'brown-char', heldOutTokens: 8000 },
    uniqueTokens: [1000, 3000, 10000],
    epochs: [1, 2, 4, 8, 16, 32, 64],
    models: [{ kind: 'ar' }, { kind: 'diffusion' }, { kind: 'ar-orders', orders: [4] }],
    sizes: { layers: [1], dModel: [32], heads: 4 },
    seeds: [0, 1, 2],
    training: { contextLength: 32, batchSize: 16, lr: 0.003 },
    evaluation: { evalPoints: 5, elboStrata: 4, elboDraws: 2 },
  },
  'data-constrained': {
    name: 'data-constrained',
    description: 'the full data-constrained study: Brown BPE-1024, U = 3e4–1e6 unique tokens, E = 1–256, AR vs diffusion vs AR with 16 orders or attention dropout, 3 seeds; GPU-sized',
    data: { corpus: 'brown-bpe', bpeVocabSize: 1024, heldOutTokens: 50000 },
    uniqueTokens: [30000, 100000, 300000, 1000000],
    epochs: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    models: [{ kind: 'ar' }, { kind: 'diffusion' }, { kind: 'ar-orders', orders: [16] }, { kind: 'ar', attentionDropout: [0.1] }],
    sizes: { layers: [4], dModel: [128], heads: 4 },
    seeds: [0, 1, 2],
    training: { contextLength: 128, batchSize: 32, lr: 0.001 },
    evaluation: { evalPoints: 8, elboStrata: 8, elboDraws: 2 },
  },
};

export const STUDY_PRESET_NAMES: readonly string[] = Object.keys(STUDY_PRESETS);
