/**
 * `depthlab sde error-sweep` — sampling error against score error ε and step
 * count N for a Gaussian mixture under a schedule, with the fitted shape of
 * the Chen et al. (2023) bound; table, PREFIX.json and PREFIX.svg.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { lineChart, writeResultFiles } from '../../probes/index.js';
import { errorSweep, type SamplerName, samplers } from '../../sde/errorSweep.js';
import { type AnyGaussianMixture, MixtureError, mixtureDim, parseMixture, sampleMixture } from '../../sde/mixtures/GaussianMixture.js';
import { rngFromSeed } from '../../sde/_internals/random.js';
import { scheduleByName } from '../../sde/schedules/index.js';
import { APPROXIMATION_KINDS, type ApproximationKind, approximateScore } from '../../sde/scores/approximateScores.js';
import { mixtureScore, sampleMixtureAt } from '../../sde/scores/mixtureScore.js';
import { log, printJson, printLines, table } from '../_internals/output.js';
import { choiceFlag, integerFlag } from '../_internals/parse.js';
import { UsageError } from '../_internals/UsageError.js';
import { numberListFlag, outPrefix } from './_shared.js';

/** Used when no --mixture is given: four unit-variance components on the corners of a square in 2-D. */
export const DEFAULT_MIXTURE: AnyGaussianMixture = {
  weights: [0.25, 0.25, 0.25, 0.25],
  means: [[-2, -2], [-2, 2], [2, -2], [2, 2]],
  covariances: Array.from({ length: 4 }, () => [[0.25, 0], [0, 0.25]]),
};

export async function loadMixture(path: string | undefined): Promise<AnyGaussianMixture> {
  if (path === undefined) return DEFAULT_MIXTURE;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --mixture ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return parseMixture(text, path);
  } catch (err) {
    if (err instanceof MixtureError) throw new UsageError(err.message);
    throw err;
  }
}

export function registerErrorSweepCommand(sde: Command): void {
  sde
    .command('error-sweep')
    .description('sampling error vs score error ε and steps N, against the shape of the Chen et al. (2023) bound')
    .option('--mixture <file>', 'target Gaussian mixture (default: 4 components on a square in 2-D)')
    .option('--schedule <name>', 'schedule', 'vp-linear')
    .option('--eps <list>', 'score errors ε', numberListFlag('--eps', 0, 100), [0, 0.5, 1, 2])
    .option('--steps <list>', 'step counts N', numberListFlag('--steps', 1, 100_000, true), [10, 25, 50, 100])
    .option('--sampler <name>', `sampler: ${Object.keys(samplers).join(', ')}`, choiceFlag('--sampler', Object.keys(samplers) as SamplerName[]), 'euler-maruyama')
    .option('--kind <kind>', `kind of score error: ${APPROXIMATION_KINDS.join(', ')}`, choiceFlag('--kind', APPROXIMATION_KINDS), 'bias')
    .option('--particles <n>', 'particles per run', integerFlag('--particles', 10, 1_000_000), 2000)
    .option('--seed <s>', 'seed', integerFlag('--seed', -(2 ** 31), 2 ** 31 - 1), 0)
    .option('--out <prefix>', 'write PREFIX.json and PREFIX.svg (default: error-sweep)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { mixture?: string; schedule: string; eps: number[]; steps: number[]; sampler: SamplerName; kind: ApproximationKind; particles: number; seed: number; out?: string; json?: boolean }) => {
      const mix = await loadMixture(opts.mixture);
      let schedule;
      try {
        schedule = scheduleByName(opts.schedule);
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      const exact = () => mixtureScore(mix, schedule);
      const shared = exact();
      log(`error-sweep: ${opts.eps.length} × ${opts.steps.length} runs of ${opts.particles} particles (${opts.sampler}, ${schedule.name}, d = ${mixtureDim(mix)})`);
      const result = errorSweep({
        schedule,
        sampleP0: (n, seed) => sampleMixture(mix, n, rngFromSeed(seed)),
        exactScore: exact,
        approxScore: (eps) => approximateScore(shared, { kind: opts.kind, epsilon: eps, seed: opts.seed, samplesAt: (t, m, rng) => sampleMixtureAt(mix, schedule, t, m, rng) }),
        eps: opts.eps,
        steps: opts.steps,
        sampler: opts.sampler,
        n: opts.particles,
        seed: opts.seed,
      });
      const results = { schedule: schedule.name, sampler: opts.sampler, kind: opts.kind, particles: opts.particles, seed: opts.seed, dim: result.dim, T: result.T, fit: result.fit, note: result.note, rows: result.rows };
      const figureRows = result.rows.flatMap((r) => [
        { steps: r.steps, value: r.sw1, series: `measured, ε = ${r.eps}` },
        { steps: r.steps, value: r.bound, series: `fitted bound, ε = ${r.eps}` },
      ]);
      const files = await writeResultFiles(outPrefix(opts.out, 'error-sweep'), results, lineChart({
        title: `sliced W1 vs steps (${opts.sampler}, ${schedule.name}); fit R² = ${result.fit.r2.toFixed(3)}`,
        rows: figureRows,
        x: { field: 'steps', title: 'steps N', log: true },
        y: { field: 'value', title: 'sliced W1 to p0' },
        series: { field: 'series', title: '' },
      }));
      log(`wrote ${files.json} and ${files.svg}`);
      if (opts.json) return printJson(results);
      const f = (x: number) => x.toPrecision(3);
      printLines([
        ...table(['ε', 'realised ε', 'steps', 'sliced W1', 'MMD²', 'mean err', 'cov err', 'bound shape'], result.rows.map((r) => [r.eps, f(r.epsL2), r.steps, f(r.sw1), f(r.mmd), f(r.meanError), f(r.covError), f(r.bound)])),
        '',
        `fit: sw1 ≈ ${f(result.fit.c0)} + ${f(result.fit.cEps)}·ε√T + ${f(result.fit.cSqrtH)}·√(dh)√T + ${f(result.fit.cH)}·h√T   (R² = ${result.fit.r2.toFixed(3)}, T = ${f(result.T)})`,
        result.note,
      ]);
    });
}
