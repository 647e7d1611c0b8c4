/**
 * The mixture file format: JSON for p(x) = Σ_k π_k N(x; μ_k, Σ_k) with full
 * covariances, keys strict so that a typo cannot silently drop a field:
 *
 *   {"weights": [0.3, 0.7],
 *    "means": [[0, 0], [3, 1]],
 *    "covariances": [[[1, 0], [0, 1]], [[0.5, 0.1], [0.1, 2]]]}
 *
 * The shape is checked by a zod schema, then the values by the rules of
 * checkMixture.ts. Every failure is a one-line MixtureError: file, JSON path,
 * the value found there and the fix.
 */
import { z } from 'zod';
import { checkMixture } from './checkMixture.js';
import type { GaussianMixture } from './GaussianMixture.js';
import { MixtureError } from './MixtureError.js';

const fileSchema = z.strictObject({
  weights: z.array(z.number()).min(1),
  means: z.array(z.array(z.number()).min(1)).min(1),
  covariances: z.array(z.array(z.array(z.number()))).min(1),
});

const FIELDS: Record<string, { what: string; fix: string }> = {
  '': { what: 'a mixture object', fix: 'write {"weights": [...], "means": [[...], ...], "covariances": [[[...], ...], ...]}' },
  weights: { what: 'a non-empty array of weights', fix: 'list one weight per component, e.g. "weights": [0.5, 0.5]' },
  'weights.#': { what: 'a number', fix: 'write each weight as a positive number' },
  means: { what: 'a non-empty array of means', fix: 'list one mean vector per component, e.g. "means": [[0, 0], [3, 1]]' },
  'means.#': { what: 'a non-empty mean vector', fix: 'write each mean as an array of d numbers, e.g. [0, 0]' },
  'means.#.#': { what: 'a number', fix: 'write each mean coordinate as a number' },
  covariances: { what: 'a non-empty array of covariance matrices', fix: 'list one d×d matrix per component, e.g. "covariances": [[[1, 0], [0, 1]]]' },
  'covariances.#': { what: 'a covariance matrix', fix: 'write each covariance as an array of d rows, e.g. [[1, 0], [0, 1]]' },
  'covariances.#.#': { what: 'a matrix row', fix: 'write each covariance row as an array of d numbers' },
  'covariances.#.#.#': { what: 'a number', fix: 'write each covariance entry as a number' },
};

/**
 * Reads a mixture from JSON text (the format above); `source` names the file in
 * error messages. Throws MixtureError on any broken rule.
 */
export function parseMixture(text: string, source = 'mixture.json'): GaussianMixture {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
    throw new MixtureError('format', `${source}: top level: invalid JSON (${reason}); check the brackets, commas and quotes`, 'top level');
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) throw schemaError(source, data, parsed.error.issues[0]);
  const mix: GaussianMixture = parsed.data;
  checkMixture(mix, source);
  return mix;
}

function schemaError(source: string, data: unknown, issue: z.core.$ZodIssue | undefined): MixtureError {
  const path = issue?.path ?? [];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const at = formatPath([...path, key]);
    return new MixtureError('format', `${source}: ${at}: unexpected key ${JSON.stringify(key)}; remove it (allowed keys: weights, means, covariances)`, at);
  }
  const at = formatPath(path) || 'top level';
  const shape = path.map((p) => (typeof p === 'number' ? '#' : String(p))).join('.');
  const field = FIELDS[shape] ?? { what: 'valid here', fix: 'see the mixture file format' };
  const found = valueAt(data, path);
  const problem = found === undefined ? `missing, expected ${field.what}` : `found ${describe(found)}, expected ${field.what}`;
  return new MixtureError('format', `${source}: ${at}: ${problem}; ${field.fix}`, at);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(String(p)).replace(/[\u2028\u2029]/g, ' ')}]`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** One line, never deep: JSON strings are escaped by JSON.stringify (U+2028/9 by hand). */
function describe(v: unknown): string {
  if (typeof v === 'string') {
    const q = JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    return q.length > 42 ? `${q.slice(0, 40)}…"` : q;
  }
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}
