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
import { runStudy, type StudySummary } from '../probes/run/index.js';
import { parseStudySpec, STUDY_PRESET_NAMES, STUDY_PRESETS, studySpec } from '../probes/study/spec/index.js';
import { loadAnySpec, openStore, printRunSummary, resolveShard, runInTerminal, withRunOptions, type RunFlags } from './_internals/probeRunner.js';
import { UsageError } from './_internals/UsageError.js';

export function registerDataConstrainedCommand(study: Command): void {
  withRunOptions(
    study
      .command('data-constrained')
      .description('run a data-constrained study: AR vs masked diffusion over unique-token budgets U and epochs E, into DIR/runs.sqlite; re-running resumes')
      .argument('[spec]', 'study spec, a JSON or YAML file (see docs/study.md)')
      .option('--preset <name>', `a named study instead of a spec file: ${STUDY_PRESET_NAMES.join(', ')}`),
  ).action(async (specPath: string | undefined, flags: RunFlags) => {
    const spec = loadAnySpec(specPath, flags.preset, { presets: STUDY_PRESETS, names: STUDY_PRESET_NAMES, fromValue: studySpec, fromText: parseStudySpec });
    const out = flags.out;
    if (out === undefined) throw new UsageError('--out is required: the directory that holds (or will hold) runs.sqlite');
    const shard = resolveShard(flags.shard);
    const store = openStore(out);
    let summary: StudySummary;
    try {
      summary = await runInTerminal('study', 'the cells in flight are saving checkpoints', (signal, onEvent) =>
        runStudy(spec, store, {
          ...(flags.workers !== undefined && { workers: flags.workers }),
          backend: flags.backend,
          ...(shard && { shard }),
          retryFailed: flags.retryFailed === true,
          checkpointRoot: join(out, 'checkpoints'),
          signal,
          onEvent,
        }),
      );
    } finally {
      store.close();
    }
    printRunSummary('study', spec.name, summary, out, shard, flags.json === true);
  });
}
