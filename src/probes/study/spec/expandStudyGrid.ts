/**
 * expandStudyGrid — a study spec as its cells: the product
 *
 *   U × (model kind, its own grid: orders × attentionDropout × dropout)
 *     × (layers, dModel) × E × seed
 *
 * in that nesting order (seeds innermost). The order fixes the shards
 * (shard.ts: cell k goes to shard k mod N); the run itself dispatches the
 * longest cells first. Each cell is validated as a StudyCellConfig; the first
 * bad one is a one-line ProbeSpecError naming its place in the grid.
 * Duplicate cells (same hash) are kept once.
 */
import { ProbeSpecError } from '../../spec/ProbeSpecError.js';
import { studyCellConfig, StudyCellConfigError, studyCellHash, type StudyCellConfig, type StudyCellConfigInput } from '../cell/StudyCellConfig.js';
import type { StudySpec } from './StudySpec.js';

export interface StudyGridCell {
  id: string;
  config: StudyCellConfig;
}

export function expandStudyGrid(spec: StudySpec, source = 'spec'): StudyGridCell[] {
  const cells: StudyGridCell[] = [];
  const seen = new Set<string>();
  for (const uniqueTokens of spec.uniqueTokens) {
    spec.models.forEach((m, mi) => {
      for (const variant of kindVariants(m)) {
        for (const layers of spec.sizes.layers) {
          for (const dModel of spec.sizes.dModel) {
            for (const epochs of spec.epochs) {
              for (const seed of spec.seeds) {
                const input = {
                  ...spec.data,
                  uniqueTokens,
                  epochs,
                  model: m.kind,
                  ...variant,
                  layers,
                  dModel,
                  heads: spec.sizes.heads,
                  ...spec.training,
                  ...spec.evaluation,
                  seed,
                } as StudyCellConfigInput;
                const config = checked(input, `${source}: models[${mi}] (${m.kind}) at uniqueTokens ${uniqueTokens}, epochs ${epochs}`);
                const id = studyCellHash(config);
                if (seen.has(id)) continue;
                seen.add(id);
                cells.push({ id, config });
              }
            }
          }
        }
      }
    });
  }
  return cells;
}

/** The kind's own grid as partial configs. */
function kindVariants(m: StudySpec['models'][number]): Partial<StudyCellConfigInput>[] {
  const orders = m.orders?.map((n) => ({ orders: n })) ?? [{}];
  const attention = m.attentionDropout?.map((p) => ({ attentionDropout: p })) ?? [{}];
  const dropout = m.dropout?.map((p) => ({ dropout: p })) ?? [{}];
  return orders.flatMap((o) => attention.flatMap((a) => dropout.map((d) => ({ ...o, ...a, ...d }))));
}

function checked(input: StudyCellConfigInput, where: string): StudyCellConfig {
  try {
    return studyCellConfig(input);
  } catch (error) {
    if (error instanceof StudyCellConfigError) throw new ProbeSpecError(error.field, `${where}: ${error.message}`);
    throw error;
  }
}
