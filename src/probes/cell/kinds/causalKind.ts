/**
 * The causal kinds of a probe cell — ar, cot, looped and lstm — are one
 * CausalLM over different backbones and token formats:
 *
 *   ar      Transformer, format 'answer'
 *   cot     Transformer, format 'cot' (trains on trace, <ans>, answer)
 *   looped  Transformer with loops = R, format 'answer'
 *   lstm    Lstm sized to the transformer's parameter count, format 'answer'
 *
 * Evaluation (teacher forced, and free running to <eos>) is evaluateCausal.ts.
 */
import type { Backbone } from '../../../models/backbone/index.js';
import { CausalLM } from '../../../models/kinds/index.js';
import type { CellModel, KindContext } from './CellModel.js';
import { evaluateCausal } from './evaluateCausal.js';

/** A CausalLM cell model over `backbone` (built by the kind). */
export function causalCellModel(context: KindContext, backbone: Backbone): CellModel {
  const lm = new CausalLM(backbone);
  const format = context.data.format;
  const special = { ans: context.tokenizer.id('<ans>'), eos: context.tokenizer.id('<eos>') };
  return {
    trainable: lm,
    parameterCount: lm.parameterCount,
    batch: (examples) => ({ tokens: examples.map((e) => e.tokens), targets: examples.map((e) => e.targets) }),
    evaluate: (examples) => evaluateCausal(lm, examples, format === 'cot', special, examples[0]?.tokens.length ?? 0),
    dispose: () => lm.dispose(),
  };
}
