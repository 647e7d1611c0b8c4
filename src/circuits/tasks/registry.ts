/** Every built-in task by id; word problems over other groups via `findTask(id, { group })`. */
import { parseGroup } from '../groups/group.js';
import { additionTask, comparisonTask, iteratedAdditionTask } from './arithmeticTasks.js';
import { circuitValueTask } from './circuitValueTask.js';
import { majorityTask, modCountTask, parityTask, thresholdTask } from './countingTasks.js';
import { formulaTask } from './formulaTask.js';
import { reachabilityTask } from './reachabilityTask.js';
import type { Task } from './Task.js';
import { wordProblemTask } from './wordProblemTask.js';

const word = (name: string): Task => wordProblemTask(parseGroup(name)! as Parameters<typeof wordProblemTask>[0], name.toLowerCase());

/** Built lazily: a word problem precomputes its group's multiplication table. */
const BUILDERS: readonly [string, () => Task][] = [
  ['majority', () => majorityTask],
  ['threshold', () => thresholdTask],
  ['parity', () => parityTask],
  ['mod-count', () => modCountTask(3)],
  ['comparison', () => comparisonTask],
  ['addition', () => additionTask],
  ['iterated-addition', () => iteratedAdditionTask],
  ['s5', () => word('S5')],
  ['a5', () => word('A5')],
  ['z60', () => word('Z60')],
  ['a4xz5', () => word('A4xZ5')],
  ['formula', () => formulaTask],
  ['cvp', () => circuitValueTask(4)],
  ['reachability', () => reachabilityTask(4)],
];

export const TASK_IDS: readonly string[] = [...BUILDERS.map(([id]) => id), 'word'];

const cache = new Map<string, Task>();

/**
 * The task with this id, or undefined. `word` takes `{ group: 'S4' | 'A6' | 'Z12' | … }`;
 * the others ignore options.
 */
export function findTask(id: string, options: { group?: string } = {}): Task | undefined {
  if (id === 'word') {
    const group = options.group === undefined ? undefined : parseGroup(options.group);
    return group === undefined ? undefined : wordProblemTask(group as Parameters<typeof wordProblemTask>[0], `word-${group.name.toLowerCase()}`);
  }
  // Any other group by its name as a task id: s4, a6, z12, …
  const builder = BUILDERS.find(([name]) => name === id)?.[1] ?? (parseGroup(id) === undefined ? undefined : () => word(id));
  if (builder === undefined) return undefined;
  let task = cache.get(id);
  if (task === undefined) cache.set(id, (task = builder()));
  return task;
}

export function allTasks(): Task[] {
  return BUILDERS.map(([id]) => findTask(id)!);
}
