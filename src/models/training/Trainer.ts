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
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../backend/tfRuntime.js';
import { learningRate, validateSchedule, type LrSchedule } from './schedule.js';

/** What the trainer needs of a model: its trainable variables and a scalar loss. */
export interface TrainableModel<B> {
  /** The variables to train, in a stable order (checkpoints match them by position). */
  variables(): TF.Variable[];
  /** The scalar loss of one batch (built inside the step's tf.tidy). */
  loss(batch: B): TF.Scalar;
}

/**
 * Where batches come from. `next(step)` gets the global 0-based step index, so
 * a source that is a pure function of the step resumes exactly after a
 * checkpoint. `tokens` is the number of training tokens the batch counts for
 * the token budget.
 */
export interface BatchSource<B> {
  next(step: number): { batch: B; tokens: number };
}

/** Stop after this many steps, or before the step that would exceed this many tokens. */
export type Budget = { steps: number } | { tokens: number };

export interface ScheduleOptions {
  peakLr: number;
  /** Default 0. */
  warmupSteps?: number;
  /** Default 0. */
  minLr?: number;
  /**
   * Default: the step budget; under a token budget, floor(budget / tokens of
   * the first batch this trainer draws) (exact for constant-size batches).
   */
  totalSteps?: number;
}

export interface EvaluationOptions {
  /** Evaluate after every `every` steps (global step count divisible by it). */
  every: number;
  /** The validation metric after `step` steps (e.g. accuracy; higher is better). */
  metric: (step: number) => number | Promise<number>;
  /** Stop with status 'early-stopped' once the metric is ≥ this. */
  threshold: number;
}

export interface TrainerOptions<B = unknown> {
  /** 'adamw' adds decoupled weight decay (see header). Default 'adam'. */
  optimizer?: 'adam' | 'adamw';
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** λ of AdamW (ignored for 'adam'). Default 0.01. */
  weightDecay?: number;
  /** Which variables AdamW decays (e.g. not biases / LayerNorm gains). Default: all. */
  decayFilter?: (variable: TF.Variable, index: number) => boolean;
  schedule: ScheduleOptions;
  /** Max global gradient norm c; 0 or Infinity disables clipping. Default 1. */
  clipNorm?: number;
  budget: Budget;
  /** Early stopping on a validation metric. */
  evaluation?: EvaluationOptions;
  /** Called after every step (and its evaluation), e.g. to log or checkpoint. */
  onStep?: (record: StepRecord, trainer: Trainer<B>) => void | Promise<void>;
}

/** One training step, as kept in the history. */
export interface StepRecord {
  /** Global number of steps done after this one (1-based). */
  step: number;
  loss: number;
  /** ‖g‖ before clipping. */
  gradNorm: number;
  /** Learning rate η_t of this step. */
  lr: number;
  /** Global tokens trained on after this step. */
  tokens: number;
  /** The validation metric, on steps where it was evaluated. */
  metric?: number;
}

export type TrainStatus = 'completed' | 'early-stopped' | 'diverged';

export interface Divergence {
  /** The 1-based global step whose loss or gradient norm was not finite (not applied). */
  step: number;
  quantity: 'loss' | 'gradient norm';
  value: number;
}

export interface TrainResult {
  status: TrainStatus;
  /** Global steps applied (resumed steps included). */
  steps: number;
  /** Global tokens trained on. */
  tokens: number;
  /** Loss of the first step ever (carried through checkpoints); NaN before any step. */
  lossFirst: number;
  /** Loss of the last applied step; NaN before any step. */
  lossLast: number;
  history: StepRecord[];
  /** Present when status is 'diverged'. */
  divergence?: Divergence;
}

/** The trainer's counters, as saved in a checkpoint. */
export interface TrainerState {
  steps: number;
  tokens: number;
  lossFirst: number;
  lossLast: number;
  history: StepRecord[];
}

/** The outcome of one call to `Trainer.step()`. */
export type StepOutcome =
  | { kind: 'applied'; record: StepRecord }
  | { kind: 'diverged'; divergence: Divergence }
  | { kind: 'over-budget'; batchTokens: number };

/** A tensor with a name, as tfjs optimizers' getWeights()/setWeights() exchange them. */
export interface NamedTensor {
  name: string;
  tensor: TF.Tensor;
}

