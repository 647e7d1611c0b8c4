/**
 * The tagged kind of a probe cell: a transformer labelling every input
 * position with its prefix value (the tagging format of the word-problem
 * literature: position i is labelled with the product, sum or count of
 * x₁…x_i). Its labels are ids of the task's own vocabulary.
 *
 * token_accuracy is per-position over the real (unpadded) positions.
 * answer_accuracy is the accuracy of the label at the last real position
 * when, on every evaluated example, that label is the task's answer (prefix
 * tasks: word problems, parity, counting); otherwise it falls back to
 * whole-sequence accuracy, and details.answer_is_last_label says which.
 */
import { TaggedLM } from '../../../models/kinds/index.js';
import type { EncodedExample } from '../_internals/encodedSet.js';
import { backboneOf, chunks, type CellEvaluation, type CellModel, type KindContext } from './CellModel.js';

export function taggedCellModel(context: KindContext): CellModel {
  const size = context.tokenizer.size;
  const lm = new TaggedLM({ backbone: backboneOf(context, size), labels: size });
  return {
    trainable: lm,
    parameterCount: lm.transformer.parameterCount,
    batch: (examples) => ({ tokens: examples.map((e) => e.tokens), labels: examples.map((e) => e.targets), mask: examples.map((e) => e.real) }),
    evaluate: (examples) => evaluateTagged(lm, examples),
    dispose: () => lm.dispose(),
  };
}

function evaluateTagged(lm: TaggedLM, examples: readonly EncodedExample[]): CellEvaluation {
  const lastIsAnswer = examples.every((e) => e.answerIds.length === 1 && e.targets[e.promptLength - 1] === e.answerIds[0]);
  let positions = 0;
  let right = 0;
  let answers = 0;
  for (const part of chunks(examples)) {
    const predicted = lm.predict(part.map((e) => e.tokens));
    part.forEach((e, b) => {
      const row = predicted[b] ?? [];
      let all = true;
      for (let i = 0; i < e.promptLength; i++) {
        positions += 1;
        if (row[i] === e.targets[i]) right += 1;
        else all = false;
      }
      if (lastIsAnswer ? row[e.promptLength - 1] === e.targets[e.promptLength - 1] : all) answers += 1;
    });
  }
  const n = examples.length;
  return {
    tokenAccuracy: positions === 0 ? Number.NaN : right / positions,
    answerAccuracy: n === 0 ? Number.NaN : answers / n,
    details: { answer_is_last_label: lastIsAnswer ? 1 : 0 },
  };
}
