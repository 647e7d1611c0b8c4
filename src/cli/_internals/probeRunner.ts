/**
 * What `depthlab probe` and `depthlab demo` share: reading a spec or preset,
 * opening the run store, the shard, and running a probe in a terminal —
 * progress on stderr, Ctrl-C stops the sweep (a second one leaves at once).
 * Input problems become one-line UsageErrors.
 */
import { readFileSync } from 'node:fs';
import { runProbe, type ProbeSummary, type RunProbeOptions } from '../../probes/run/index.js';
import { parseProbeSpec, PRESET_NAMES, PRESETS, probeSpec, ProbeSpecError, parseShard, shardFromEnvironment, ShardError } from '../../probes/spec/index.js';
import type { ProbeSpec, Shard } from '../../probes/spec/index.js';
import { RunStore, RunStoreError, storeFile } from '../../probes/store/index.js';
import { log } from './output.js';
import { probeProgress } from './probeProgress.js';
import { UsageError } from './UsageError.js';

/** Runs the probe with progress on stderr; Ctrl-C aborts it (status 'interrupted'). */
export async function runProbeInTerminal(spec: ProbeSpec, store: RunStore, options: Omit<RunProbeOptions, 'signal' | 'onEvent'>): Promise<ProbeSummary> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: leave now
    log('probe: interrupted; the cells in flight are saving checkpoints (Ctrl-C again to leave now)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = probeProgress();
  try {
    return await runProbe(spec, store, { ...options, signal: controller.signal, onEvent: (e) => progress.onEvent(e) });
  } catch (error) {
    if (error instanceof ProbeSpecError) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
}

export function loadSpec(path: string | undefined, preset: string | undefined): ProbeSpec {
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
