/**
 * The model kinds a probe cell can train, each with its token format and its
 * network (see CellConfig.ts for what each is). The four causal kinds share
 * CausalLM and its evaluation (kinds/causalKind.ts); the controls differ only
 * in the backbone:
 *   looped  the transformer's `layers` blocks applied `loops` = R times with
 *           shared weights: depth layers·R, parameters of `layers` blocks
 *   lstm    an LSTM with `layers` layers whose hidden size H makes its
 *           parameter count closest to the ar transformer's at the same
 *           config (lstmHiddenForParameters)
 */
import { Lstm, lstmHiddenForParameters, parameterCount, Transformer } from '../../models/backbone/index.js';
import type { ModelKind } from './CellConfig.js';
import { backboneOf, type KindContext, type ModelKindSpec } from './kinds/CellModel.js';
import { causalCellModel } from './kinds/causalKind.js';
import { diffusionCellModel } from './kinds/diffusionKind.js';
import { taggedCellModel } from './kinds/taggedKind.js';

const causal = (context: KindContext) => ({ ...backboneOf(context, context.tokenizer.size), attention: 'causal' as const });

export const MODEL_KIND_SPECS: Readonly<Record<ModelKind, ModelKindSpec>> = {
  ar: {
    format: () => 'answer',
    build: (context) => causalCellModel(context, new Transformer(causal(context))),
  },
  cot: {
    format: () => 'cot',
    build: (context) => causalCellModel(context, new Transformer(causal(context))),
  },
  looped: {
    format: () => 'answer',
    build: (context) => causalCellModel(context, new Transformer({ ...causal(context), loops: context.config.loops })),
  },
  lstm: {
    format: () => 'answer',
    build: (context) => {
      const { vocabSize, contextLength, layers, seed } = causal(context);
      const hidden = lstmHiddenForParameters(parameterCount(causal(context)), { vocabSize, contextLength, layers, seed });
      return causalCellModel(context, new Lstm({ vocabSize, contextLength, layers, hidden, seed }));
    },
  },
  tagged: {
    format: () => 'tagged',
    build: taggedCellModel,
  },
  diffusion: {
    format: (config) => config.diffusionTarget,
    build: diffusionCellModel,
  },
};
