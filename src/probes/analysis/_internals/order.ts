/**
 * The one order of every table and list in an analysis: task, group, model
 * kind (in MODEL_KINDS order), variant label, then layers and width, so
 * reports read the same on every run.
 */
import { MODEL_KINDS, type ModelKind } from '../../cell/CellConfig.js';

interface Ordered {
  task: string;
  group: string | null;
  model: ModelKind;
  label: string;
  layers?: number;
  dModel: number;
}

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareIds(a: Ordered, b: Ordered): number {
  return (
    text(a.task, b.task) ||
    text(a.group ?? '', b.group ?? '') ||
    MODEL_KINDS.indexOf(a.model) - MODEL_KINDS.indexOf(b.model) ||
    text(a.label, b.label) ||
    (a.layers ?? 0) - (b.layers ?? 0) ||
    a.dModel - b.dModel
  );
}

/** Distinct numbers, ascending. */
export function distinctSorted(xs: Iterable<number>): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}
