/**
 * `depthlab sde masked --family F --depth D --steps 1,2,4,…` — masked
 * diffusion with the exact denoiser on a task's sequences: sequence validity
 * and token error against the number of denoising steps; table, PREFIX.json
 * and PREFIX.svg.
 */
import type { Command } from 'commander';
import { tasks } from '../../circuits/index.js';
import { lineChart, writeResultFiles } from '../../probes/index.js';
import { DenoiserRefusal, exactDenoiser } from '../../sde/masked/exactDenoiser.js';
import { maskedStepsExperiment } from '../../sde/masked/experiment.js';
import { UNMASK_ORDERS, type UnmaskOrder } from '../../sde/masked/sampler.js';
import { log, printJson, printLines, table } from '../_internals/output.js';
import { integerFlag } from '../_internals/parse.js';
import { progress } from '../_internals/progress.js';
import { UsageError } from '../_internals/UsageError.js';
import { numberListFlag, outPrefix } from './_shared.js';

export function registerMaskedCommand(sde: Command): void {
  sde
    .command('masked')
    .description('masked diffusion with the exact denoiser: validity and token error against the number of denoising steps')
    .requiredOption('--family <f>', 'task family (see depthlab tasks list)')
    .requiredOption('--depth <d>', 'depth parameter', integerFlag('--depth', 0, 4096))
    .requiredOption('--steps <list>', 'step counts, e.g. 1,2,4,8,17', numberListFlag('--steps', 1, 100_000, true))
    .option('--samples <n>', 'sequences per step count', integerFlag('--samples', 1, 1_000_000), 100)
    .option('--order <o>', `unmasking order: ${UNMASK_ORDERS.join(', ')}, or both`, (raw: string) => {
      if (raw !== 'both' && !(UNMASK_ORDERS as readonly string[]).includes(raw)) throw new UsageError(`--order must be one of ${UNMASK_ORDERS.join(', ')}, both; got ${JSON.stringify(raw)}`);
      return raw;
    }, 'both')
    .option('--conditional', 'give the input and generate trace and answer only')
    .option('--group <g>', 'group for --family word')
    .option('--seed <s>', 'seed', integerFlag('--seed', -(2 ** 31), 2 ** 31 - 1), 0)
    .option('--out <prefix>', 'write PREFIX.json and PREFIX.svg (default: masked-FAMILY-dDEPTH)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { family: string; depth: number; steps: number[]; samples: number; order: string; conditional?: boolean; group?: string; seed: number; out?: string; json?: boolean }) => {
      const task = tasks.findTask(opts.family, opts.group === undefined ? {} : { group: opts.group });
      if (task === undefined) throw new UsageError(`unknown task family ${JSON.stringify(opts.family)}; see depthlab tasks list`);
      if (opts.depth < task.minDepth || opts.depth > task.maxDepth) throw new UsageError(`--depth ${opts.depth} is not a depth of ${task.id}; depths run from ${task.minDepth} to ${task.maxDepth}`);
      let denoiser;
      try {
        denoiser = exactDenoiser(task, opts.depth, { method: 'auto' });
      } catch (err) {
        if (err instanceof DenoiserRefusal) throw new UsageError(err.message);
        throw err;
      }
      const orders: UnmaskOrder[] = opts.order === 'both' ? [...UNMASK_ORDERS] : [opts.order as UnmaskOrder];
      const bar = progress(`masked ${task.id} d=${opts.depth}`, orders.length);
      const rows = orders.flatMap((order, i) => {
        const r = maskedStepsExperiment({ task, depth: opts.depth, steps: opts.steps, samples: opts.samples, order, conditional: opts.conditional === true, seed: opts.seed, denoiser });
        bar.update(i + 1);
        return r;
      });
      bar.stop();
      const results = { family: task.id, depth: opts.depth, conditional: opts.conditional === true, samples: opts.samples, seed: opts.seed, rows };
      const figure = rows.flatMap((r) => [
        { steps: r.steps, value: r.validity, series: `validity (${r.order})` },
        { steps: r.steps, value: r.tokenError, series: `token error (${r.order})` },
      ]);
      const files = await writeResultFiles(outPrefix(opts.out, `masked-${task.id}-d${opts.depth}`), results, lineChart({
        title: `${task.id}, depth ${opts.depth}: exact-denoiser masked diffusion${opts.conditional ? ' (input given)' : ''}`,
        rows: figure,
        x: { field: 'steps', title: 'denoising steps', log: true },
        y: { field: 'value', title: 'fraction' },
        series: { field: 'series', title: '' },
      }));
      log(`wrote ${files.json} and ${files.svg}`);
      if (opts.json) return printJson(results);
      printLines(table(['order', 'steps', 'positions', 'validity', 'token error', 'vs own input'], rows.map((r) => [r.order, r.steps, r.generated, r.validity.toFixed(3), r.tokenError.toFixed(3), Number.isNaN(r.sameInputTokenError) ? '-' : r.sameInputTokenError.toFixed(3)])));
    });
}
