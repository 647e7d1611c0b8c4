/**
 * `depthlab study run` — one run of the data-constrained study (issue 7): a
 * model kind trained on U unique tokens of the Brown corpus (or, with
 * --corpus task, of a task's examples at one depth) for E epochs, with
 * held-out bits per token measured along the way (AR: exact NLL;
 * diffusion: the MDLM bound on the same tokens). With --json, one object
 * (the StudyCellResult). `depthlab study data-constrained` runs a whole
 * study (studyDataConstrained.ts).
 */
import type { Command } from 'commander';
import { BACKEND_PREFERENCES, BackendUnavailableError, type BackendPreference } from '../models/backend/index.js';
import { STUDY_CORPORA, STUDY_MODEL_KINDS, StudyCellConfigError, runStudyCell, studyCellConfig } from '../probes/study/cell/index.js';
import type { StudyCellConfigInput } from '../probes/study/cell/index.js';
import { StudyCorpusError, TASK_FORMATS, type TaskFormat } from '../probes/study/corpus/index.js';
import { log, printJson, printLines, table } from './_internals/output.js';
import { choiceFlag, integerFlag, numberFlag } from './_internals/parse.js';
import { progress } from './_internals/progress.js';
import { UsageError } from './_internals/UsageError.js';
import { registerDataConstrainedCommand } from './studyDataConstrained.js';

interface StudyRunFlags {
  model: (typeof STUDY_MODEL_KINDS)[number];
  uniqueTokens?: number;
  epochs?: number;
  corpus: (typeof STUDY_CORPORA)[number];
  bpeVocab?: number;
  task?: string;
  taskGroup?: string;
  taskDepth?: number;
  taskFormat?: TaskFormat;
  heldOutTokens?: number;
  orders?: number;
  layers?: number;
  dModel?: number;
  heads?: number;
  context?: number;
  batchSize?: number;
  lr?: number;
  dropout?: number;
  attentionDropout?: number;
  evalPoints?: number;
  seed?: number;
  backend: BackendPreference;
  json?: boolean;
}

