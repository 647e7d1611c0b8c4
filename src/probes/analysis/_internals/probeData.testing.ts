/**
 * Test helpers: ProbeData built by hand. A done record carries the given
 * accuracies and plausible filler for the other metrics; curves are short
 * decreasing losses, deterministic per cell.
 */
import { cellConfig, cellHash, type CellConfigInput } from '../../cell/CellConfig.js';
import type { CellMetrics, CellRecord, CellStatus, ProbeData } from '../../store/CellRecord.js';
import type { StepRecord } from '../../../models/training/index.js';

export const VERSIONS = { depthlab: '0.1.0', tfjs: '4.22.0', node: 'v20.19.0' };

export function record(
  input: CellConfigInput,
  status: CellStatus,
  accuracy: { answer: number; token?: number } | null = null,
): CellRecord {
  const config = cellConfig(input);
  const id = cellHash(config);
  const done = status === 'done';
  return {
    id,
    config,
    status,
    attempts: status === 'pending' ? 0 : 1,
    startedAt: status === 'pending' ? null : '2025-01-01T00:00:00.000Z',
    finishedAt: done || status === 'failed' ? '2025-01-01T00:01:40.000Z' : null,
    metrics:
      done && accuracy !== null
        ? {
            backend: 'wasm',
            backend_reason: 'test',
            task: { id: config.task, class: 'NC1', depth_meaning: 'test depth', parameters: {} },
            params: 1000 * config.layers,
            vocab_size: 10,
            sequence_length: 16,
            n_train: 100,
            n_val: 0,
            n_test: 50,
            status: 'completed',
            steps: config.steps,
            train_tokens: 1600 * config.steps,
            loss_first: 2.3,
            loss_last: 0.1,
            token_accuracy: accuracy.token ?? accuracy.answer,
            answer_accuracy: accuracy.answer,
            baseline_answer_accuracy: 0.5,
            details: {},
            generalization: [],
            train_tokens_per_s: 5000,
            train_seconds: 3,
            eval_seconds: 0.5,
          } as CellMetrics
        : null,
    versions: done ? VERSIONS : null,
    error: status === 'failed' ? 'Error: out of memory | <boom> & "quoted"' : null,
  };
}

export function done(input: CellConfigInput, answer: number, token?: number): CellRecord {
  return record(input, 'done', { answer, ...(token !== undefined && { token }) });
}

export function probeData(records: CellRecord[], spec: unknown = null): ProbeData {
  const doneIds = new Set(records.filter((r) => r.status === 'done').map((r) => r.id));
  return {
    spec,
    records,
    curve(id: string): StepRecord[] {
      if (!doneIds.has(id)) return [];
      return Array.from({ length: 20 }, (_, i) => ({ step: i + 1, loss: 2.3 / (1 + i), gradNorm: 1, lr: 1e-3, tokens: 1600 * (i + 1) }));
    },
  };
}
