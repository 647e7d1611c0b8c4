/**
 * Which cells are seeds of one another. Two done cells are pooled (averaged
 * as seeds) only when their configs agree on every field but depth and seed;
 * a series also fixes the size (layers, dModel). So a probe that sweeps, say,
 * the learning rate never averages two learning rates.
 *
 * A variant names what sets a kind's cells apart, for tables and legends:
 * the fields the kind always shows (KIND_FIELDS: looped's loops R, diffusion's
 * denoising steps S), plus every other field whose value differs between the
 * probe's cells of that kind (any status). Fields equal across all of a kind's
 * cells are left out of the label but still agree within a series, so the
 * label identifies the series within its (task, kind, size).
 */
import { canonicalJson, type CellConfig, type ModelKind } from '../../cell/CellConfig.js';
import type { ModelVariant, TaskRef, VariantValue } from '../Analysis.js';

/**
 * The fields that place a cell on the analysis' axes rather than in its
 * variant. evalDepths is one: it follows from the depth (the spec's other
 * depths), so cells at different depths of one series always differ in it.
 */
const AXIS_FIELDS: ReadonlySet<string> = new Set(['task', 'group', 'depth', 'evalDepths', 'model', 'layers', 'dModel', 'seed']);

/** Fields shown for a kind even when the probe holds them fixed (a table, not a switch). */
const KIND_FIELDS: Readonly<Partial<Record<ModelKind, readonly string[]>>> = {
  looped: ['loops'],
  diffusion: ['denoisingSteps'],
};

/** A config field's value as a variant shows it: structured values (e.g. a list of depths) as canonical JSON text. */
function variantValue(value: unknown): VariantValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return canonicalJson(value);
}

/** A config's fields other than the axes; an absent optional field reads as null. */
function restOf(config: CellConfig): Map<string, VariantValue> {
  const rest = new Map<string, VariantValue>();
  for (const [field, value] of Object.entries(config)) {
    if (!AXIS_FIELDS.has(field)) rest.set(field, variantValue(value));
  }
  for (const field of Object.values(KIND_FIELDS).flat()) if (!rest.has(field)) rest.set(field, null);
  return rest;
}

export function taskRefOf(config: CellConfig): TaskRef {
  return { task: config.task, group: config.group ?? null };
}

/**
 * Variant namer for a probe's configs: the fields each kind shows, computed
 * once from all of them, then applied to any one.
 */
export function variantNamer(configs: readonly CellConfig[]): (config: CellConfig) => ModelVariant {
  const seen = new Map<ModelKind, Map<string, Set<string>>>();
  for (const config of configs) {
    const byField = seen.get(config.model) ?? new Map<string, Set<string>>();
    seen.set(config.model, byField);
    for (const [field, value] of restOf(config)) {
      const values = byField.get(field) ?? new Set<string>();
      byField.set(field, values);
      values.add(JSON.stringify(value));
    }
  }
  const shown = new Map<ModelKind, string[]>();
  for (const [kind, byField] of seen) {
    const fields = new Set(KIND_FIELDS[kind] ?? []);
    for (const [field, values] of byField) if (values.size > 1) fields.add(field);
    shown.set(kind, [...fields].sort());
  }
  return (config) => {
    const rest = restOf(config);
    const variant: Record<string, VariantValue> = {};
    for (const field of shown.get(config.model) ?? KIND_FIELDS[config.model] ?? []) variant[field] = rest.get(field) ?? null;
    return { model: config.model, variant, label: variantLabel(config.model, variant) };
  };
}

/** "looped loops=4"; a null value (an automatic default) reads "auto". */
export function variantLabel(model: ModelKind, variant: Readonly<Record<string, VariantValue>>): string {
  const parts = Object.entries(variant).map(([field, value]) => `${field}=${value === null ? 'auto' : String(value)}`);
  return [model, ...parts].join(' ');
}

/** A stable key from named parts (canonical JSON), for series and views. */
export function keyOf(parts: Record<string, unknown>): string {
  return canonicalJson(parts);
}
