/**
 * The one argument check both exact denoisers share: a masked state x_t must
 * have the length of the task's sequences at the denoiser's depth.
 */
import type { MaskedSequence } from '../maskSchedule.js';
import type { SequenceLayout } from '../sequence.js';

export function checkState(layout: SequenceLayout, state: MaskedSequence, who: string): void {
  if (state.length !== layout.length) {
    throw new RangeError(`${who}: state has length ${state.length}, the sequences of this depth have length ${layout.length}`);
  }
}
