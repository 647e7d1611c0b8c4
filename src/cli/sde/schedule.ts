/**
 * `depthlab sde schedule NAME [--t T]` — ᾱ(t), σ(t), β(t) or g(t), and SNR(t)
 * of a noise schedule on a grid of t ∈ [0, 1] (or at one t), as a table or
 * JSON, plus NAME.json / NAME.svg (log SNR against t).
 */
import type { Command } from 'commander';
import { lineChart, writeResultFiles } from '../../probes/index.js';
import { alphaBar, scheduleByName, snr } from '../../sde/schedules/index.js';
import { log, printJson, printLines, table } from '../_internals/output.js';
import { UsageError } from '../_internals/UsageError.js';
import { numberFlag } from '../_internals/parse.js';
import { outPrefix } from './_shared.js';

export function registerScheduleCommand(sde: Command): void {
  sde
    .command('schedule')
    .description('ᾱ(t) (squared mean coefficient), σ(t), β(t) = g(t)², g(t) and SNR(t) of a schedule: vp-linear, sub-vp, cosine, ve, edm or expr:<β(t)>')
    .argument('<name>', 'schedule name, or expr:EXPRESSION for a VP schedule with β(t) given in t, e.g. "expr:0.1 + 19.9*t"')
    .option('--t <t>', 'one time in [0, 1] instead of the grid', numberFlag('--t', 0, 1))
    .option('--points <n>', 'grid points over [tMin, T]', numberFlag('--points', 2, 10_000), 11)
    .option('--out <prefix>', 'write PREFIX.json and PREFIX.svg (default: schedule-NAME)')
    .option('--json', 'print one JSON document')
    .action(async (name: string, opts: { t?: number; points: number; out?: string; json?: boolean }) => {
      let schedule;
      try {
        schedule = scheduleByName(name);
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      const n = Math.round(opts.points);
      const ts = opts.t !== undefined ? [opts.t] : Array.from({ length: n }, (_, i) => schedule.tMin + ((schedule.T - schedule.tMin) * i) / (n - 1));
      const rows = ts.map((t) => ({
        t,
        alpha_bar: alphaBar(schedule, t),
        sigma: schedule.std(t),
        beta: schedule.diffusion(t) ** 2,
        g: schedule.diffusion(t),
        snr: snr(schedule, t),
      }));
      const results = { schedule: schedule.name, T: schedule.T, t_min: schedule.tMin, rows };
      const files = await writeResultFiles(outPrefix(opts.out, `schedule-${name}`), results, lineChart({
        title: `${schedule.name}: signal-to-noise ratio`,
        rows: rows.filter((r) => r.snr > 0 && Number.isFinite(r.snr)),
        x: { field: 't', title: 't' },
        y: { field: 'snr', title: 'SNR(t) = ᾱ/σ²', log: true },
      }));
      log(`wrote ${files.json} and ${files.svg}`);
      if (opts.json) return printJson(results);
      const f = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toFixed(6));
      printLines(table(['t', 'ᾱ(t)', 'σ(t)', 'β(t)=g²', 'g(t)', 'SNR(t)'], rows.map((r) => [f(r.t), f(r.alpha_bar), f(r.sigma), f(r.beta), f(r.g), f(r.snr)])));
    });
}
