/**
 * A suite on disk, in the layout researchers already load:
 *   DIR/README.md                          dataset card; its YAML `configs:` lets
 *                                          datasets.load_dataset(DIR, "<family>_d<depth>") load a depth
 *   DIR/data/<family>_d<depth>/{train,test}.jsonl   (or .parquet)
 *   DIR/data/<family>_depthgen/{train,test}.*       with a depth-generalisation split
 *   DIR/manifest.json                      generator, seed, parameters, counts, file and content hashes
 * Everything is written into a fresh temporary folder beside DIR and renamed
 * into place at the end, so an interrupted run never leaves a half-written
 * suite. Nothing time- or machine-dependent is written: same suite → same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Suite } from './generateSuite.js';
import type { Example } from './Task.js';

export type SuiteFormat = 'jsonl' | 'parquet';
export const SUITE_FORMATS: readonly SuiteFormat[] = ['jsonl', 'parquet'];

export interface WriteSuiteOptions {
  readonly format?: SuiteFormat;
  /** Replace DIR if it exists and is not empty (default: refuse). */
  readonly force?: boolean;
  /** Recorded in the manifest. */
  readonly generatorVersion: string;
}

export interface ManifestFile {
  readonly path: string;
  readonly examples: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly generator: 'depthlab';
  readonly version: string;
  readonly family: string;
  readonly task_class: string;
  readonly depth_meaning: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly seed: number;
  readonly test_share: number;
  readonly depth_split: number | null;
  readonly format: SuiteFormat;
  readonly depths: readonly {
    readonly depth: number;
    readonly config: string;
    readonly train: number;
    readonly test: number;
    readonly distinct_inputs: string;
    readonly available: { readonly train: string; readonly test: string; readonly exact: boolean };
    /** Share of the most common answer in each split: the accuracy of always guessing it (a chance baseline). */
    readonly majority_answer_share: { readonly train: number; readonly test: number };
  }[];
  readonly files: readonly ManifestFile[];
  /** SHA-256 over the files' paths and hashes, in path order. */
  readonly content_hash: string;
}

export class SuiteWriteError extends Error {
  override readonly name = 'SuiteWriteError';
}

/** The stored form of an example: the public contract, fields in this order. */
export function exampleRecord(e: Example): Example {
  return { id: e.id, family: e.family, depth: e.depth, input: e.input, trace: e.trace, answer: e.answer };
}

function jsonl(examples: readonly Example[]): Buffer {
  return Buffer.from(examples.map((e) => `${JSON.stringify(exampleRecord(e))}\n`).join(''), 'utf8');
}