/** Adam's private bias-correction accumulators β^{t+1} (tfjs 4.x field names). */
interface AdamInternals {
  learningRate: number;
  accBeta1?: TF.Variable;
  accBeta2?: TF.Variable;
}

/**
 * Scales `grads` so their global norm is at most `maxNorm` (see header).
 * Returns new tensors (the inputs are not disposed) and the norm before
 * clipping. Disabled (scale 1) when maxNorm is 0 or Infinity.
 */
export function clipByGlobalNorm(grads: TF.Tensor[], maxNorm: number): { clipped: TF.Tensor[]; norm: number } {
  const tf = tfNow();
  const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0] ?? Number.NaN);
  const scale = maxNorm > 0 && Number.isFinite(maxNorm) && norm > maxNorm ? maxNorm / norm : 1;
  return { clipped: grads.map((g) => tf.tidy(() => (scale === 1 ? tf.clone(g) : tf.mul(g, scale)))), norm };
}

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
    if (this.vars.length === 0) throw new RangeError('Trainer: the model has no variables to train');
    const budget = options.budget;
    const limit = 'steps' in budget ? budget.steps : budget.tokens;
    if (!(Number.isFinite(limit) && limit >= 0)) throw new RangeError(`Trainer: budget must be finite and ≥ 0, got ${limit}`);
    if (options.evaluation && !(Number.isInteger(options.evaluation.every) && options.evaluation.every > 0)) {
      throw new RangeError(`Trainer: evaluation.every must be an integer > 0, got ${options.evaluation.every}`);
    }
    const filter = options.decayFilter ?? (() => true);
    this.decayMask = this.vars.map((v, i) => filter(v, i));
    this.totalSteps = options.schedule.totalSteps ?? ('steps' in budget ? budget.steps : undefined);
    if (this.totalSteps !== undefined) validateSchedule(this.resolvedSchedule(this.totalSteps));
    this.opt = this.freshOptimizer();
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
    const tf = tfNow();
    this.opt.dispose();
    this.opt = this.freshOptimizer();
    await this.opt.setWeights(weights);
    const internals = this.opt as unknown as AdamInternals;
    if (accBeta && internals.accBeta1 && internals.accBeta2) {
      const [b1, b2] = accBeta;
      tf.tidy(() => {
        internals.accBeta1?.assign(tf.scalar(b1, 'float32'));
        internals.accBeta2?.assign(tf.scalar(b2, 'float32'));
      });
    }
  }

  /** Adam's running products β1^{t+1}, β2^{t+1} (for checkpoints); undefined if tfjs hides them. */
  adamAccumulators(): [number, number] | undefined {
    const internals = this.opt as unknown as AdamInternals;
    if (!internals.accBeta1 || !internals.accBeta2) return undefined;
    return [internals.accBeta1.dataSync()[0] ?? Number.NaN, internals.accBeta2.dataSync()[0] ?? Number.NaN];
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
      validateSchedule(this.resolvedSchedule(this.totalSteps));
    }
    const lr = learningRate(index, this.resolvedSchedule(this.totalSteps ?? 1));
    const clipNorm = this.options.clipNorm ?? 1;
    const scale = clipNorm > 0 && Number.isFinite(clipNorm) && gradNorm > clipNorm ? clipNorm / gradNorm : 1;

    // Array form keeps Adam's moments matched to variables by position; a
    // variable the loss does not reach has no gradient and Adam skips it.
    const named = this.vars.map((v) => {
      const g = grads[v.name];
      return { name: v.name, tensor: (g === undefined ? null : scale === 1 ? g : tf.mul(g, scale)) as TF.Tensor };
    });
    (this.opt as unknown as AdamInternals).learningRate = lr;
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

  private resolvedSchedule(totalSteps: number): LrSchedule {
    const s = this.options.schedule;
    return { peakLr: s.peakLr, warmupSteps: s.warmupSteps ?? 0, minLr: s.minLr ?? 0, totalSteps };
  }

  private freshOptimizer(): TF.AdamOptimizer {
    const o = this.options;
    return tfNow().train.adam(o.schedule.peakLr, o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.epsilon ?? 1e-8);
  }
}
