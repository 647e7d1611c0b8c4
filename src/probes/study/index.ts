/**
 * The data-constrained study (issue 7): AR vs masked diffusion trained on U
 * unique tokens repeated for E epochs. `corpus`: the Brown corpus, character
 * and BPE tokenizers, token budgets with a U-independent held-out set;
 * `analysis`: Muennighoff's effective-data fit (R_D*), the compute crossover
 * and power-law fits.
 */
export * as corpus from './corpus/index.js';
export * as analysis from './analysis/index.js';
