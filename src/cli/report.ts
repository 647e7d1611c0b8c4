/**
 * `depthlab report DIR` — analyses a probe's run store (DIR/runs.sqlite) and
 * writes its report to DIR/report (or --out): report.md, report.html (one
 * self-contained file with the figures inline), one SVG per figure,
 * results.csv (one row per done cell) and results.json (the Analysis and the
 * rows). stdout: a short summary (depth limits at τ) and where the report is;
 * with --json, the Analysis as one JSON document. Logs go to stderr.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { AnalyseOptionsError, type Analysis } from '../probes/analysis/index.js';
import { writeReport } from '../probes/report/writeReport.js';
import { RunStore, RunStoreError, storeFile } from '../probes/store/index.js';
import type { ProbeData } from '../probes/store/index.js';
import { log, printJson, printLines, table } from './_internals/output.js';
import { numberFlag } from './_internals/parse.js';
import { UsageError } from './_internals/UsageError.js';

interface ReportFlags {
  out?: string;
  tau: number;
  json?: boolean;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description("analyse a probe's run store (DIR/runs.sqlite) and write report.md, report.html, figures, results.csv and results.json")
    .argument('<dir>', "the probe's run directory (its --out), holding runs.sqlite")
    .option('--out <dir>', 'where to write the report [DIR/report]')
    .option('--tau <x>', 'success threshold on answer accuracy (depth limits, fewest layers)', numberFlag('--tau', 0, 1), 0.9)
    .option('--json', 'print one JSON document: the Analysis')
    .action(async (dir: string, flags: ReportFlags) => {
      const data = readStore(dir);
      const out = flags.out ?? join(dir.endsWith('.sqlite') ? dirname(dir) : dir, 'report');
      let written;
      try {
        written = await writeReport(data, out, { tau: flags.tau });
      } catch (error) {
        if (error instanceof AnalyseOptionsError) throw new UsageError(error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EROFS' || code === 'ENOSPC') {
          throw new UsageError(`${out}: cannot write the report (${code}); choose another --out`);
        }
        throw error;
      }
      log(`wrote ${written.files.length} files to ${out}`);
      if (flags.json) return printJson(written.analysis);
      printLines(reportSummary(written.analysis, join(out, 'report.html')));
    });
}

/** The store's data, or a one-line UsageError naming the path and the fix. */
export function readStore(dir: string): ProbeData {
  const isSqlite = dir.endsWith('.sqlite');
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    throw new UsageError(`${dir}: no such ${isSqlite ? 'file' : 'directory'}; pass a probe's run directory (the --out of \`depthlab probe\`, holding runs.sqlite)`);
  }
  if (!isSqlite && !stats.isDirectory()) {
    throw new UsageError(`${dir}: not a directory; pass a probe's run directory (the --out of \`depthlab probe\`, holding runs.sqlite)`);
  }
  let store: RunStore;
  try {
    store = RunStore.open(storeFile(dir), { readonly: true });
  } catch (error) {
    if (error instanceof RunStoreError) throw new UsageError(error.message);
    throw error;
  }
  try {
    return store.data();
  } finally {
    store.close();
  }
}

export function reportSummary(analysis: Analysis, reportPath: string): string[] {
  const c = analysis.counts;
  const lines = [`cells: ${c.total} (${c.done} done, ${c.pending} pending, ${c.running} running, ${c.failed} failed)`];
  if (analysis.depthLimits.length === 0) {
    lines.push('no done cells: nothing to analyse yet');
  } else {
    const show = (d: number | null) => (d === null ? 'none' : String(d));
    lines.push('', `depth limit: largest depth with mean ${analysis.metric.replace('_', ' ')} ≥ τ = ${analysis.tau} (bootstrap 95% interval)`);
    lines.push(...table(
      ['task', 'model', 'layers', 'd_model', 'limit', 'interval', 'depths'],
      analysis.depthLimits.map((l) => [
        l.group === null ? l.task : `${l.task}[${l.group}]`,
        l.label,
        l.layers,
        l.dModel,
        `${show(l.limit)}${l.censored ? ' (deepest tested)' : ''}`,
        `[${show(l.lo)}, ${show(l.hi)}]`,
        l.depths.join(','),
      ]),
    ));
  }
  if (analysis.seedsPerPoint !== null && analysis.seedsPerPoint.min < 5) {
    const { min, max } = analysis.seedsPerPoint;
    const seeds = min === max ? `${min} seed${min === 1 ? '' : 's'}` : `${min}-${max} seeds`;
    lines.push('', min === 1 ? `note: ${seeds} per point: no intervals` : `note: ${seeds} per point: intervals are rough`);
  }
  lines.push('', `report: ${reportPath}`);
  return lines;
}
