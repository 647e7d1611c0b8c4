/**
 * Scores a causal language model on encoded examples (see causalKind.ts):
 * token accuracy teacher forced over the loss positions; answer accuracy by
 * free greedy generation from each prompt — the answer is read after the
 * first generated <ans> (cot) or from the start (answer format) up to the
 * first <eos> and must equal y… exactly; an answer not closed by <eos>, or a
 * cot generation with no <ans>, is wrong. Details: teacher-forced sequence
 * accuracy and, for cot, the fraction of exactly right generated traces.
 */
import type { CausalLM } from '../../../models/kinds/index.js';
import type { EncodedExample } from '../_internals/encodedSet.js';
import { chunks, type CellEvaluation } from './CellModel.js';

export interface SpecialIds {
  ans: number;
  eos: number;
}

export function evaluateCausal(lm: Pick<CausalLM, 'evaluate' | 'greedyDecodeBatch'>, examples: readonly EncodedExample[], cot: boolean, ids: SpecialIds, length: number): CellEvaluation {
  // Teacher forced, over the loss positions.
  let positions = 0;
  let right = 0;
  let forcedSequences = 0;
  for (const part of chunks(examples)) {
    const ev = lm.evaluate({ tokens: part.map((e) => e.tokens), targets: part.map((e) => e.targets) });
    positions += ev.positions;
    right += ev.tokenAccuracy * ev.positions;
    forcedSequences += ev.sequenceAccuracy * ev.sequences;
  }
  // Free running, prompts of one length decoded together.
  let answersRight = 0;
  let tracesRight = 0;
  const byPrompt = new Map<number, EncodedExample[]>();
  for (const e of examples) byPrompt.set(e.promptLength, [...(byPrompt.get(e.promptLength) ?? []), e]);
  for (const [promptLength, group] of byPrompt) {
    for (const part of chunks(group)) {
      const outs = lm.greedyDecodeBatch(part.map((e) => e.tokens.slice(0, promptLength)), length - promptLength, ids.eos);
      part.forEach((e, i) => {
        const out = outs[i] ?? [];
        const answerStart = cot ? out.indexOf(ids.ans) + 1 : 0;
        const end = out.indexOf(ids.eos, answerStart);
        const answer = answerStart === 0 && cot ? undefined : end < 0 ? undefined : out.slice(answerStart, end);
        if (answer !== undefined && equal(answer, e.answerIds)) answersRight += 1;
        if (cot) {
          const expectedTrace = e.tokens.slice(promptLength, (e.answerPositions[0] ?? 1) - 1);
          if (answerStart > 0 && equal(out.slice(0, answerStart - 1), expectedTrace)) tracesRight += 1;
        }
      });
    }
  }
  const n = examples.length;
  const details: Record<string, number> = { teacher_forced_sequence_accuracy: n === 0 ? Number.NaN : forcedSequences / n };
  if (cot) details['trace_accuracy'] = n === 0 ? Number.NaN : tracesRight / n;
  return {
    tokenAccuracy: positions === 0 ? Number.NaN : right / positions,
    answerAccuracy: n === 0 ? Number.NaN : answersRight / n,
    details,
  };
}

function equal(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
