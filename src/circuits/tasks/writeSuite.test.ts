/** Suites on disk: layout, byte-identical output for the same seed, manifest hashes, Parquet = JSONL, no partial folders. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { generateSuite } from './generateSuite.js';
import { findTask } from './registry.js';
import { writeSuite } from './writeSuite.js';

const spec = { task: findTask('s5')!, depths: [2, 5], nTrain: 40, nTest: 10, seed: 7, depthSplit: 2 };
const tmp = () => mkdtempSync(join(tmpdir(), 'depthlab-suite-'));

describe('writeSuite', () => {
  it('writes the documented layout and a dataset card with one config per depth', async () => {
    const dir = join(tmp(), 'suite');
    const manifest = await writeSuite(generateSuite(spec), dir, { generatorVersion: '9.9.9' });
    expect(readdirSync(join(dir, 'data')).sort()).toEqual(['s5_d2', 's5_d5', 's5_depthgen']);
    const card = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(card).toMatch(/^---\nconfigs:\n- config_name: s5_d2\n {2}data_files:\n {2}- split: train\n {4}path: data\/s5_d2\/train.jsonl/);
    const lines = readFileSync(join(dir, 'data/s5_d5/train.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(40);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(['id', 'family', 'depth', 'input', 'trace', 'answer']);
    expect(manifest.depths.map((d) => [d.depth, d.train, d.test])).toEqual([[2, 40, 10], [5, 40, 10]]);
    for (const f of manifest.files) {
      expect(createHash('sha256').update(readFileSync(join(dir, f.path))).digest('hex')).toBe(f.sha256);
    }
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(manifest)));
  });

  it('is byte-identical for the same seed', async () => {
    const [a, b] = [join(tmp(), 'a'), join(tmp(), 'b')];
    const ma = await writeSuite(generateSuite(spec), a, { generatorVersion: '1' });
    const mb = await writeSuite(generateSuite(spec), b, { generatorVersion: '1' });
    expect(ma.content_hash).toBe(mb.content_hash);
    for (const f of ['README.md', 'manifest.json', ...ma.files.map((x) => x.path)]) {
      expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f)))).toBe(true);
    }
  });

  it('writes Parquet with the same records as JSONL (inputs as lists or bit strings)', async () => {
    for (const s of [spec, { ...spec, task: findTask('parity')!, depths: [9, 12], depthSplit: 9 }]) {
      const [j, p] = [join(tmp(), 'j'), join(tmp(), 'p')];
      await writeSuite(generateSuite(s), j, { generatorVersion: '1' });
      const m = await writeSuite(generateSuite(s), p, { generatorVersion: '1', format: 'parquet' });
      const path = m.files[0]!.path;
      const fromJsonl = readFileSync(join(j, path.replace('.parquet', '.jsonl')), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
      const buf = readFileSync(join(p, path));
      const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) });
      expect(rows).toEqual(fromJsonl);
    }
  });

  it('refuses a non-empty folder unless forced, and never leaves a partial folder', async () => {
    const parent = tmp();
    const dir = join(parent, 'suite');
    await writeSuite(generateSuite(spec), dir, { generatorVersion: '1' });
    await expect(writeSuite(generateSuite(spec), dir, { generatorVersion: '1' })).rejects.toThrow(/exists and is not empty/);
    await writeSuite(generateSuite({ ...spec, seed: 8 }), dir, { generatorVersion: '1', force: true });
    expect(readdirSync(parent)).toEqual(['suite']);
    await expect(writeSuite(generateSuite(spec), join(parent, 'no', 'such'), { generatorVersion: '1' })).rejects.toThrow(/does not exist/);
    // A file where the folder should go: the write fails, and no staging folder is left behind.
    writeFileSync(join(parent, 'blocker'), 'x');
    await expect(writeSuite(generateSuite(spec), join(parent, 'blocker'), { generatorVersion: '1', force: true })).rejects.toThrow();
    expect(readdirSync(parent).sort()).toEqual(['blocker', 'suite']);
    expect(existsSync(join(parent, 'suite', 'manifest.json'))).toBe(true);
  });
});
