/**
 * `depthlab train` — one probe cell: trains one model kind on one task at one
 * depth and prints its learning-curve summary and final metrics (with
 * --json, one object: the CellResult). Same flags, seed and backend → the
 * same numbers, except the wall-clock fields.
 */
import type { Command } from 'commander';
import { BACKEND_PREFERENCES, BackendUnavailableError } from '../models/backend/index.js';
import type { BackendPreference } from '../models/backend/index.js';
import { CellConfigError, MODEL_KINDS, resolveCell, runCell } from '../probes/cell/index.js';
import type { CellConfigInput, CellResult, ModelKind } from '../probes/cell/index.js';
import { log, printJson, printLines, table } from './_internals/output.js';
import { choiceFlag, integerFlag, numberFlag } from './_internals/parse.js';
import { progress } from './_internals/progress.js';
import { UsageError } from './_internals/UsageError.js';

interface TrainFlags {
  family?: string;
  group?: string;
  depth?: number;
  model: ModelKind;
  layers?: number;
  dModel?: number;
  heads?: number;
  loops?: number;
  denoisingSteps?: number;
  unmaskOrder?: 'confidence' | 'random';
  diffusionTarget?: 'answer' | 'cot';
  steps?: number;
  tokens?: number;
  positional?: 'learned' | 'rope';
  evalDepths?: number[];
  batchSize?: number;
  lr?: number;
  warmup?: number;
  weightDecay?: number;
  nTrain?: number;
  nTest?: number;
  evalEvery?: number;
  earlyStop?: number;
  seed?: number;
  backend: BackendPreference;
  json?: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train one model kind on one task at one depth (one probe cell) and report its metrics')
    .option('--family <task>', 'task family id, e.g. s5, parity, formula (see `depthlab tasks list`)')
    .option('--group <G>', "group of the 'word' task, e.g. S4, A5, Z6")
    .option('--depth <d>', 'task depth (see the task for its meaning)', integerFlag('--depth', 0))
    .option('--model <kind>', `model kind: ${MODEL_KINDS.join(', ')}`, choiceFlag('--model', MODEL_KINDS), 'ar')
    .option('--layers <L>', 'transformer blocks (distinct blocks for looped; LSTM layers for lstm) [2]', integerFlag('--layers', 1, 64))
    .option('--d-model <W>', 'model width [64]', integerFlag('--d-model', 1, 4096))
    .option('--heads <H>', 'attention heads [4]', integerFlag('--heads', 1, 64))
    .option('--loops <R>', 'looped: times the blocks are applied [4]', integerFlag('--loops', 1, 256))
    .option('--denoising-steps <S>', 'diffusion: denoising steps [one per generated position]', integerFlag('--denoising-steps', 1, 1 << 16))
    .option('--unmask-order <o>', 'diffusion: confidence or random [confidence]', choiceFlag('--unmask-order', ['confidence', 'random'] as const))
    .option('--diffusion-target <t>', 'diffusion: generate the answer, or trace + answer (cot) [answer]', choiceFlag('--diffusion-target', ['answer', 'cot'] as const))
    .option('--positional <p>', 'learned or rope positions [learned]', choiceFlag('--positional', ['learned', 'rope'] as const))
    .option('--eval-depths <list>', 'also score at these depths after training (depth generalisation), e.g. 12,16', depthList)
    .option('--steps <n>', 'training steps [400]', integerFlag('--steps', 1, 10_000_000))
    .option('--tokens <n>', 'a token budget instead of --steps', integerFlag('--tokens', 1))
    .option('--batch-size <n>', 'examples per step [32]', integerFlag('--batch-size', 1, 65_536))
    .option('--lr <x>', 'peak learning rate [1e-3]', numberFlag('--lr', 1e-8, 1))
    .option('--warmup <n>', 'warm-up steps [5% of steps]', integerFlag('--warmup', 0))
    .option('--weight-decay <x>', 'AdamW decay (0: Adam) [0]', numberFlag('--weight-decay', 0, 1))
    .option('--n-train <n>', 'distinct training examples [2000, or all the depth has]', integerFlag('--n-train', 1))
    .option('--n-test <n>', 'distinct test examples [200, or all the depth has]', integerFlag('--n-test', 1))
    .option('--eval-every <n>', 'validate on held-out train examples every n steps (0: never) [0]', integerFlag('--eval-every', 0))
    .option('--early-stop <acc>', 'stop once validation answer accuracy reaches this (needs --eval-every)', numberFlag('--early-stop', 0, 1))
    .option('--seed <s>', 'seed of data, initialisation and sampling [0]', integerFlag('--seed', 0, 2 ** 31 - 1))
    .option('--backend <b>', `tfjs backend: ${BACKEND_PREFERENCES.join(', ')}`, choiceFlag('--backend', BACKEND_PREFERENCES), 'auto')
    .option('--json', 'print one JSON document')
    .action(async (flags: TrainFlags) => {
      if (flags.family === undefined) throw new UsageError('--family is required, e.g. --family s5 (see `depthlab tasks list`)');
      if (flags.depth === undefined) throw new UsageError('--depth is required, e.g. --depth 8');
      const input = cellInput(flags);
      let result: CellResult;
      try {
        const { config } = resolveCell(input);
        const bar = progress(`train ${config.model} on ${config.task} depth ${config.depth}`, config.steps);
        result = await runCell(input, { backend: flags.backend, onStep: (record) => bar.update(record.step) });
        bar.stop();
      } catch (error) {
        if (error instanceof CellConfigError) throw new UsageError(`${flagOf(error.field)}: ${error.message}`);
        if (error instanceof BackendUnavailableError) throw new UsageError(error.message);
        throw error;
      }
      log(`backend: ${result.backend_reason}`);
      if (result.status === 'diverged') log(`training diverged at ${result.divergence}; metrics are of the last finite weights`);
      if (flags.json) return printJson(result);
      printLines(report(result));
    });
}

