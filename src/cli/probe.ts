/**
 * `depthlab probe SPEC --out DIR` (or `--preset NAME`) — runs a probe's cells
 * into DIR/runs.sqlite on a pool of worker processes, resumably; and
 * `depthlab merge --out DIR SRC...` — combines run stores (e.g. of shards).
 * Ctrl-C stops the sweep — the cells in flight checkpoint under
 * DIR/checkpoints and resume from there next time — and exits 130.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { ProbeSummary } from '../probes/run/index.js';
import { PRESET_NAMES } from '../probes/spec/index.js';
import { mergeStores, RunStoreError } from '../probes/store/index.js';
import { printJson, printLines, table } from './_internals/output.js';
import { loadSpec, openStore, printRunSummary, resolveShard, runProbeInTerminal, withRunOptions, type RunFlags } from './_internals/probeRunner.js';
import { UsageError } from './_internals/UsageError.js';

export function registerProbeCommands(program: Command): void {
  withRunOptions(
    program
      .command('probe')
      .description('run a probe: train every cell of a spec (JSON file) or preset into DIR/runs.sqlite; re-running resumes')
      .argument('[spec]', 'probe spec, a JSON or YAML file (see docs/probes.md)')
      .option('--preset <name>', `a named probe instead of a spec file: ${PRESET_NAMES.join(', ')}`),
  ).action(async (specPath: string | undefined, flags: RunFlags) => {
    const spec = loadSpec(specPath, flags.preset);
    if (flags.out === undefined) throw new UsageError('--out is required: the directory that holds (or will hold) runs.sqlite');
    const shard = resolveShard(flags.shard);
    const store = openStore(flags.out);
    let summary: ProbeSummary;
    try {
      summary = await runProbeInTerminal(spec, store, {
        ...(flags.workers !== undefined && { workers: flags.workers }),
        backend: flags.backend,
        ...(shard && { shard }),
        retryFailed: flags.retryFailed === true,
        checkpointRoot: join(flags.out, 'checkpoints'),
      });
    } finally {
      store.close();
    }
    printRunSummary('probe', spec.name, summary, flags.out, shard, flags.json === true);
  });

  program
    .command('merge')
    .description('combine run stores (e.g. the shards of one probe) into --out')
    .argument('<sources...>', 'run directories or .sqlite files to merge')
    .option('--out <dir>', 'the run directory to merge into (created if missing)')
    .option('--json', 'print the counts as one JSON document')
    .action((sources: string[], flags: { out?: string; json?: boolean }) => {
      if (flags.out === undefined) throw new UsageError('--out is required: the run directory to merge into');
      let counts;
      try {
        openStore(flags.out).close(); // creates the target store if missing
        counts = mergeStores(flags.out, sources);
      } catch (error) {
        if (error instanceof RunStoreError) throw new UsageError(error.message);
        throw error;
      }
      if (flags.json) return printJson(counts);
      printLines([
        ...table(['merged', 'skipped', 'cells added', 'replaced', 'kept', 'conflicts', 'specs'], [[counts.merged, counts.skipped.length, counts.added, counts.replaced, counts.kept, counts.conflicts.length, counts.specs]]),
        ...(counts.conflicts.length > 0 ? [`conflicting results (first kept): ${counts.conflicts.join(', ')}`] : []),
      ]);
    });
}
