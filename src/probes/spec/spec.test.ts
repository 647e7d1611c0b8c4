/**
 * Probe specs: validation errors name the JSON path in one line; the grid is
 * the full product in a fixed order with ids equal to the cells' hashes;
 * shards partition it; every preset is a valid spec.
 */
import { describe, expect, it } from 'vitest';
import { cellHash } from '../cell/CellConfig.js';
import { expandGrid } from './expandGrid.js';
import { PRESETS } from './presets.js';
import { parseProbeSpec, probeSpec, ProbeSpecError } from './ProbeSpec.js';
import { parseShard, shardCells, ShardError, shardFromEnvironment } from './shard.js';

const SPEC = {
  tasks: [{ task: 'parity', depths: [4, 6] }, { task: 'formula', depths: [2] }],
  models: [{ kind: 'ar' }, { kind: 'diffusion', denoisingSteps: [1, 2] }, { kind: 'looped', loops: [2, 3] }],
  sizes: { layers: [1, 2], dModel: [16], heads: 2 },
  seeds: [0, 1],
  training: { steps: 10 },
};

describe('probeSpec', () => {
  it('fills in defaults', () => {
    const s = probeSpec({ tasks: [{ task: 'parity', depths: [4] }], models: [{ kind: 'ar' }] });
    expect(s.seeds).toEqual([0, 1, 2]);
    expect(s.sizes).toEqual({ layers: [2], dModel: [64], heads: 4, positional: 'learned' });
    expect(s.evaluation).toEqual({ tau: 0.9, depthGeneralization: 'none' });
  });

  it.each([
    [{ ...SPEC, colour: 1 }, 'colour'],
    [{ ...SPEC, tasks: [] }, 'tasks = []'],
    [{ ...SPEC, tasks: [{ task: 'parity', depths: [4, -1] }] }, 'tasks[0].depths[1] = -1'],
    [{ ...SPEC, models: [{ kind: 'gpt' }] }, 'models[0].kind = "gpt"'],
    [{ ...SPEC, training: { steps: 0 } }, 'training.steps = 0'],
    [{ ...SPEC, training: { step: 10 } }, 'step'],
    [{ ...SPEC, evaluation: { tau: 2 } }, 'evaluation.tau = 2'],
  ])('rejects %j in one line naming %s', (input, fragment) => {
    expect(() => probeSpec(input, 'my.json')).toThrow(ProbeSpecError);
    try {
      probeSpec(input, 'my.json');
    } catch (e) {
      expect((e as Error).message).toContain(fragment);
      expect((e as Error).message).toMatch(/^my\.json: /);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('reports JSON and YAML syntax errors in one line', () => {
    expect(() => parseProbeSpec('{"tasks": [', 'x.json')).toThrow(/^x\.json: not valid JSON/);
    expect(() => parseProbeSpec('tasks: [\n  - a: b\n', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML \([^\n]*\); fix the syntax$/);
  });

  it('reads the same spec from YAML', () => {
    const yaml = ['tasks:', '  - task: parity', '    depths: [4, 6]', 'models:', '  - kind: ar', 'seeds: [0, 1]'].join('\n');
    expect(parseProbeSpec(yaml, 'spec.yml')).toEqual(probeSpec({ tasks: [{ task: 'parity', depths: [4, 6] }], models: [{ kind: 'ar' }], seeds: [0, 1] }));
  });
});

describe('expandGrid', () => {
  it('is the full product, seeds innermost, ids are the config hashes', () => {
    const cells = expandGrid(probeSpec(SPEC));
    // (2 + 1 task depths) × (1 + 2 + 2 model variants) × 2 layers × 2 seeds
    expect(cells).toHaveLength(3 * 5 * 2 * 2);
    expect(new Set(cells.map((c) => c.id)).size).toBe(cells.length);
    for (const c of cells) expect(c.id).toBe(cellHash(c.config));
    expect(cells.slice(0, 2).map((c) => c.config.seed)).toEqual([0, 1]);
    expect(cells[0]!.config).toMatchObject({ task: 'parity', depth: 4, model: 'ar', layers: 1, dModel: 16, heads: 2, steps: 10 });
    expect(cells.filter((c) => c.config.model === 'diffusion').map((c) => c.config.denoisingSteps)).toContain(2);
    expect(cells.filter((c) => c.config.model === 'looped').map((c) => c.config.loops)).toContain(3);
    expect(expandGrid(probeSpec(SPEC)).map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  it('adds the depth-generalisation depths of each cell', () => {
    const cells = expandGrid(probeSpec({ ...SPEC, evaluation: { depthGeneralization: 'deeper' } }));
    expect(cells.find((c) => c.config.task === 'parity' && c.config.depth === 4)!.config.evalDepths).toEqual([6]);
    expect(cells.find((c) => c.config.task === 'parity' && c.config.depth === 6)!.config.evalDepths).toEqual([]);
    const all = expandGrid(probeSpec({ ...SPEC, evaluation: { depthGeneralization: 'all' } }));
    expect(all.find((c) => c.config.task === 'parity' && c.config.depth === 6)!.config.evalDepths).toEqual([4]);
  });

  it('keeps duplicate cells once', () => {
    expect(expandGrid(probeSpec({ ...SPEC, seeds: [0, 0] }))).toHaveLength(3 * 5 * 2);
  });

  it('checks every cell against its task, naming the spec entries', () => {
    expect(() => expandGrid(probeSpec({ ...SPEC, tasks: [{ task: 'nope', depths: [3] }] }))).toThrow(/tasks\[0\] × models\[0\]: task = "nope"/);
    expect(() => expandGrid(probeSpec({ ...SPEC, models: [{ kind: 'tagged' }], tasks: [{ task: 'formula', depths: [2] }] }))).toThrow(/no per-position labels/);
    expect(() => expandGrid(probeSpec({ ...SPEC, sizes: { layers: [1], dModel: [30], heads: 4 } }))).toThrow(/heads = 4/);
  });

  it.each(Object.keys(PRESETS))('preset %s is a valid spec that expands', (name) => {
    const cells = expandGrid(probeSpec(PRESETS[name], name));
    expect(cells.length).toBeGreaterThanOrEqual(8);
  });
});

describe('shards', () => {
  it('partition the grid, sizes within one', () => {
    const cells = expandGrid(probeSpec(SPEC));
    for (const count of [1, 3, 7]) {
      const parts = Array.from({ length: count }, (_, index) => shardCells(cells, { index, count }));
      expect(parts.flat().map((c) => c.id).sort()).toEqual(cells.map((c) => c.id).sort());
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('parse i/N and read SLURM array variables', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4')).toThrow(ShardError);
    expect(() => parseShard('a/b')).toThrow(/use i\/N/);
    expect(shardFromEnvironment({})).toBeUndefined();
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '3' })).toEqual({ index: 2, count: 4 });
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(ShardError);
  });
});
