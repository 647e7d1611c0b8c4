/**
 * The training loop of src/models: generic over any model that exposes its
 * variables and a scalar loss of a batch, fed by a batch source.
 *
 * One step t (0-based) with gradient g_t = ∇L(θ_{t}), learning rate η_t from
 * the schedule (schedule.ts: linear warm-up, cosine decay to a floor):
 *
 *   Global-norm clipping (max norm c > 0):
 *     ‖g‖ = sqrt(Σ_v Σ_i g_{v,i}²);   g ← g · min(1, c / ‖g‖)
 *
 *   Adam (tfjs's AdamOptimizer; β1, β2, ε), bias-corrected:
 *     m_t = β1 m_{t−1} + (1 − β1) g,   v_t = β2 v_{t−1} + (1 − β2) g²
 *     m̂ = m_t / (1 − β1^{t+1}),        v̂ = v_t / (1 − β2^{t+1})
 *     θ ← θ − η_t · m̂ / (sqrt(v̂) + ε)
 *
 *   AdamW = Adam + decoupled weight decay λ, applied here explicitly to the
 *   variables after the Adam update of each step (not added to the gradient,
 *   so it never passes through m, v or the clipping):
 *     θ ← θ − η_t · λ · θ   (i.e. θ ← θ · (1 − η_t λ))
 *   on every variable the decay filter accepts (all by default).
 *
 * The learning rate of tfjs's optimizer is set before each update (its
 * `learningRate` field is read on every applyGradients call).
 *
 * Divergence: the loss and ‖g‖ are read back each step (one 2-element read);
 * if either is NaN or ±Inf the update is not applied and the run stops with
 * status 'diverged', naming the step and the quantity.
 *
 * Memory: each step runs in tf.tidy; the batch the source builds inside
 * `next()` is disposed with the step, gradients are disposed after the update,
 * so tf.memory().numTensors is flat across steps once the optimizer has
 * created its moments (first step). Tensors a source keeps across steps must
 * be created outside `next()` (or tf.keep'd) and disposed by their owner.
 *
 * This module is the trainer's entry point; beside the class it re-exports
 *   trainerTypes.ts                    TrainableModel, BatchSource, NamedTensor
 *   TrainerOptions.ts                  TrainerOptions, ScheduleOptions, EvaluationOptions, Budget
 *   TrainResult.ts                     StepRecord, StepOutcome, TrainResult, TrainStatus, Divergence, TrainerState
 *   clipByGlobalNorm.ts                clipByGlobalNorm (the clipping above, standalone)
 * and uses
 *   _internals/checkTrainerOptions.ts  the option checks and the resolved schedule
 *   _internals/adam.ts                 tfjs Adam: construction, learning rate, running products β^{t+1}
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../backend/tfRuntime.js';
import { freshAdam, readAdamAccumulators, setAdamLearningRate, writeAdamAccumulators } from './_internals/adam.js';
import { checkSchedule, checkTrainerOptions, resolveSchedule } from './_internals/checkTrainerOptions.js';
import { learningRate } from './schedule.js';
import type { BatchSource, NamedTensor, TrainableModel } from './trainerTypes.js';
import type { TrainerOptions } from './TrainerOptions.js';
import type { Divergence, StepOutcome, StepRecord, TrainerState, TrainResult, TrainStatus } from './TrainResult.js';

export { clipByGlobalNorm } from './clipByGlobalNorm.js';
export type { BatchSource, NamedTensor, TrainableModel } from './trainerTypes.js';
export type { Budget, EvaluationOptions, ScheduleOptions, TrainerOptions } from './TrainerOptions.js';
export type { Divergence, StepOutcome, StepRecord, TrainerState, TrainResult, TrainStatus } from './TrainResult.js';

export class Trainer<B> {
  readonly model: TrainableModel<B>;
  readonly source: BatchSource<B>;
  readonly options: Readonly<TrainerOptions<B>>;
  private opt: TF.AdamOptimizer;
  private readonly vars: TF.Variable[];
  private readonly decayMask: boolean[];
  private totalSteps: number | undefined;
  private steps = 0;
  private tokens = 0;
  private lossFirst = Number.NaN;
  private lossLast = Number.NaN;
  private history: StepRecord[] = [];

  /** Needs tfjs loaded (await selectBackend() first). */
  constructor(model: TrainableModel<B>, source: BatchSource<B>, options: TrainerOptions<B>) {
    this.model = model;
    this.source = source;
    this.options = options;
    this.vars = model.variables();
    checkTrainerOptions(options, this.vars.length);
    const budget = options.budget;
    const filter = options.decayFilter ?? (() => true);
    this.decayMask = this.vars.map((v, i) => filter(v, i));
    this.totalSteps = options.schedule.totalSteps ?? ('steps' in budget ? budget.steps : undefined);
    if (this.totalSteps !== undefined) checkSchedule(options.schedule, this.totalSteps);
    this.opt = freshAdam(options);
  }

  /** The tfjs Adam optimizer (its moments are the checkpointed optimizer state). */
  get optimizer(): TF.AdamOptimizer {
    return this.opt;
  }

  /** The trained variables, in the model's order. */
  variables(): TF.Variable[] {
    return this.vars;
  }

  /** A copy of the counters and history. */
  state(): TrainerState {
    return {
      steps: this.steps,
      tokens: this.tokens,
      lossFirst: this.lossFirst,
      lossLast: this.lossLast,
      history: this.history.map((r) => ({ ...r })),
    };
  }

  /** Sets the counters and history (used when resuming from a checkpoint). */
  restoreState(state: TrainerState): void {
    this.steps = state.steps;
    this.tokens = state.tokens;
    this.lossFirst = state.lossFirst;
    this.lossLast = state.lossLast;
    this.history = state.history.map((r) => ({ ...r }));
  }

  /**
   * Replaces the optimizer by a fresh one holding the given state (tfjs
   * `setWeights` order: the iteration count, then all first moments, then all
   * second moments). `accBeta` restores Adam's running products β1^{t+1},
   * β2^{t+1} bit for bit (setWeights recomputes them with pow, which can
   * differ in the last bit from the running product). The caller keeps
   * ownership of `weights` (they are copied).
   */
  async restoreOptimizer(weights: NamedTensor[], accBeta?: [number, number]): Promise<void> {
    this.opt.dispose();
    this.opt = freshAdam(this.options);
    await this.opt.setWeights(weights);
    if (accBeta) writeAdamAccumulators(this.opt, accBeta);
  }

  /** Adam's running products β1^{t+1}, β2^{t+1} (for checkpoints); undefined if tfjs hides them. */
  adamAccumulators(): [number, number] | undefined {
    return readAdamAccumulators(this.opt);
  }

  /**
   * One step: draw a batch, compute the loss and gradients, check them, clip,
   * apply Adam (and AdamW's decay). Under a token budget, a batch that would
   * exceed it is not trained on ('over-budget'). A diverged step is not applied.
   */
  step(): StepOutcome {
    const tf = tfNow();
    const index = this.steps;
    const budget = this.options.budget;
    let batchTokens = 0;
    let overBudget = false;
    const computed = tf.tidy(() => {
      const { batch, tokens } = this.source.next(index);
      batchTokens = tokens;
      if ('tokens' in budget && this.tokens + tokens > budget.tokens) {
        overBudget = true;
        return undefined;
      }
      const { value, grads } = tf.variableGrads(() => this.model.loss(batch), this.vars);
      const list = Object.values(grads);
      const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
      return { stats: tf.stack([value, norm]), grads };
    });
    if (overBudget || computed === undefined) return { kind: 'over-budget', batchTokens };

    const { stats, grads } = computed;
    const [loss = Number.NaN, gradNorm = Number.NaN] = stats.dataSync();
    stats.dispose();
    const bad: Divergence | undefined = !Number.isFinite(loss)
      ? { step: index + 1, quantity: 'loss', value: loss }
      : !Number.isFinite(gradNorm)
        ? { step: index + 1, quantity: 'gradient norm', value: gradNorm }
        : undefined;
    if (bad) {
      tf.dispose(grads);
      return { kind: 'diverged', divergence: bad };
    }

    if (this.totalSteps === undefined && 'tokens' in budget) {
      this.totalSteps = Math.max(1, Math.floor(budget.tokens / Math.max(1, batchTokens)));
      checkSchedule(this.options.schedule, this.totalSteps);
    }
    const lr = learningRate(index, resolveSchedule(this.options.schedule, this.totalSteps ?? 1));
    const clipNorm = this.options.clipNorm ?? 1;
    const scale = clipNorm > 0 && Number.isFinite(clipNorm) && gradNorm > clipNorm ? clipNorm / gradNorm : 1;

    // Array form keeps Adam's moments matched to variables by position; a
    // variable the loss does not reach has no gradient and Adam skips it.
    const named = this.vars.map((v) => {
      const g = grads[v.name];
      return { name: v.name, tensor: (g === undefined ? null : scale === 1 ? g : tf.mul(g, scale)) as TF.Tensor };
    });
    setAdamLearningRate(this.opt, lr);
    this.opt.applyGradients(named);
    tf.dispose(grads);
    if (scale !== 1) tf.dispose(named.map((n) => n.tensor).filter((t) => t !== null));

    const decay = this.options.optimizer === 'adamw' ? (this.options.weightDecay ?? 0.01) : 0;
    if (decay > 0) {
      const factor = 1 - lr * decay;
      tf.tidy(() => {
        this.vars.forEach((v, i) => {
          if (this.decayMask[i]) v.assign(tf.mul(v, factor));
        });
      });
    }

    this.steps += 1;
    this.tokens += batchTokens;
    if (Number.isNaN(this.lossFirst)) this.lossFirst = loss;
    this.lossLast = loss;
    const record: StepRecord = { step: this.steps, loss, gradNorm, lr, tokens: this.tokens };
    this.history.push(record);
    return { kind: 'applied', record };
  }

  /**
   * Trains until the budget is spent ('completed'), the validation metric
   * reaches its threshold ('early-stopped') or a step diverges ('diverged').
   * Counts continue from the current state (a restored checkpoint).
   */
  async run(): Promise<TrainResult> {
    const budget = this.options.budget;
    const evaluation = this.options.evaluation;
    for (;;) {
      if ('steps' in budget && this.steps >= budget.steps) return this.result('completed');
      if ('tokens' in budget && this.tokens >= budget.tokens) return this.result('completed');
      const outcome = this.step();
      if (outcome.kind === 'over-budget') return this.result('completed');
      if (outcome.kind === 'diverged') return this.result('diverged', outcome.divergence);
      const record = outcome.record;
      let stop = false;
      if (evaluation && record.step % evaluation.every === 0) {
        record.metric = await evaluation.metric(record.step);
        stop = record.metric >= evaluation.threshold;
      }
      if (this.options.onStep) await this.options.onStep(record, this);
      if (stop) return this.result('early-stopped');
    }
  }

  /** Disposes the optimizer's state (not the model's variables). */
  dispose(): void {
    this.opt.dispose();
  }

  private result(status: TrainStatus, divergence?: Divergence): TrainResult {
    const s = this.state();
    const out: TrainResult = {
      status,
      steps: s.steps,
      tokens: s.tokens,
      lossFirst: s.lossFirst,
      lossLast: s.lossLast,
      history: s.history,
    };
    if (divergence) out.divergence = divergence;
    return out;
  }
}
