/**
 * `depthlab tasks …` — list the task families, show one example with its
 * trace, and generate depth-indexed suites on disk.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { tasks } from '../circuits/index.js';
import { log, printJson, printLines, table } from './_internals/output.js';
import { choiceFlag, integerFlag } from './_internals/parse.js';
import { progress } from './_internals/progress.js';
import { UsageError } from './_internals/UsageError.js';

const { allTasks, checkSuiteSpec, findTask, generateSuite, SUITE_FORMATS, SplitRequestError, SuiteWriteError, TASK_IDS, Tokenizer, writeSuite } = tasks;

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function taskOrFail(id: string, group: string | undefined): tasks.Task {
  const task = findTask(id, group === undefined ? {} : { group });
  if (task !== undefined) return task;
  if (id === 'word') throw new UsageError(`--group ${JSON.stringify(group ?? '')} is not a group; use S<k>, A<k> (k ≤ 9) or Z<m>, e.g. --group A4`);
  throw new UsageError(`unknown task family ${JSON.stringify(id)}; use one of ${TASK_IDS.join(', ')} (or a group name such as s4, a6, z12; see depthlab tasks list)`);
}

function depthList(raw: string): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  const depths = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--depths must be a comma-separated list of integers, e.g. 2,4,8, got ${JSON.stringify(raw)}`);
  return depths;
}

export function registerTaskCommands(program: Command): void {
  const cmd = program.command('tasks').description('algorithmic task suites indexed by circuit depth: list, show, generate');

  cmd
    .command('list')
    .description('every task family with its class, depth parameter and parameters')
    .option('--json', 'print one JSON document')
    .action((opts: { json?: boolean }) => {
      const rows = allTasks().map((t) => ({ id: t.id, class: t.taskClass, depth: t.depthMeaning, parameters: t.parameters, summary: t.summary, depths: `${t.minDepth}..${t.maxDepth}` }));
      if (opts.json) return printJson({ tasks: rows, more: 'word problems over any S<k>, A<k> (k <= 9) or Z<m>: use the group name as the family (s4, a6, z12) or --family word --group G' });
      printLines([
        ...table(['family', 'class', 'depth parameter', 'parameters'], rows.map((r) => [r.id, r.class, r.depth, Object.entries(r.parameters).map(([k, v]) => `${k}=${v}`).join(' ')])),
        '',
        'Word problems over other groups: --family s4 | a6 | z12 | … (or --family word --group G).',
      ]);
    });

  cmd
    .command('show')
    .description('one example, pretty-printed with its trace and its token sequences')
    .argument('<family>', 'task family id (see tasks list)')
    .requiredOption('--depth <d>', 'depth parameter', integerFlag('--depth', 0, 1 << 20))
    .option('--seed <s>', 'seed', integerFlag('--seed', -(2 ** 31), 2 ** 31 - 1), 0)
    .option('--group <g>', 'group for --family word, e.g. S4, A6, Z12')
    .option('--json', 'print one JSON document')
    .action((family: string, opts: { depth: number; seed: number; group?: string; json?: boolean }) => {
      const task = taskOrFail(family, opts.group);
      const spec = { task, depths: [opts.depth], nTrain: 1, nTest: 0, seed: opts.seed };
      const problem = checkSuiteSpec(spec);
      if (problem !== undefined) throw new UsageError(problem.replace('--depths', '--depth'));
      const example = generateSuite(spec).perDepth[0]!.train[0]!;
      const tok = new Tokenizer(task);
      const sym = task.symbols(example);
      if (opts.json) return printJson({ example, symbols: sym, tokens: { answer: tok.encode(example, 'answer'), cot: tok.encode(example, 'cot') } });
      const show = (xs: readonly string[]) => xs.join(' ');
      printLines([
        `${task.id} at depth ${example.depth} (${task.depthMeaning}; class ${task.taskClass})`,
        `id      ${example.id}`,
        `input   ${typeof example.input === 'string' ? example.input : show(example.input)}`,
        `trace   ${show(example.trace)}`,
        `answer  ${example.answer}`,
        ...(sym.labels === undefined ? [] : [`labels  ${show(sym.labels)}`]),
        `cot tokens  ${tok.encode(example, 'cot').tokens.join(' ')}`,
      ]);
    });

  cmd
    .command('generate')
    .description('write a suite: DIR/README.md (dataset card), DIR/data/<family>_d<depth>/{train,test}.jsonl, DIR/manifest.json')
    .requiredOption('--family <f>', 'task family id (see tasks list)')
    .requiredOption('--depths <list>', 'comma-separated depths, e.g. 2,4,8,16', depthList)
    .requiredOption('--n-train <n>', 'distinct train examples per depth', integerFlag('--n-train', 0, 1e8))
    .requiredOption('--n-test <n>', 'distinct test examples per depth', integerFlag('--n-test', 0, 1e8))
    .requiredOption('--out <dir>', 'output folder (must not exist or be empty, unless --force)')
    .option('--seed <s>', 'seed', integerFlag('--seed', -(2 ** 31), 2 ** 31 - 1), 0)
    .option('--group <g>', 'group for --family word, e.g. S4, A6, Z12')
    .option('--depth-split <d>', 'also write a depth-generalisation split: train depths <= D, test depths > D', integerFlag('--depth-split', 0, 1 << 20))
    .option('--test-share <x>', 'fraction of each depth\'s inputs reserved for test (default 0.5)', (raw: string) => {
      const x = Number(raw);
      if (!(x > 0 && x < 1)) throw new UsageError(`--test-share must be a number strictly between 0 and 1, got ${JSON.stringify(raw)}`);
      return x;
    })
    .option('--format <f>', `file format: ${SUITE_FORMATS.join(', ')}`, choiceFlag('--format', SUITE_FORMATS), 'jsonl')
    .option('--force', 'replace --out if it exists')
    .option('--json', 'print the manifest as one JSON document')
    .action(async (opts: { family: string; depths: number[]; nTrain: number; nTest: number; out: string; seed: number; group?: string; depthSplit?: number; testShare?: number; format: tasks.SuiteFormat; force?: boolean; json?: boolean }) => {
      const task = taskOrFail(opts.family, opts.group);
      const spec = {
        task,
        depths: opts.depths,
        nTrain: opts.nTrain,
        nTest: opts.nTest,
        seed: opts.seed,
        ...(opts.testShare === undefined ? {} : { testShare: opts.testShare }),
        ...(opts.depthSplit === undefined ? {} : { depthSplit: opts.depthSplit }),
      };
      const problem = checkSuiteSpec(spec);
      if (problem !== undefined) throw new UsageError(problem);
      const bar = progress(`generating ${task.id}`, opts.depths.length * (opts.nTrain + opts.nTest));
      let suite: tasks.Suite;
      try {
        suite = generateSuite(spec, (done) => bar.update(done));
      } catch (err) {
        if (err instanceof SplitRequestError) throw new UsageError(err.message);
        throw err;
      }
      bar.stop();
      let manifest: tasks.Manifest;
      try {
        manifest = await writeSuite(suite, opts.out, { format: opts.format, generatorVersion: VERSION, ...(opts.force ? { force: true } : {}) });
      } catch (err) {
        if (err instanceof SuiteWriteError) throw new UsageError(err.message);
        throw err;
      }
      if (opts.json) return printJson(manifest);
      printLines([
        ...table(['family', 'depth', 'train', 'test', 'distinct inputs'], manifest.depths.map((d) => [task.id, d.depth, d.train, d.test, d.distinct_inputs])),
        `wrote ${opts.out} (${manifest.files.length} files, content hash ${manifest.content_hash.slice(0, 16)})`,
      ]);
      log(`load with: datasets.load_dataset(${JSON.stringify(opts.out)}, ${JSON.stringify(manifest.depths[0]!.config)})`);
    });
}
