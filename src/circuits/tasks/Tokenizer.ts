/**
 * Tokenizer — turns examples into integer sequences for the three model
 * formats compared by the probes:
 *   answer  <bos> input… <ans> answer… <eos>                loss on answer and <eos>
 *   cot     <bos> input… <sep> trace… <ans> answer… <eos>   loss on trace, <ans>, answer and <eos>
 *   tagged  input…  with one label per input position        (the tagging format)
 * Ids: the five special tokens first, then the task's vocabulary in its
 * order, so a task's ids never change between runs or machines.
 */
import type { Example, Task } from './Task.js';

export type TokenFormat = 'answer' | 'cot' | 'tagged';
export const TOKEN_FORMATS: readonly TokenFormat[] = ['answer', 'cot', 'tagged'];

export const SPECIAL_TOKENS = ['<pad>', '<bos>', '<sep>', '<ans>', '<eos>'] as const;

export interface EncodedSequence {
  /** Token ids. */
  readonly tokens: number[];
  /** answer/cot: 1 where the model is trained to predict the token; tagged: the label id per position. */
  readonly targets: number[];
}

export class Tokenizer {
  readonly symbols: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  constructor(readonly task: Task) {
    this.symbols = [...SPECIAL_TOKENS, ...task.vocabulary().filter((s) => !(SPECIAL_TOKENS as readonly string[]).includes(s))];
    this.ids = new Map(this.symbols.map((s, i) => [s, i]));
  }

  get size(): number {
    return this.symbols.length;
  }

  id(symbol: string): number {
    const id = this.ids.get(symbol);
    if (id === undefined) throw new RangeError(`${this.task.id}: symbol ${JSON.stringify(symbol)} is not in the vocabulary`);
    return id;
  }

  encode(example: Example, format: TokenFormat): EncodedSequence {
    const s = this.task.symbols(example);
    const ids = (xs: readonly string[]) => xs.map((x) => this.id(x));
    const special = (name: (typeof SPECIAL_TOKENS)[number]) => this.id(name);
    if (format === 'tagged') {
      if (s.labels === undefined) {
        throw new RangeError(`${this.task.id} has no per-position labels, so no tagged format; use format answer or cot`);
      }
      return { tokens: ids(s.input), targets: ids(s.labels) };
    }
    const prompt = [special('<bos>'), ...ids(s.input)];
    const reasoning = format === 'cot' ? [special('<sep>'), ...ids(s.trace)] : [];
    const answer = [special('<ans>'), ...ids(s.answer), special('<eos>')];
    const tokens = [...prompt, ...reasoning, ...answer];
    // The prompt and the marker that ends it (<ans>, or <sep> for cot) are
    // given; everything after is predicted — in cot the <ans> that closes the
    // trace too, so a free-running model decides itself where its trace ends.
    const targets = [
      ...prompt.map(() => 0),
      ...reasoning.map((_, i) => (i === 0 ? 0 : 1)),
      ...answer.map((_, i) => (i === 0 && format === 'answer' ? 0 : 1)),
    ];
    return { tokens, targets };
  }

  decode(ids: readonly number[]): string[] {
    return ids.map((i) => this.symbols[i] ?? `<unk:${i}>`);
  }
}
