/**
 * Output helpers. stdout carries data only (a table, or with --json exactly one
 * JSON document); logs and progress go to stderr. No colour is used, so
 * NO_COLOR holds trivially.
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Left-aligned text table; numeric columns right-aligned. An empty header prints no header row. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const showHeader = header.some((h) => h !== '');
  const cells = (showHeader ? [header, ...rows] : rows).map((r) => r.map(String));
  const widths = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number'));
  return cells.map((r) => r.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd());
}

/** 1.23e+10 → "1.23e10"; small numbers as they are. */
export function sci(x: number): string {
  return x >= 1e5 ? x.toExponential(2).replace('e+', 'e') : String(Math.round(x * 100) / 100);
}