function parquet(examples: readonly Example[]): Buffer {
  const str = (name: string) => ({ name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'REQUIRED' as const });
  const list = (name: string) => [
    { name, repetition_type: 'REQUIRED' as const, converted_type: 'LIST' as const, num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
    str('element'),
  ];
  // Bit-string inputs stay strings; symbol-list inputs become lists, as in the JSONL.
  const inputIsList = examples.length > 0 && typeof examples[0]!.input !== 'string';
  const schema = [
    { name: 'root', num_children: 6 },
    str('id'),
    str('family'),
    { name: 'depth', type: 'INT32' as const, repetition_type: 'REQUIRED' as const },
    ...(inputIsList ? list('input') : [str('input')]),
    ...list('trace'),
    str('answer'),
  ];
  const buf = parquetWriteBuffer({
    schema,
    columnData: [
      { name: 'id', data: examples.map((e) => e.id) },
      { name: 'family', data: examples.map((e) => e.family) },
      { name: 'depth', data: examples.map((e) => e.depth) },
      { name: 'input', data: examples.map((e) => e.input) },
      { name: 'trace', data: examples.map((e) => e.trace) },
      { name: 'answer', data: examples.map((e) => e.answer) },
    ],
  });
  return Buffer.from(buf);
}

function datasetCard(suite: Suite, configs: readonly { name: string; files: Record<string, string>; counts: string }[], manifest: Omit<Manifest, 'files' | 'content_hash'>): string {
  const { task } = suite.spec;
  const yaml = configs.map((c) => [
    `- config_name: ${c.name}`,
    '  data_files:',
    ...Object.entries(c.files).map(([split, path]) => `  - split: ${split}\n    path: ${path}`),
  ].join('\n'));
  const rows = manifest.depths.map((d) => `| ${d.depth} | ${d.config} | ${d.train} | ${d.test} | ${d.distinct_inputs} | ${d.majority_answer_share.test} |`);
  return [
    '---',
    'configs:',
    ...yaml,
    '---',
    '',
    `# depthlab task suite: ${task.id}`,
    '',
    `${task.summary}. Complexity class: ${task.taskClass}. Depth parameter: ${task.depthMeaning}.`,
    '',
    `Generated by depthlab ${manifest.version} with seed ${manifest.seed}` +
      `${Object.keys(task.parameters).length > 0 ? `, parameters ${JSON.stringify(task.parameters)}` : ''}. ` +
      `Train and test are disjoint by construction: an input is in test iff the SHA-256 of (task, input) falls below ${manifest.test_share}.`,
    '',
    '| depth | config | train | test | distinct inputs | majority-answer share (test) |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...(suite.depthGeneralization === undefined ? [] : ['', `Config \`${task.id}_depthgen\`: train on depths ≤ ${manifest.depth_split}, test on depths > ${manifest.depth_split}.`]),
    '',
    'Each record: `{"id", "family", "depth", "input", "trace", "answer"}` — `input` is a bit string for Boolean tasks and a list of',
    'symbols otherwise (group elements in one-line notation, products left to right); `trace` is the chain of thought',
    '(prefix products, partial sums, gate values layer by layer); `answer` is a string. `manifest.json` holds counts and hashes.',
    '',
    '```python',
    'from datasets import load_dataset',
    `ds = load_dataset("path/to/this/folder", "${configs[0]?.name ?? ''}")`,
    '```',
    '',
  ].join('\n');
}

function majorityShare(examples: readonly Example[]): number {
  if (examples.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.answer, (counts.get(e.answer) ?? 0) + 1);
  return Math.round((Math.max(...counts.values()) / examples.length) * 1e4) / 1e4;
}

/** Writes the suite to `dir` atomically and returns its manifest. */
export async function writeSuite(suite: Suite, dir: string, options: WriteSuiteOptions): Promise<Manifest> {
  const format = options.format ?? 'jsonl';
  const target = resolve(dir);
  if (existsSync(target) && (await readdir(target)).length > 0 && options.force !== true) {
    throw new SuiteWriteError(`--out ${dir} exists and is not empty; choose a new folder, or pass --force to replace it`);
  }
  if (!existsSync(dirname(target))) {
    throw new SuiteWriteError(`--out ${dir}: the folder ${dirname(target)} does not exist; create it first`);
  }
  const { task } = suite.spec;
  const encode = format === 'jsonl' ? jsonl : parquet;
  const files: { path: string; data: Buffer; examples: number }[] = [];
  const configs: { name: string; files: Record<string, string>; counts: string }[] = [];
  const addConfig = (name: string, splits: Record<string, readonly Example[]>) => {
    const paths: Record<string, string> = {};
    for (const [split, examples] of Object.entries(splits)) {
      const path = `data/${name}/${split}.${format}`;
      files.push({ path, data: encode(examples), examples: examples.length });
      paths[split] = path;
    }
    configs.push({ name, files: paths, counts: Object.values(splits).map((e) => e.length).join('/') });
  };
  for (const d of suite.perDepth) addConfig(`${task.id}_d${d.depth}`, { train: d.train, test: d.test });
  if (suite.depthGeneralization !== undefined) addConfig(`${task.id}_depthgen`, { ...suite.depthGeneralization });

  const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
  const manifestFiles: ManifestFile[] = files.map((f) => ({ path: f.path, examples: f.examples, bytes: f.data.length, sha256: sha(f.data) }));
  const head = {
    generator: 'depthlab' as const,
    version: options.generatorVersion,
    family: task.id,
    task_class: task.taskClass,
    depth_meaning: task.depthMeaning,
    parameters: task.parameters,
    seed: suite.spec.seed,
    test_share: suite.spec.testShare ?? 0.5,
    depth_split: suite.spec.depthSplit ?? null,
    format,
    depths: suite.perDepth.map((d) => ({
      depth: d.depth,
      config: `${task.id}_d${d.depth}`,
      train: d.train.length,
      test: d.test.length,
      distinct_inputs: d.distinctInputs.toString(),
      available: { train: d.available.train.toString(), test: d.available.test.toString(), exact: d.available.exact },
      majority_answer_share: { train: majorityShare(d.train), test: majorityShare(d.test) },
    })),
  };
  const manifest: Manifest = {
    ...head,
    files: manifestFiles,
    content_hash: sha(manifestFiles.map((f) => `${f.path} ${f.sha256}\n`).join('')),
  };

  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.partial-`));
  try {
    for (const f of files) {
      await mkdir(join(staging, dirname(f.path)), { recursive: true });
      await writeFile(join(staging, f.path), f.data);
    }
    await writeFile(join(staging, 'README.md'), datasetCard(suite, configs, head));
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(target)) {
      const old = `${staging}.old`;
      await rename(target, old);
      await rename(staging, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, target);
    }
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return manifest;
}