export function registerStudyCommands(program: Command): void {
  const study = program.command('study').description('the data-constrained study: AR vs masked diffusion under repeated data');
  registerDataConstrainedCommand(study);
  study
    .command('run')
    .description('train one model kind on U unique tokens for E epochs; held-out bits per token along the way')
    .option('--model <kind>', `model kind: ${STUDY_MODEL_KINDS.join(', ')}`, choiceFlag('--model', STUDY_MODEL_KINDS), 'ar')
    .option('--unique-tokens <U>', 'unique training tokens U', integerFlag('--unique-tokens', 1))
    .option('--epochs <E>', 'passes over the U tokens', integerFlag('--epochs', 1))
    .option('--corpus <c>', `${STUDY_CORPORA.join(' or ')}`, choiceFlag('--corpus', STUDY_CORPORA), 'brown-char')
    .option('--bpe-vocab <n>', 'BPE vocabulary size (brown-bpe) [1024]', integerFlag('--bpe-vocab', 8, 65_536))
    .option('--task <id>', 'corpus task: the task id (see depthlab tasks list)')
    .option('--task-depth <n>', "corpus task: the task's depth", integerFlag('--task-depth', 0))
    .option('--task-group <G>', "corpus task, task word: the group, e.g. S4")
    .option('--task-format <f>', `corpus task: ${TASK_FORMATS.join(' or ')} (cot writes the trace) [cot]`, choiceFlag('--task-format', TASK_FORMATS))
    .option('--held-out-tokens <n>', 'held-out tokens, the same for every U [20000]', integerFlag('--held-out-tokens', 2))
    .option('--orders <N>', 'ar-orders: fixed token orders [1]', integerFlag('--orders', 1, 4096))
    .option('--layers <L>', 'transformer blocks [2]', integerFlag('--layers', 1, 64))
    .option('--d-model <W>', 'model width [64]', integerFlag('--d-model', 1, 4096))
    .option('--heads <H>', 'attention heads [4]', integerFlag('--heads', 1, 64))
    .option('--context <C>', 'tokens scored per window [64]', integerFlag('--context', 2, 8192))
    .option('--batch-size <B>', 'windows per step [32]', integerFlag('--batch-size', 1, 65_536))
    .option('--lr <x>', 'peak learning rate [1e-3]', numberFlag('--lr', 1e-8, 1))
    .option('--dropout <p>', 'dropout rate: embeddings, residual branches and attention [0]', numberFlag('--dropout', 0, 0.99))
    .option('--attention-dropout <p>', 'dropout on the attention probabilities only [0]', numberFlag('--attention-dropout', 0, 0.99))
    .option('--eval-points <K>', 'held-out evaluations, log-spaced in epochs [8]', integerFlag('--eval-points', 1, 1000))
    .option('--seed <s>', 'seed [0]', integerFlag('--seed', 0, 2 ** 31 - 1))
    .option('--backend <b>', `tfjs backend: ${BACKEND_PREFERENCES.join(', ')}`, choiceFlag('--backend', BACKEND_PREFERENCES), 'auto')
    .option('--json', 'print one JSON document')
    .action(async (f: StudyRunFlags) => {
      if (f.uniqueTokens === undefined) throw new UsageError('--unique-tokens is required, e.g. --unique-tokens 20000');
      if (f.epochs === undefined) throw new UsageError('--epochs is required, e.g. --epochs 16');
      checkTaskFlags(f);
      const optional = {
        bpeVocabSize: f.bpeVocab,
        task: f.task,
        group: f.taskGroup,
        taskDepth: f.taskDepth,
        taskFormat: f.taskFormat,
        heldOutTokens: f.heldOutTokens,
        orders: f.orders,
        layers: f.layers,
        dModel: f.dModel,
        heads: f.heads,
        contextLength: f.context,
        batchSize: f.batchSize,
        lr: f.lr,
        dropout: f.dropout,
        attentionDropout: f.attentionDropout,
        evalPoints: f.evalPoints,
        seed: f.seed,
      };
      const input: StudyCellConfigInput = {
        model: f.model,
        corpus: f.corpus,
        uniqueTokens: f.uniqueTokens,
        epochs: f.epochs,
        ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
      };
      let result;
      let corpus: string = f.corpus;
      try {
        const config = studyCellConfig(input);
        if (config.corpus === 'task') corpus = `${config.task}${config.group === undefined ? '' : ` ${config.group}`} at depth ${config.taskDepth} (${config.taskFormat})`;
        let bar: ReturnType<typeof progress> | undefined;
        result = await runStudyCell(input, {
          backend: f.backend,
          onStep: (record: { step: number }, total: number) => {
            bar ??= progress(`study ${f.model} U=${f.uniqueTokens} E=${f.epochs}`, total);
            bar.update(record.step);
          },
        });
        bar?.stop();
      } catch (error) {
        if (error instanceof StudyCellConfigError || error instanceof StudyCorpusError || error instanceof BackendUnavailableError) {
          throw new UsageError(error.message);
        }
        throw error;
      }
      log(`backend: ${result.backend_reason}`);
      if (f.json) return printJson(result);
      const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
      printLines([
        `${f.model} on ${corpus}: U = ${result.unique_tokens} unique tokens, ${result.epochs} epochs, ${result.params} parameters, backend ${result.backend}`,
        '',
        ...table(
          ['epoch', 'tokens', 'FLOPs (6ND)', 'held-out bits/token', 'train bits/token'],
          result.curve.map((e) => [fmt(e.epoch), e.tokens, e.flops.toExponential(2), fmt(e.bits_per_token), fmt(e.train_bits_per_token)]),
        ),
        '',
        `best held-out ${fmt(result.best_bits_per_token)} bits/token at epoch ${fmt(result.best_epoch)}; ${Math.round(result.train_tokens_per_s)} training tokens/s`,
      ]);
    });
}

/** The task flags go with --corpus task, and --corpus task needs --task and --task-depth. */
function checkTaskFlags(f: StudyRunFlags): void {
  const given: [string, unknown][] = [['--task', f.task], ['--task-depth', f.taskDepth], ['--task-group', f.taskGroup], ['--task-format', f.taskFormat]];
  if (f.corpus !== 'task') {
    const stray = given.find(([, v]) => v !== undefined);
    if (stray) throw new UsageError(`${stray[0]} only applies to --corpus task (got --corpus ${f.corpus}); drop it or add --corpus task`);
    return;
  }
  if (f.task === undefined) throw new UsageError('--corpus task needs --task, e.g. --task parity (see depthlab tasks list)');
  if (f.taskDepth === undefined) throw new UsageError('--corpus task needs --task-depth, e.g. --task-depth 12');
}
