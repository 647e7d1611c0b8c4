/**
 * tfjs, loaded on first use: importing depthlab (or the scores index) does not
 * pay tfjs's ~1 s start-up unless a score is actually learned. The one module
 * object, shared by selectBackend.ts and learnedScore.ts.
 */
import type * as TF from '@tensorflow/tfjs';

let tf: typeof TF | undefined;

export async function loadTf(): Promise<typeof TF> {
  tf ??= await import('@tensorflow/tfjs');
  return tf;
}