function cellInput(f: TrainFlags): CellConfigInput {
  const optional = {
    group: f.group,
    layers: f.layers,
    dModel: f.dModel,
    heads: f.heads,
    loops: f.loops,
    denoisingSteps: f.denoisingSteps,
    unmaskOrder: f.unmaskOrder,
    diffusionTarget: f.diffusionTarget,
    steps: f.steps,
    tokens: f.tokens,
    positional: f.positional,
    evalDepths: f.evalDepths,
    batchSize: f.batchSize,
    lr: f.lr,
    warmupSteps: f.warmup,
    weightDecay: f.weightDecay,
    nTrain: f.nTrain,
    nTest: f.nTest,
    evalEvery: f.evalEvery,
    earlyStop: f.earlyStop,
    seed: f.seed,
  };
  const given = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { task: f.family!, depth: f.depth!, model: f.model, ...given };
}

function depthList(raw: string): number[] {
  const parse = integerFlag('--eval-depths', 0);
  return raw.split(',').map((x) => parse(x));
}

/** The flag that sets a config field (for error messages). */
function flagOf(field: string): string {
  const named: Record<string, string> = { task: '--family', warmupSteps: '--warmup' };
  return named[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function report(r: CellResult): string[] {
  const c = r.config;
  const picks = [...new Set([0, 1, 2, 4, 8].map((k) => Math.min(r.curve.length - 1, Math.round((k / 8) * (r.curve.length - 1)))))];
  const curve = picks.flatMap((i) => (r.curve[i] ? [r.curve[i]!] : []));
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
  return [
    `${c.model} on ${r.task.id} (${r.task.class}) at depth ${c.depth} — ${r.task.depth_meaning}`,
    `${r.params} parameters, ${r.n_train} train / ${r.n_val} validation / ${r.n_test} test examples of ${r.sequence_length} tokens, backend ${r.backend}`,
    '',
    ...(r.curve.some((s) => s.metric !== undefined)
      ? table(['step', 'loss', 'lr', 'validation'], curve.map((s) => [s.step, fmt(s.loss), s.lr.toExponential(2), s.metric === undefined ? '' : fmt(s.metric)]))
      : table(['step', 'loss', 'lr'], curve.map((s) => [s.step, fmt(s.loss), s.lr.toExponential(2)]))),
    '',
    ...table(
      ['metric', 'value'],
      [
        ['status', r.status],
        ['steps', r.steps],
        ['loss_first', fmt(r.loss_first)],
        ['loss_last', fmt(r.loss_last)],
        ['token_accuracy', fmt(r.token_accuracy)],
        ['answer_accuracy', fmt(r.answer_accuracy)],
        ...Object.entries(r.details).map(([k, v]) => [k, fmt(v)] as [string, string]),
        ...r.generalization.flatMap((g) => [[`answer_accuracy at depth ${g.depth}`, fmt(g.answer_accuracy)] as [string, string]]),
        ['train_tokens_per_s', Math.round(r.train_tokens_per_s)],
        ['train_seconds', r.train_seconds.toFixed(1)],
        ['eval_seconds', r.eval_seconds.toFixed(1)],
      ],
    ),
  ];
}
