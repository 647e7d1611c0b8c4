/**
 * expandGrid — a probe spec as its cells: the product
 *
 *   (task, depth) × (model kind, its own grid: loops for looped, denoising
 *   steps for diffusion) × (layers, dModel) × seed
 *
 * (each cell also scored at the task's other depths under
 * evaluation.depthGeneralization) in that nesting order (seeds innermost, so the first cells of an
 * interrupted sweep cover every seed of the first configurations). Each cell
 * is validated as a CellConfig and checked against its task (known task,
 * depth in range, labels for tagged); the first bad one is a one-line
 * ProbeSpecError naming the spec path. Duplicate cells (same hash) are kept
 * once.
 */
import { cellConfig, CellConfigError, cellHash, type CellConfig, type CellConfigInput } from '../cell/CellConfig.js';
import { resolveCell } from '../cell/runCell.js';
import { ProbeSpecError, type ProbeSpec } from './ProbeSpec.js';

export interface GridCell {
  id: string;
  config: CellConfig;
}

export function expandGrid(spec: ProbeSpec): GridCell[] {
  const cells: GridCell[] = [];
  const seen = new Set<string>();
  const checkedTasks = new Set<string>();
  const generalization = spec.evaluation.depthGeneralization;
  spec.tasks.forEach((t, ti) => {
    for (const depth of t.depths) {
      spec.models.forEach((m, mi) => {
        for (const variant of kindVariants(m)) {
          for (const layers of spec.sizes.layers) {
            for (const dModel of spec.sizes.dModel) {
              for (const seed of spec.seeds) {
                const input: CellConfigInput = {
                  task: t.task,
                  ...(t.group !== undefined && { group: t.group }),
                  depth,
                  model: m.kind,
                  ...variant,
                  layers,
                  dModel,
                  heads: spec.sizes.heads,
                  positional: spec.sizes.positional,
                  evalDepths: t.depths.filter((e) => (generalization === 'all' ? e !== depth : generalization === 'deeper' && e > depth)),
                  ...spec.training,
                  ...spec.data,
                  seed,
                };
                // Task-level checks once per (task, depth, kind): they do not depend on sizes or seeds.
                const key = `${ti}|${depth}|${m.kind}`;
                const config = checked(input, `tasks[${ti}] × models[${mi}]`, !checkedTasks.has(key));
                checkedTasks.add(key);
                const id = cellHash(config);
                if (seen.has(id)) continue;
                seen.add(id);
                cells.push({ id, config });
              }
            }
          }
        }
      });
    }
  });
  return cells;
}

/** The kind's own grid as partial configs (one empty variant for kinds without one). */
function kindVariants(m: ProbeSpec['models'][number]): Partial<CellConfigInput>[] {
  const common = {
    ...(m.unmaskOrder !== undefined && { unmaskOrder: m.unmaskOrder }),
    ...(m.diffusionTarget !== undefined && { diffusionTarget: m.diffusionTarget }),
  };
  const loops = m.loops?.map((r) => ({ loops: r })) ?? [{}];
  const steps = m.denoisingSteps?.map((s) => ({ denoisingSteps: s })) ?? [{}];
  return loops.flatMap((l) => steps.map((s) => ({ ...common, ...l, ...s })));
}

/** Validates a cell (and, with `withTask`, checks it against its task); errors name the spec entries. */
function checked(input: CellConfigInput, where: string, withTask: boolean): CellConfig {
  try {
    return withTask ? resolveCell(input).config : cellConfig(input);
  } catch (error) {
    if (error instanceof CellConfigError) throw new ProbeSpecError(where, `spec: ${where}: ${error.message}`);
    throw error;
  }
}
