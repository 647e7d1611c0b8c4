/**
 * Hand-built StudyData for the analysis and report tests: done cells with a
 * given held-out curve, and cells in other states. Configs go through
 * studyCellConfig, so defaults (and fields added later) are filled in as in
 * a real store.
 */
import type { TrainStatus } from '../../../../models/training/index.js';
import { studyCellConfig, studyCellHash, type StudyCellConfigInput } from '../../cell/StudyCellConfig.js';
import type { StudyCellResult, StudyEvaluation } from '../../cell/runStudyCell.js';
import type { StudyCellRecord, StudyData } from '../../../store/StudyCellRecord.js';
import { dataConstrainedLoss, type DataConstrainedParams } from '../dataConstrainedLoss.js';

export interface CurvePoint {
  epoch: number;
  bits: number;
  /** Default 6·params·epoch·tokensPerEpoch. */
  flops?: number;
}

export interface CellOptions {
  params?: number;
  /** W·C; default U. */
  tokensPerEpoch?: number;
  status?: TrainStatus;
}

const VERSIONS = { depthlab: '0.1.0', tfjs: '4.22.0', node: 'v20.19.0' };

export function doneCell(input: StudyCellConfigInput, points: readonly CurvePoint[], options: CellOptions = {}): StudyCellRecord {
  const config = studyCellConfig(input);
  const id = studyCellHash(config);
  const params = options.params ?? 1000;
  const perEpoch = options.tokensPerEpoch ?? config.uniqueTokens;
  const curve: StudyEvaluation[] = points.map((p) => ({
    // Steps are a function of the epoch only, as the plan makes them the same in every seed.
    step: Math.round(p.epoch * 1000),
    epoch: p.epoch,
    tokens: p.epoch * perEpoch,
    flops: p.flops ?? 6 * params * p.epoch * perEpoch,
    bits_per_token: p.bits,
    standard_error: 0,
    train_bits_per_token: p.bits - 0.1,
    train_loss_bits: p.bits - 0.1,
  }));
  const best = curve.reduce((a, b) => (b.bits_per_token < a.bits_per_token ? b : a), curve[0]!);
  const last = curve[curve.length - 1]!;
  const result: StudyCellResult = {
    id, config, backend: 'cpu', backend_reason: 'test', params, vocab_size: 64, unique_tokens: config.uniqueTokens, epochs: config.epochs,
    train_windows: 10, held_out_windows: 10, tokens_per_epoch: perEpoch, held_out_tokens_scored: 640, status: options.status ?? 'completed',
    steps: last.step, train_tokens: last.tokens, flops: last.flops, flops_estimate: '6ND', train_loss_first_bits: 6, train_loss_last_bits: last.train_loss_bits,
    curve, best_bits_per_token: best.bits_per_token, best_epoch: best.epoch, best_tokens: best.tokens, best_flops: best.flops,
    train_tokens_per_s: 1000, train_seconds: 1, eval_seconds: 0.5, data_seconds: 0.1,
  };
  return { id, config, status: 'done', attempts: 1, startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:02.000Z', result, versions: VERSIONS, error: null };
}

export function otherCell(input: StudyCellConfigInput, status: 'pending' | 'running' | 'failed', error = 'boom: out of memory'): StudyCellRecord {
  const config = studyCellConfig(input);
  return {
    id: studyCellHash(config), config, status, attempts: status === 'pending' ? 0 : 1, startedAt: status === 'pending' ? null : '2025-01-01T00:00:00.000Z',
    finishedAt: status === 'failed' ? '2025-01-01T00:00:01.000Z' : null, result: null, versions: status === 'pending' ? null : VERSIONS, error: status === 'failed' ? error : null,
  };
}

export function studyData(records: StudyCellRecord[], spec: unknown = null): StudyData {
  return { spec, records };
}

/** The loss model at any epoch: for e < 1, L∞ + B/(U·e)^β (no repeats yet); else dataConstrainedLoss. */
export function modelLoss(params: DataConstrainedParams, uniqueTokens: number, epoch: number): number {
  return epoch >= 1 ? dataConstrainedLoss(params, uniqueTokens, epoch) : params.lInf + params.b * (uniqueTokens * epoch) ** -params.beta;
}

/**
 * One series' cells: every (U, E) with evaluations at E/4, E/2 and E of
 * `loss(U, epoch)`, seeds offset by ±delta (so the seed mean is the loss itself).
 */
export function seriesCells(
  base: Omit<StudyCellConfigInput, 'uniqueTokens' | 'epochs' | 'seed'>,
  budgets: readonly number[],
  epochs: readonly number[],
  loss: (uniqueTokens: number, epoch: number) => number,
  seeds: readonly number[] = [0, 1],
  delta = 0.001,
): StudyCellRecord[] {
  return budgets.flatMap((u) =>
    epochs.flatMap((e) =>
      seeds.map((seed, k) => {
        const offset = seeds.length === 1 ? 0 : k % 2 === 0 ? delta : -delta;
        const points = [e / 4, e / 2, e].map((epoch) => ({ epoch, bits: loss(u, epoch) + offset }));
        return doneCell({ ...base, uniqueTokens: u, epochs: e, seed } as StudyCellConfigInput, points);
      }),
    ),
  );
}
