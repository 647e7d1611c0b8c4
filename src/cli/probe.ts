/**
 * `depthlab probe SPEC --out DIR` (or `--preset NAME`) — runs a probe's cells
 * into DIR/runs.sqlite on a pool of worker processes, resumably; and
 * `depthlab merge --out DIR SRC...` — combines run stores (e.g. of shards).
 * Ctrl-C stops the sweep (cells in flight rerun next time) and exits 130.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BACKEND_PREFERENCES } from '../models/backend/index.js';
import type { BackendPreference } from '../models/backend/index.js';
import { runProbe, type ProbeSummary } from '../probes/run/index.js';
import { parseProbeSpec, PRESET_NAMES, PRESETS, probeSpec, ProbeSpecError, parseShard, shardFromEnvironment, ShardError } from '../probes/spec/index.js';
import type { ProbeSpec, Shard } from '../probes/spec/index.js';
import { mergeStores, RunStore, RunStoreError, storeFile } from '../probes/store/index.js';
import { log, printJson, printLines, table } from './_internals/output.js';
import { choiceFlag, integerFlag } from './_internals/parse.js';
import { probeProgress } from './_internals/probeProgress.js';
import { UsageError } from './_internals/UsageError.js';

interface ProbeFlags {
  out?: string;
  preset?: string;
  workers?: number;
  backend: BackendPreference;
  shard?: string;
  retryFailed?: boolean;
  json?: boolean;
}

export function registerProbeCommands(program: Command): void {
  program
    .command('probe')
    .description('run a probe: train every cell of a spec (JSON file) or preset into DIR/runs.sqlite; re-running resumes')
    .argument('[spec]', 'probe spec, a JSON file (see docs/probes.md)')
    .option('--preset <name>', `a named probe instead of a spec file: ${PRESET_NAMES.join(', ')}`)
    .option('--out <dir>', 'the run directory (holds runs.sqlite)')
    .option('--workers <n>', 'worker processes [one per core]', integerFlag('--workers', 1, 256))
    .option('--backend <b>', `tfjs backend of every cell: ${BACKEND_PREFERENCES.join(', ')}`, choiceFlag('--backend', BACKEND_PREFERENCES), 'auto')
    .option('--shard <i/N>', 'run only shard i of N (default: from SLURM_ARRAY_TASK_ID/COUNT, else all)')
    .option('--retry-failed', 'run failed cells again')
    .option('--json', 'print the summary as one JSON document')
    .action(async (specPath: string | undefined, flags: ProbeFlags) => {
      const spec = loadSpec(specPath, flags.preset);
      if (flags.out === undefined) throw new UsageError('--out is required: the directory that holds (or will hold) runs.sqlite');
      const shard = resolveShard(flags.shard);
      const store = openStore(flags.out);
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: leave now
        log('probe: interrupted; stopping workers (cells in flight will rerun next time)');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      const progress = probeProgress();
      let summary: ProbeSummary;
      try {
        summary = await runProbe(spec, store, {
          ...(flags.workers !== undefined && { workers: flags.workers }),
          backend: flags.backend,
          ...(shard && { shard }),
          retryFailed: flags.retryFailed === true,
          signal: controller.signal,
          onEvent: (e) => progress.onEvent(e),
        });
      } catch (error) {
        if (error instanceof ProbeSpecError) throw new UsageError(error.message);
        throw error;
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
        store.close();
      }
      const where = storeFile(flags.out);
      if (flags.json) printJson({ ...summary, store: where, ...(shard && { shard: `${shard.index}/${shard.count}` }) });
      else {
        printLines([
          `probe ${spec.name ?? '(unnamed)'}: ${summary.status}`,
          ...table(['cells', 'already done', 'done now', 'failed', 'recovered', 'wall s'], [[summary.total, summary.skipped, summary.done, summary.failed, summary.recovered, Math.round(summary.wallSeconds)]]),
          `store: ${where}`,
          summary.status === 'interrupted' ? `run the same command again to resume` : `report: depthlab report ${flags.out}`,
        ]);
      }
      if (summary.status === 'interrupted') process.exitCode = 130;
      else if (summary.failed > 0) process.exitCode = 1;
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

function loadSpec(path: string | undefined, preset: string | undefined): ProbeSpec {
  if ((path === undefined) === (preset === undefined)) {
    throw new UsageError(`give a spec file or --preset NAME (one of ${PRESET_NAMES.join(', ')}), not ${path === undefined ? 'neither' : 'both'}`);
  }
  try {
    if (preset !== undefined) {
      const input = PRESETS[preset];
      if (input === undefined) throw new UsageError(`--preset ${JSON.stringify(preset)}: unknown; choose one of ${PRESET_NAMES.join(', ')}`);
      return probeSpec(input, `preset ${preset}`);
    }
    let text: string;
    try {
      text = readFileSync(path!, 'utf8');
    } catch (error) {
      throw new UsageError(`${path}: cannot read the spec (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`);
    }
    return parseProbeSpec(text, path);
  } catch (error) {
    if (error instanceof ProbeSpecError) throw new UsageError(error.message);
    throw error;
  }
}

function resolveShard(text: string | undefined): Shard | undefined {
  try {
    return text === undefined ? shardFromEnvironment() : parseShard(text);
  } catch (error) {
    if (error instanceof ShardError) throw new UsageError(error.message);
    throw error;
  }
}

function openStore(dir: string): RunStore {
  try {
    return RunStore.open(storeFile(dir));
  } catch (error) {
    if (error instanceof RunStoreError) throw new UsageError(error.message);
    throw error;
  }
}
