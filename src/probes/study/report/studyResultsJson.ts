/**
 * toResultsJson / parseResultsJson — the study report's results.json text,
 * and reading it back.
 *
 * JSON has no Infinity or NaN, and JSON.stringify would turn them into null,
 * losing "R = ∞: no diminishing returns" (a result, not a gap). As in the run
 * store (src/probes/store/_internals/schema.ts), non-finite numbers are
 * written as the strings "Infinity", "-Infinity" and "NaN" and read back as
 * numbers; no string field of the analysis has one of those exact values.
 */

/** Pretty-printed JSON with non-finite numbers as their names; ends in a newline. */
export function toResultsJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

/** The inverse of toResultsJson: "Infinity", "-Infinity" and "NaN" become numbers again. */
export function parseResultsJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) =>
    v === 'NaN' ? Number.NaN : v === 'Infinity' ? Number.POSITIVE_INFINITY : v === '-Infinity' ? Number.NEGATIVE_INFINITY : v,
  ) as T;
}
