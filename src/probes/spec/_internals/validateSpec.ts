/**
 * What every spec (probe, study) shares: spec text read as JSON or YAML, and
 * zod validation whose first issue becomes one ProbeSpecError line naming the
 * JSON path, the bad value and the fix.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ProbeSpecError } from '../ProbeSpecError.js';

/** Validates `input` against `schema`; `source` names where it came from (a file path) in the message. */
export function validateSpec<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('') || '(top level)';
  const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], input);
  const shown = value === undefined ? 'missing' : truncate(JSON.stringify(value));
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  throw new ProbeSpecError(path, `${source}: ${path.replace(/^\./, '')} = ${shown}: ${issue.message}${keys}`);
}

/** Spec text as a value: YAML when `source` ends in .yaml or .yml, JSON otherwise; a syntax error is one line. */
export function readSpecText(text: string, source: string): unknown {
  const yaml = /\.ya?ml$/i.test(source);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ProbeSpecError(yaml ? '(yaml)' : '(json)', `${source}: not valid ${yaml ? 'YAML' : 'JSON'} (${why}); fix the syntax`);
  }
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
