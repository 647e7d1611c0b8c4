/**
 * Study specs: one-line errors naming the JSON path (or the grid place of a
 * cell its config refuses), the grid's product and order with ids equal to
 * the cells' hashes, YAML, and every preset a valid spec.
 */
import { describe, expect, it } from 'vitest';
import { ProbeSpecError } from '../../spec/ProbeSpecError.js';
import { studyCellHash } from '../cell/StudyCellConfig.js';
import { expandStudyGrid } from './expandStudyGrid.js';
import { STUDY_PRESETS } from './presets.js';
import { parseStudySpec, studySpec } from './StudySpec.js';

const SPEC = {
  uniqueTokens: [1000, 3000],
  epochs: [1, 4],
  models: [{ kind: 'ar' }, { kind: 'diffusion' }, { kind: 'ar-orders', orders: [1, 4], attentionDropout: [0, 0.1] }],
  sizes: { layers: [1], dModel: [16], heads: 2 },
  seeds: [0, 1],
  training: { contextLength: 16 },
};

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProbeSpecError);
    return (error as Error).message;
  }
  throw new Error('expected a ProbeSpecError');
}

describe('studySpec', () => {
  it('fills in defaults', () => {
    const s = studySpec({ uniqueTokens: [1000], epochs: [1], models: [{ kind: 'ar' }] });
    expect(s.seeds).toEqual([0]);
    expect(s.sizes).toEqual({ layers: [2], dModel: [64], heads: 4 });
    expect(s.data).toEqual({});
  });

  it.each([
    [{ ...SPEC, colour: 1 }, 'colour'],
    [{ ...SPEC, uniqueTokens: [] }, 'uniqueTokens = []'],
    [{ ...SPEC, epochs: [4, 0] }, 'epochs[1] = 0'],
    [{ ...SPEC, models: [{ kind: 'gpt' }] }, 'models[0].kind = "gpt"'],
    [{ ...SPEC, models: [{ kind: 'ar', attentionDropout: [1] }] }, 'models[0].attentionDropout[0] = 1'],
    [{ ...SPEC, data: { corpus: 'wiki' } }, 'data.corpus = "wiki"'],
    [{ ...SPEC, training: { contextLenght: 16 } }, 'contextLenght'],
  ])('rejects %j in one line naming %s', (input, fragment) => {
    const m = message(() => studySpec(input, 'my.json'));
    expect(m).toContain('my.json: ');
    expect(m).toContain(fragment);
    expect(m).not.toContain('\n');
  });

  it('a cell its config refuses is named by its place in the grid', () => {
    const m = message(() => expandStudyGrid(studySpec({ ...SPEC, models: [{ kind: 'ar', orders: [2] }] }), 'my.json'));
    expect(m).toMatch(/^my\.json: models\[0\] \(ar\) at uniqueTokens 1000, epochs 1: orders = 2: only model 'ar-orders'/);
    const small = message(() => expandStudyGrid(studySpec({ ...SPEC, uniqueTokens: [10] }), 'my.json'));
    expect(small).toContain('uniqueTokens = 10');
    expect(small).not.toContain('\n');
  });

  it('reads YAML, and a syntax error is one line', () => {
    const s = parseStudySpec('uniqueTokens: [1000]\nepochs: [1, 2]\nmodels:\n  - kind: diffusion\n', 'study.yaml');
    expect(s.models[0]!.kind).toBe('diffusion');
    expect(message(() => parseStudySpec('{"uniqueTokens": [1000', 'study.json'))).toMatch(/^study\.json: not valid JSON .*fix the syntax$/);
  });
});

describe('expandStudyGrid', () => {
  it('is the product U × (kind × its grid) × sizes × E × seeds, seeds innermost, ids the config hashes', () => {
    const cells = expandStudyGrid(studySpec(SPEC));
    // per U: (ar 1 + diffusion 1 + ar-orders 2·2) kinds × 2 E × 2 seeds = 24
    expect(cells).toHaveLength(2 * 6 * 2 * 2);
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    for (const c of cells) expect(c.id).toBe(studyCellHash(c.config));
    expect(cells.slice(0, 4).map((c) => [c.config.uniqueTokens, c.config.model, c.config.epochs, c.config.seed])).toEqual([
      [1000, 'ar', 1, 0], [1000, 'ar', 1, 1], [1000, 'ar', 4, 0], [1000, 'ar', 4, 1],
    ]);
    const orders = cells.filter((c) => c.config.model === 'ar-orders' && c.config.uniqueTokens === 1000 && c.config.epochs === 1 && c.config.seed === 0);
    expect(orders.map((c) => [c.config.orders, c.config.attentionDropout])).toEqual([[1, 0], [1, 0.1], [4, 0], [4, 0.1]]);
    expect(cells.every((c) => c.config.contextLength === 16 && c.config.heads === 2)).toBe(true);
  });

  it("passes a task suite's data fields to every cell (the second data source)", () => {
    const data = { corpus: 'task', task: 'parity', taskDepth: 10, taskFormat: 'direct', heldOutTokens: 400 } as const;
    const cells = expandStudyGrid(studySpec({ ...SPEC, data }));
    expect(cells).toHaveLength(2 * 6 * 2 * 2);
    for (const c of cells) expect(c.config).toMatchObject(data);
    const m = message(() => expandStudyGrid(studySpec({ ...SPEC, data: { corpus: 'task', task: 'parity' } }), 'my.json'));
    expect(m).toContain('taskDepth');
  });

  it('keeps duplicates once', () => {
    expect(expandStudyGrid(studySpec({ ...SPEC, epochs: [1, 1], seeds: [0, 0] }))).toHaveLength(2 * 6);
  });

  it.each(Object.entries(STUDY_PRESETS))('preset %s is a valid spec that expands', (name, input) => {
    const cells = expandStudyGrid(studySpec(input, `preset ${name}`));
    expect(cells.length).toBeGreaterThan(0);
  });
});
