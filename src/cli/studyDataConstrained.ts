/**
 * `depthlab study data-constrained SPEC --out DIR` (or `--preset NAME`) —
 * runs a data-constrained study's cells (U × E × model kinds × sizes × seeds)
 * into DIR/runs.sqlite on a pool of worker processes, resumably and sharded
 * exactly like `depthlab probe` (`--shard i/N`, SLURM array variables,
 * `depthlab merge`). Ctrl-C stops it — the cells in flight checkpoint under
 * DIR/checkpoints and resume from there next time (cells with dropout rerun
 * from the start) — and exits 130. `depthlab report DIR` writes the report.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { BACKEND_PREFERENCES } from '../models/backend/index.js';
import type { BackendPreference } from '../models/backend/index.js';
import { runStudy, type StudySummary } from '../probes/run/index.js';
import { parseStudySpec, STUDY_PRESET_NAMES, STUDY_PRESETS, studySpec } from '../probes/study/spec/index.js';
import { storeFile } from '../probes/store/index.js';
import { printJson, printLines, table } from './_internals/output.js';
import { choiceFlag, integerFlag } from './_internals/parse.js';
import { loadAnySpec, openStore, resolveShard, runInTerminal } from './_internals/probeRunner.js';
import { UsageError } from './_internals/UsageError.js';

interface DataConstrainedFlags {
  out?: string;
  preset?: string;
  workers?: number;
  backend: BackendPreference;
  shard?: string;
  retryFailed?: boolean;
  json?: boolean;
}

export function registerDataConstrainedCommand(study: Command): void {
  study
    .command('data-constrained')
    .description('run a data-constrained study: AR vs masked diffusion over unique-token budgets U and epochs E, into DIR/runs.sqlite; re-running resumes')
    .argument('[spec]', 'study spec, a JSON or YAML file (see docs/study.md)')
    .option('--preset <name>', `a named study instead of a spec file: ${STUDY_PRESET_NAMES.join(', ')}`)
    .option('--out <dir>', 'the run directory (holds runs.sqlite)')
    .option('--workers <n>', 'worker processes [one per core]', integerFlag('--workers', 1, 256))
    .option('--backend <b>', `tfjs backend of every cell: ${BACKEND_PREFERENCES.join(', ')}`, choiceFlag('--backend', BACKEND_PREFERENCES), 'auto')
    .option('--shard <i/N>', 'run only shard i of N (default: from SLURM_ARRAY_TASK_ID/COUNT, else all)')
    .option('--retry-failed', 'run failed cells again')
    .option('--json', 'print the summary as one JSON document')
    .action(async (specPath: string | undefined, flags: DataConstrainedFlags) => {
      const spec = loadAnySpec(specPath, flags.preset, { presets: STUDY_PRESETS, names: STUDY_PRESET_NAMES, fromValue: studySpec, fromText: parseStudySpec });
      if (flags.out === undefined) throw new UsageError('--out is required: the directory that holds (or will hold) runs.sqlite');
      const shard = resolveShard(flags.shard);
      const store = openStore(flags.out);
      let summary: StudySummary;
      try {
        summary = await runInTerminal('study', 'the cells in flight are saving checkpoints', (signal, onEvent) =>
          runStudy(spec, store, {
            ...(flags.workers !== undefined && { workers: flags.workers }),
            backend: flags.backend,
            ...(shard && { shard }),
            retryFailed: flags.retryFailed === true,
            checkpointRoot: join(flags.out!, 'checkpoints'),
            signal,
            onEvent,
          }),
        );
      } finally {
        store.close();
      }
      const where = storeFile(flags.out);
      if (flags.json) printJson({ ...summary, store: where, ...(shard && { shard: `${shard.index}/${shard.count}` }) });
      else {
        printLines([
          `study ${spec.name ?? '(unnamed)'}: ${summary.status}`,
          ...table(['cells', 'already done', 'done now', 'failed', 'recovered', 'wall s'], [[summary.total, summary.skipped, summary.done, summary.failed, summary.recovered, Math.round(summary.wallSeconds)]]),
          `store: ${where}`,
          summary.status === 'interrupted' ? 'run the same command again to resume' : `report: depthlab report ${flags.out}`,
        ]);
      }
      if (summary.status === 'interrupted') process.exitCode = 130;
      else if (summary.failed > 0) process.exitCode = 1;
    });
}
