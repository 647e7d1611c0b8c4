/**
 * Text formatting shared by the report's renderers: numbers at a fixed
 * precision, estimates as "mean [lo, hi]", and escaping for the three
 * output languages (HTML, Markdown tables, CSV per RFC 4180).
 */
import type { Estimate, LinearFit } from '../../analysis/index.js';

/** Accuracy-like numbers: three decimals. */
export function fixed(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** "0.933 [0.867, 1.000]". */
export function estimate(e: Estimate): string {
  return `${fixed(e.mean)} [${fixed(e.lo)}, ${fixed(e.hi)}]`;
}

/** "0.933 [0.867, 1.000] n=3". */
export function estimateWithN(e: Estimate): string {
  return `${estimate(e)} n=${e.n}`;
}

/** "1.00 + 0.20·x, R² = 0.920 (4 points)"; `x` names the regressor. */
export function fitText(fit: LinearFit, x: string): string {
  const sign = fit.slope < 0 ? '−' : '+';
  const r2 = fit.r2 === null ? 'R² undefined (all equal)' : `R² = ${fixed(fit.r2)}`;
  return `${fixed(fit.intercept, 2)} ${sign} ${fixed(Math.abs(fit.slope), 2)}·${x}, ${r2} (${fit.points} points)`;
}

/** Seconds as "42 s", "3.5 min", "2.1 h". */
export function duration(seconds: number): string {
  if (seconds < 120) return `${fixed(seconds, seconds < 10 ? 2 : 0)} s`;
  if (seconds < 7200) return `${fixed(seconds / 60, 1)} min`;
  return `${fixed(seconds / 3600, 1)} h`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Text safe in one Markdown table cell: no line breaks, pipes escaped, HTML neutralised. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

/** Markdown running text: HTML neutralised (tables use escapeMarkdownCell). */
export function escapeMarkdownText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One CSV field: quoted (quotes doubled) when it holds a comma, quote or line break; null is empty. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A task as tables name it: "s5", or "word[A5]" for a grouped task. */
export function taskName(t: { task: string; group: string | null }): string {
  return t.group === null ? t.task : `${t.task}[${t.group}]`;
}

/** A model size: "L2 d64". */
export function sizeName(s: { layers: number; dModel: number }): string {
  return `L${s.layers} d${s.dModel}`;
}
