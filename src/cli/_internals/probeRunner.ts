/**
 * What `depthlab probe`, `depthlab study data-constrained` and `depthlab demo` share: reading a spec or preset,
 * opening the run store, the shard, and running a probe in a terminal —
 * progress on stderr, Ctrl-C stops the sweep (a second one leaves at once).
 * Input problems become one-line UsageErrors.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BACKEND_PREFERENCES, type BackendPreference } from '../../models/backend/index.js';
import { runProbe, type ProbeSummary, type RunEvent, type RunProbeOptions } from '../../probes/run/index.js';
import { parseProbeSpec, PRESET_NAMES, PRESETS, probeSpec, ProbeSpecError, parseShard, shardFromEnvironment, ShardError } from '../../probes/spec/index.js';
import type { ProbeSpec, Shard } from '../../probes/spec/index.js';
import { RunStore, RunStoreError, storeFile } from '../../probes/store/index.js';
import { log, printJson, printLines, table } from './output.js';
import { choiceFlag, integerFlag } from './parse.js';
import { probeProgress } from './probeProgress.js';
import { UsageError } from './UsageError.js';

/** Runs the probe with progress on stderr; Ctrl-C aborts it (status 'interrupted'). */
export function runProbeInTerminal(spec: ProbeSpec, store: RunStore, options: Omit<RunProbeOptions, 'signal' | 'onEvent'>): Promise<ProbeSummary> {
  return runInTerminal('probe', 'the cells in flight are saving checkpoints', (signal, onEvent) => runProbe(spec, store, { ...options, signal, onEvent }));
}

/**
 * Runs a probe or study (`run`) with progress on stderr; the first Ctrl-C
 * aborts it (`onStop` says what happens to the cells in flight), a second
 * leaves at once. Spec errors found while expanding become UsageErrors.
 */
export async function runInTerminal<S>(
  what: string,
  onStop: string,
  run: (signal: AbortSignal, onEvent: (event: RunEvent<unknown>) => void) => Promise<S>,
): Promise<S> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: leave now
    log(`${what}: interrupted; ${onStop} (Ctrl-C again to leave now)`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = probeProgress(what);
  try {
    return await run(controller.signal, (e) => progress.onEvent(e));
  } catch (error) {
    if (error instanceof ProbeSpecError) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
}

export function loadSpec(path: string | undefined, preset: string | undefined): ProbeSpec {
  return loadAnySpec(path, preset, { presets: PRESETS, names: PRESET_NAMES, fromValue: probeSpec, fromText: parseProbeSpec });
}

/** How to read one kind of spec (probe, study): its presets and its validators. */
export interface SpecReader<T> {
  presets: Readonly<Record<string, unknown>>;
  names: readonly string[];
  fromValue(value: unknown, source: string): T;
  fromText(text: string, source: string): T;
}

/** A spec file or a named preset (exactly one), validated; problems are one-line UsageErrors. */
export function loadAnySpec<T>(path: string | undefined, preset: string | undefined, reader: SpecReader<T>): T {
  const { presets, names } = reader;
  if ((path === undefined) === (preset === undefined)) {
    throw new UsageError(`give a spec file or --preset NAME (one of ${names.join(', ')}), not ${path === undefined ? 'neither' : 'both'}`);
  }
  try {
    if (preset !== undefined) {
      const input = presets[preset];
      if (input === undefined) throw new UsageError(`--preset ${JSON.stringify(preset)}: unknown; choose one of ${names.join(', ')}`);
      return reader.fromValue(input, `preset ${preset}`);
    }
    let text: string;
    try {
      text = readFileSync(path!, 'utf8');
    } catch (error) {
      throw new UsageError(`${path}: cannot read the spec (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`);
    }
    return reader.fromText(text, path!);
  } catch (error) {
    if (error instanceof ProbeSpecError) throw new UsageError(error.message);
    throw error;
  }
}

export function resolveShard(text: string | undefined): Shard | undefined {
  try {
    return text === undefined ? shardFromEnvironment() : parseShard(text);
  } catch (error) {
    if (error instanceof ShardError) throw new UsageError(error.message);
    throw error;
  }
}

export function openStore(dir: string): RunStore {
  try {
    return RunStore.open(storeFile(dir));
  } catch (error) {
    if (error instanceof RunStoreError) throw new UsageError(error.message);
    throw error;
  }
}

/** The flags `probe` and `study data-constrained` share. */
export interface RunFlags {
  out?: string;
  preset?: string;
  workers?: number;
  backend: BackendPreference;
  shard?: string;
  retryFailed?: boolean;
  json?: boolean;
}

/** Adds the shared run flags (RunFlags, after --preset) to a command. */
export function withRunOptions(command: Command): Command {
  return command
    .option('--out <dir>', 'the run directory (holds runs.sqlite)')
    .option('--workers <n>', 'worker processes [one per core]', integerFlag('--workers', 1, 256))
    .option('--backend <b>', `tfjs backend of every cell: ${BACKEND_PREFERENCES.join(', ')}`, choiceFlag('--backend', BACKEND_PREFERENCES), 'auto')
    .option('--shard <i/N>', 'run only shard i of N (default: from SLURM_ARRAY_TASK_ID/COUNT, else all)')
    .option('--retry-failed', 'run failed cells again')
    .option('--json', 'print the summary as one JSON document');
}

/** Prints a finished run (its JSON summary, or a table and what to do next) and sets the exit code: 130 interrupted, 1 with failed cells. */
export function printRunSummary(what: string, name: string | undefined, summary: ProbeSummary, out: string, shard: Shard | undefined, json: boolean): void {
  const where = storeFile(out);
  if (json) printJson({ ...summary, store: where, ...(shard && { shard: `${shard.index}/${shard.count}` }) });
  else {
    printLines([
      `${what} ${name ?? '(unnamed)'}: ${summary.status}`,
      ...table(['cells', 'already done', 'done now', 'failed', 'recovered', 'wall s'], [[summary.total, summary.skipped, summary.done, summary.failed, summary.recovered, Math.round(summary.wallSeconds)]]),
      `store: ${where}`,
      summary.status === 'interrupted' ? 'run the same command again to resume' : `report: depthlab report ${out}`,
    ]);
  }
  if (summary.status === 'interrupted') process.exitCode = 130;
  else if (summary.failed > 0) process.exitCode = 1;
}
