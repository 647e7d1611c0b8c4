/**
 * The data-constrained study (issue 7): AR vs masked diffusion trained on U
 * unique tokens repeated for E epochs. `corpus`: the Brown corpus, character
 * and BPE tokenizers, token budgets with a U-independent held-out set;
 * `analysis`: Muennighoff's effective-data fit (R_D*), the compute crossover
 * and power-law fits; `cell`: one run of the study (a model kind trained on
 * U unique tokens for E epochs, held-out bits per token along the way);
 * `report`: the study's report (Markdown, self-contained HTML, SVG figures,
 * results.csv and results.json) from its cells; `spec`: study specs, their
 * grid and the named study presets.
 */
export * as corpus from './corpus/index.js';
export * as analysis from './analysis/index.js';
export * as cell from './cell/index.js';
export * as report from './report/index.js';
export * as spec from './spec/index.js';
