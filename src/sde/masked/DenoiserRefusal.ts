/**
 * The refusal of an exact denoiser (exactDenoiser.ts): the task and depth are
 * out of reach of the method asked for — more than 2^17 inputs to enumerate,
 * sequences whose masked positions do not align, or a task that is not
 * "inputs · prefix products · product" of a group for the word-problem DP —
 * as opposed to a bad argument (a plain RangeError).
 */

export class DenoiserRefusal extends RangeError {
  override readonly name = 'DenoiserRefusal';
}
