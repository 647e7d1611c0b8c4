/**
 * `depthlab sde score --mixture FILE --schedule NAME --t T --x x1,x2,…` — the
 * exact score ∇log p_t(x) of a Gaussian mixture (and log p_t(x), and the
 * Tweedie denoiser E[x0|x_t]) at one point; the figure shows the first
 * coordinate of the score along the x1 axis through the point.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { lineChart, writeResultFiles } from '../../probes/index.js';
import { MixtureError, mixtureDim, parseMixture } from '../../sde/mixtures/GaussianMixture.js';
import { scheduleByName } from '../../sde/schedules/index.js';
import { mixtureScore } from '../../sde/scores/mixtureScore.js';
import { tweedieMean } from '../../sde/scores/tweedie.js';
import { log, printJson, printLines, table } from '../_internals/output.js';
import { UsageError } from '../_internals/UsageError.js';
import { numberFlag } from '../_internals/parse.js';
import { numberListFlag, outPrefix } from './_shared.js';

export function registerScoreCommand(sde: Command): void {
  sde
    .command('score')
    .description('the exact score of a Gaussian mixture at one point, under a schedule')
    .requiredOption('--mixture <file>', 'mixture file: {"weights": [...], "means": [[...], ...], "covariances": [[[...]], ...]}')
    .requiredOption('--schedule <name>', 'vp-linear, sub-vp, cosine, ve, edm, or expr:<β(t)>')
    .requiredOption('--t <t>', 'time in [0, 1]', numberFlag('--t', 0, 1))
    .requiredOption('--x <coords>', 'the point, comma-separated', numberListFlag('--x', -1e12, 1e12))
    .option('--out <prefix>', 'write PREFIX.json and PREFIX.svg (default: score)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { mixture: string; schedule: string; t: number; x: number[]; out?: string; json?: boolean }) => {
      let text: string;
      try {
        text = await readFile(opts.mixture, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read --mixture ${opts.mixture}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
      let mix;
      let schedule;
      try {
        mix = parseMixture(text, opts.mixture);
        schedule = scheduleByName(opts.schedule);
      } catch (err) {
        if (err instanceof MixtureError || err instanceof Error) throw new UsageError(err.message);
        throw err;
      }
      const dim = mixtureDim(mix);
      if (opts.x.length !== dim) throw new UsageError(`--x has ${opts.x.length} coordinates but the mixture is ${dim}-dimensional; give ${dim} comma-separated numbers`);
      if (schedule.mean(opts.t) === 0) throw new UsageError(`--t ${opts.t}: the mean coefficient of ${schedule.name} is 0 there, so p_t does not depend on the data; use a smaller t`);
      const score = mixtureScore(mix, schedule);
      const x = Float64Array.from(opts.x);
      const s = new Float64Array(dim);
      score.evaluate(x, 1, opts.t, s);
      const x0 = new Float64Array(dim);
      tweedieMean(score, schedule, x, 1, opts.t, x0);
      const results = {
        schedule: schedule.name,
        t: opts.t,
        x: opts.x,
        mean_coefficient: schedule.mean(opts.t),
        std: schedule.std(opts.t),
        score: Array.from(s),
        log_density: score.logDensity(x, opts.t),
        tweedie_mean: Array.from(x0),
      };
      // The figure: ∂/∂x1 log p_t along x1 through the point.
      const span = 4 * Math.max(1, schedule.std(opts.t) + schedule.mean(opts.t) * Math.max(...mix.means.map((m) => Math.abs(m[0]!))));
      const rows = Array.from({ length: 101 }, (_, i) => {
        const p = Float64Array.from(x);
        p[0] = x[0]! - span + (2 * span * i) / 100;
        const out = new Float64Array(dim);
        score.evaluate(p, 1, opts.t, out);
        return { x1: p[0], score1: out[0]! };
      });
      const files = await writeResultFiles(outPrefix(opts.out, 'score'), results, lineChart({
        title: `score of the mixture at t = ${opts.t} (${schedule.name}), along x1`,
        rows,
        x: { field: 'x1', title: 'x1' },
        y: { field: 'score1', title: '∂ log p_t / ∂x1' },
      }));
      log(`wrote ${files.json} and ${files.svg}`);
      if (opts.json) return printJson(results);
      printLines([
        ...table(['coordinate', 'x', 'score', 'E[x0 | x_t]'], opts.x.map((xi, k) => [`x${k + 1}`, xi, Number(s[k]!.toPrecision(8)), Number(x0[k]!.toPrecision(8))])),
        `log p_t(x) = ${results.log_density.toPrecision(8)}   (t = ${opts.t}, ${schedule.name}: a = ${results.mean_coefficient.toPrecision(6)}, s = ${results.std.toPrecision(6)})`,
      ]);
    });
}
