/**
 * TaskTokenizer — a task's own token ids (circuits/tasks Tokenizer) moved
 * onto the study's id conventions, so that a task's examples can stand in for
 * Brown text in the data-constrained study (kind 'task').
 *
 * The task tokenizer numbers <pad> 0, <bos> 1, <sep> 2, <ans> 3, <eos> 4,
 * then the task's vocabulary in its fixed order. The study reserves <pad> 0,
 * <unk> 1 and [MASK] 2 (SPECIAL_TOKENS), so
 *
 *   study id = 0           for the task's <pad> (the same padding token),
 *   study id = k + 2       for task id k ≥ 1   (<bos> 3, <sep> 4, <ans> 5, <eos> 6, symbols from 7),
 *
 * and vocabSize = task ids + 2. [MASK] (2) and <unk> (1) are never the id of
 * an example's token. An example is encoded exactly as the task tokenizer
 * encodes it (probes/cell uses the same encoding):
 *   cot     <bos> input… <sep> trace… <ans> answer… <eos>
 *   direct  <bos> input… <ans> answer… <eos>           (the task format 'answer')
 * As text, a sequence is its symbols separated by single spaces (no task
 * symbol contains white space); decode(encode(t)) = t for such text.
 */
import { Tokenizer as TaskSymbols } from '../../../circuits/tasks/index.js';
import type { Example, Task } from '../../../circuits/tasks/index.js';
import { SPECIAL_TOKENS } from './specialTokens.js';
import type { Tokenizer } from './tokenizer.js';

/** How an example becomes text: input then answer ('direct'), or with its chain-of-thought trace ('cot'). */
export const TASK_FORMATS = ['direct', 'cot'] as const;
export type TaskFormat = (typeof TASK_FORMATS)[number];

/** Task ids k ≥ 1 move up by this much (the task's <pad> 0 stays at the study's <pad> 0). */
const SHIFT = SPECIAL_TOKENS.count - 1;

export class TaskTokenizer implements Tokenizer {
  readonly kind = 'task';
  readonly vocabSize: number;
  /** The task tokenizer whose ids this one shifts. */
  readonly symbols: TaskSymbols;
  /** Study id → its symbol (index = id). */
  private readonly names: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  constructor(readonly task: Task) {
    this.symbols = new TaskSymbols(task);
    this.vocabSize = this.symbols.size + SHIFT;
    this.names = [...SPECIAL_TOKENS.names, ...this.symbols.symbols.slice(1)];
    this.ids = new Map(this.names.map((s, i) => [s, i]));
  }

  /** The study id of a task id (header). */
  studyId(taskId: number): number {
    return taskId === 0 ? SPECIAL_TOKENS.pad : taskId + SHIFT;
  }

  /** The example's study ids in `format` (header). */
  encodeExample(example: Example, format: TaskFormat): Int32Array {
    const { tokens } = this.symbols.encode(example, format === 'cot' ? 'cot' : 'answer');
    return Int32Array.from(tokens, (id) => this.studyId(id));
  }

  /** Space-separated symbols → ids; a symbol outside the vocabulary becomes <unk>. */
  encode(text: string): Int32Array {
    const words = text.split(/\s+/).filter((w) => w !== '');
    return Int32Array.from(words, (w) => this.ids.get(w) ?? SPECIAL_TOKENS.unk);
  }

  /** Ids → space-separated symbols; <pad> writes nothing, <unk> and [MASK] their SPECIAL_TOKENS.decoded. */
  decode(ids: ArrayLike<number>): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? SPECIAL_TOKENS.unk;
      const piece = id >= 0 && id < SPECIAL_TOKENS.count ? (SPECIAL_TOKENS.decoded[id] ?? '') : this.tokenText(id);
      if (piece !== '') out.push(piece);
    }
    return out.join(' ');
  }

  tokenText(id: number): string {
    const name = Number.isInteger(id) ? this.names[id] : undefined;
    if (name === undefined) throw new RangeError(`TaskTokenizer(${this.task.id}): id ${id} outside the vocabulary [0, ${this.vocabSize})`);
    return name;
  }
}
