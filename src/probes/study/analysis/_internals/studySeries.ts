/**
 * Which study cells are seeds of one another, how a series is named, and
 * which AR and diffusion series are compared.
 *
 * A series is every cell whose config agrees on all fields but uniqueTokens
 * (U), epochs (E) and seed: so a study that sweeps, say, the learning rate
 * never averages two learning rates. Config fields play three roles:
 *
 *   KIND     model, orders, dropout, attentionDropout, elboStrata, elboDraws:
 *            what the model is and how its loss is estimated
 *   RECIPE   lr, batchSize, warmupSteps, weightDecay, clipNorm, evalPoints:
 *            how it is trained and sampled
 *   SETTING  every other field (corpus, bpeVocabSize, corpusSeed, task,
 *            taskDepth, heldOutTokens, contextLength, layers, dModel, heads,
 *            and any field not named here): the data, the held-out set and
 *            the size
 *
 * An AR-family series (ar, ar-orders) and a diffusion series are compared
 * (crossover) when their SETTING fields agree; a field unknown here counts
 * as SETTING, so a new axis never pairs runs that are not comparable.
 *
 * Label = kind · setting. Kind: the model, "N=n" for ar-orders, "dropout=p"
 * and "attn-dropout=p" when nonzero, then every other KIND or RECIPE field
 * whose value differs between the study's cells ("lr=0.003"). Setting: the
 * corpus ("brown-bpe vocab=1024", "task parity depth=8", "task word[A5]
 * depth=4"), "L2 d64", then every other SETTING field that differs. Every
 * field that differs anywhere is shown, so two series never share a label.
 */
import { canonicalJson } from '../../../cell/CellConfig.js';
import type { StudyFamily, StudyFieldValue } from '../analyseStudyTypes.js';

type Config = Readonly<Record<string, unknown>>;

const RUN_FIELDS: ReadonlySet<string> = new Set(['uniqueTokens', 'epochs', 'seed']);
const KIND_FIELDS: ReadonlySet<string> = new Set(['model', 'orders', 'dropout', 'attentionDropout', 'elboStrata', 'elboDraws']);
const RECIPE_FIELDS: ReadonlySet<string> = new Set(['lr', 'batchSize', 'warmupSteps', 'weightDecay', 'clipNorm', 'evalPoints']);
/** Fields the label always formats itself (so they are not repeated as "field=value"). */
const FORMATTED: ReadonlySet<string> = new Set(['model', 'orders', 'dropout', 'attentionDropout', 'corpus', 'bpeVocabSize', 'task', 'group', 'taskDepth', 'layers', 'dModel']);

/** Model kinds in reading order; kinds not listed follow, alphabetically. */
export const MODEL_ORDER: readonly string[] = ['ar', 'ar-orders', 'diffusion'];

export interface SeriesIdentity {
  key: string;
  label: string;
  kind: string;
  model: string;
  family: StudyFamily;
  setting: string;
  setting_key: string;
  corpus: string;
  layers: number;
  d_model: number;
  config: Record<string, unknown>;
}

export function fieldValue(value: unknown): StudyFieldValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return canonicalJson(value);
}

export function familyOf(model: string): StudyFamily {
  if (model === 'diffusion') return 'diffusion';
  return model === 'ar' || model === 'ar-orders' ? 'ar' : 'other';
}

/** The shared config of a series: the cell's config without U, E and seed. */
function sharedOf(config: Config): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([field]) => !RUN_FIELDS.has(field)));
}

function isSetting(field: string): boolean {
  return !RUN_FIELDS.has(field) && !KIND_FIELDS.has(field) && !RECIPE_FIELDS.has(field);
}

const shown = (field: string, value: StudyFieldValue): string => `${field}=${value === null ? 'unset' : String(value)}`;

function corpusLabel(config: Config): string {
  const corpus = String(fieldValue(config.corpus) ?? 'unknown');
  if (config.bpeVocabSize !== undefined && config.bpeVocabSize !== null) return `${corpus} vocab=${String(fieldValue(config.bpeVocabSize))}`;
  if (config.task !== undefined && config.task !== null) {
    const group = config.group === undefined || config.group === null ? '' : `[${String(fieldValue(config.group))}]`;
    const depth = config.taskDepth === undefined || config.taskDepth === null ? '' : ` depth=${String(fieldValue(config.taskDepth))}`;
    return `${corpus} ${String(fieldValue(config.task))}${group}${depth}`;
  }
  return corpus;
}

function kindLabel(config: Config): string {
  const parts = [String(fieldValue(config.model) ?? 'unknown')];
  if (config.model === 'ar-orders' && config.orders !== undefined) parts.push(`N=${String(fieldValue(config.orders))}`);
  const nonzero = (v: unknown): boolean => v !== undefined && v !== null && v !== 0;
  if (nonzero(config.dropout)) parts.push(`dropout=${String(fieldValue(config.dropout))}`);
  if (nonzero(config.attentionDropout)) parts.push(`attn-dropout=${String(fieldValue(config.attentionDropout))}`);
  return parts.join(' ');
}

/**
 * Namer for a study's configs: which fields differ is computed once from all
 * of them (any status), then applied to any one.
 */
export function seriesNamer(configs: readonly Config[]): (config: Config) => SeriesIdentity {
  const values = new Map<string, Set<string>>();
  const fields = new Set(configs.flatMap((c) => Object.keys(c)));
  for (const field of fields) {
    if (RUN_FIELDS.has(field) || FORMATTED.has(field)) continue;
    values.set(field, new Set(configs.map((c) => JSON.stringify(fieldValue(c[field])))));
  }
  const varying = [...values.entries()].filter(([, v]) => v.size > 1).map(([field]) => field).sort();
  return (config) => {
    const extra = (setting: boolean): string[] => varying.filter((f) => isSetting(f) === setting).map((f) => shown(f, fieldValue(config[f])));
    const kind = [kindLabel(config), ...extra(false)].join(' ');
    const setting = [corpusLabel(config), `L${String(config.layers)} d${String(config.dModel)}`, ...extra(true)].join(' ');
    const shared = sharedOf(config);
    const settingFields = Object.fromEntries(Object.entries(shared).filter(([field]) => isSetting(field)));
    const model = String(fieldValue(config.model) ?? 'unknown');
    return {
      key: canonicalJson(shared),
      label: `${kind} · ${setting}`,
      kind,
      model,
      family: familyOf(model),
      setting,
      setting_key: canonicalJson(settingFields),
      corpus: String(fieldValue(config.corpus) ?? 'unknown'),
      layers: Number(config.layers),
      d_model: Number(config.dModel),
      config: shared,
    };
  };
}

/** Model kind (MODEL_ORDER, others after), then label. */
export function compareSeries(a: { model: string; label: string }, b: { model: string; label: string }): number {
  const rank = (m: string): number => {
    const i = MODEL_ORDER.indexOf(m);
    return i < 0 ? MODEL_ORDER.length : i;
  };
  return rank(a.model) - rank(b.model) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}
