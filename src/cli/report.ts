/**
 * `depthlab report DIR` — analyses a run store (DIR/runs.sqlite) and writes
 * its report to DIR/report (or --out): report.md, report.html (one
 * self-contained file with the figures inline), one SVG per figure,
 * results.csv (one row per cell) and results.json.
 *
 * A probe's store gets the depth-vs-accuracy report (the Analysis; summary:
 * depth limits at τ); a data-constrained study's store gets the study report
 * (the StudyAnalysis; summary: R_D* per series and the crossovers). A store
 * holding both gets the probe report in OUT and the study report in OUT/study.
 * With --json, one JSON document: the Analysis, the StudyAnalysis, or both as
 * { probe, study } (non-finite numbers as the strings "Infinity"/"NaN").
 * Logs go to stderr.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { AnalyseOptionsError, type Analysis } from '../probes/analysis/index.js';
import { writeReport } from '../probes/report/writeReport.js';
import { RunStore, RunStoreError, storeFile } from '../probes/store/index.js';
import { StudyAnalysisError, type StudyAnalysis } from '../probes/study/analysis/index.js';
import { toResultsJson, writeStudyReport } from '../probes/study/report/index.js';
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
    .description("analyse a probe's or a study's run store (DIR/runs.sqlite) and write report.md, report.html, figures, results.csv and results.json")
    .argument('<dir>', "the probe's or study's run directory (its --out), holding runs.sqlite")
    .option('--out <dir>', 'where to write the report [DIR/report]')
    .option('--tau <x>', 'success threshold on answer accuracy (depth limits, fewest layers)', numberFlag('--tau', 0, 1), 0.9)
    .option('--json', 'print one JSON document: the Analysis (probe) or StudyAnalysis (study)')
    .action(async (dir: string, flags: ReportFlags) => {
      const { probe, study } = withStore(dir, (store) => ({ probe: store.data(), study: store.studyData() }));
      const out = flags.out ?? join(dir.endsWith('.sqlite') ? dirname(dir) : dir, 'report');
      const hasStudy = study.records.length > 0;
      const hasProbe = probe.records.length > 0 || !hasStudy;
      const studyOut = hasProbe ? join(out, 'study') : out;
      const lines: string[] = [];
      const json: { probe?: Analysis; study?: StudyAnalysis } = {};
      if (hasProbe) {
        const written = await writing(out, () => writeReport(probe, out, { tau: flags.tau }));
        log(`wrote ${written.files.length} files to ${out}`);
        json.probe = written.analysis;
        lines.push(...reportSummary(written.analysis, join(out, 'report.html')));
      }
      if (hasStudy) {
        const written = await writing(studyOut, () => writeStudyReport(studyOut, study));
        log(`wrote ${written.files.length} files to ${studyOut}`);
        json.study = written.analysis;
        lines.push(...(lines.length > 0 ? [''] : []), ...studyReportSummary(written.analysis, join(studyOut, 'report.html')));
      }
      if (flags.json) return hasStudy ? printLines([toResultsJson(hasProbe ? json : json.study).trimEnd()]) : printJson(json.probe);
      printLines(lines);
    });
}

/** Runs a report writer, turning option and file-system problems into one-line UsageErrors. */
async function writing<T>(out: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof AnalyseOptionsError || error instanceof StudyAnalysisError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EROFS' || code === 'ENOSPC') {
      throw new UsageError(`${out}: cannot write the report (${code}); choose another --out`);
    }
    throw error;
  }
}

/** The store's probe data, or a one-line UsageError naming the path and the fix. */
export function readStore(dir: string): ProbeData {
  return withStore(dir, (store) => store.data());
}

/** Opens the run store of DIR (or a .sqlite file) readonly for `read`; problems are one-line UsageErrors. */
function withStore<T>(dir: string, read: (store: RunStore) => T): T {
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
    return read(store);
  } finally {
    store.close();
  }
}

/** R_D* per series beside the published values, and each AR/diffusion pair's crossovers. */
export function studyReportSummary(analysis: StudyAnalysis, reportPath: string): string[] {
  const c = analysis.counts;
  const lines = [`study cells: ${c.total} (${c.done} done, ${c.pending} pending, ${c.running} running, ${c.failed} failed)`];
  if (analysis.series.length === 0) return [...lines, 'no done study cells: nothing to analyse yet', '', `report: ${reportPath}`];
  const num = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : !Number.isFinite(x) ? (x > 0 ? '∞' : String(x)) : x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  lines.push('', `R_D* (Muennighoff form; published: diffusion ≈ ${analysis.published.r_d_star_diffusion.value}, AR ≈ ${analysis.published.r_d_star_ar.earlier_value}–${analysis.published.r_d_star_ar.value})`);
  lines.push(...table(
    ['series', 'R_D*', 'bootstrap 95%', 'points (dropped)', 'U: best bits/token @ epoch, lowest final at E (+ rise of the longest run)'],
    analysis.series.map((s) => [
      s.label,
      s.r_d_star.status === 'fitted' ? num(s.r_d_star.value) : `— (${s.r_d_star.reason ?? 'not fitted'})`,
      s.r_d_star.interval ? `[${num(s.r_d_star.interval[0])}, ${num(s.r_d_star.interval[1])}]` : '',
      `${s.r_d_star.n_points} (${s.r_d_star.dropped_points})`,
      s.budgets
        .map((b) => `${b.unique_tokens}: ${b.best ? `${b.best.bits.toFixed(3)} @${b.best.epoch.toFixed(1)}` : 'n/a'}, E=${b.final_minimum_epochs ?? 'n/a'} (+${b.overfit_rise?.toFixed(2) ?? 'n/a'})`)
        .join('; '),
    ]),
  ));
  for (const p of analysis.pairs) {
    const crossings = p.crossings.map((x) => `U=${x.unique_tokens}: ${x.status === 'crossing' ? `C_crit ${x.compute!.toExponential(2)} FLOPs` : x.status}`).join('; ');
    const gamma = p.c_crit.status === 'fitted' ? `C_crit ∝ U^${num(p.c_crit.gamma)} (published ${analysis.published.c_crit_gamma})` : `C_crit(U) not fitted: ${p.c_crit.reason}`;
    lines.push('', `${p.diffusion_label} vs ${p.ar_label}: ${crossings}`, gamma);
  }
  lines.push('', `report: ${reportPath}`);
  return lines;
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
