/**
 * The versions a cell result records (depthlab, tfjs, Node), so a report can
 * say what produced it.
 */
import { readFileSync } from 'node:fs';
import { loadTf } from '../../models/backend/index.js';
import type { Versions } from '../store/CellRecord.js';

let depthlabVersion: string | undefined;

export async function currentVersions(): Promise<Versions> {
  depthlabVersion ??= (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const tf = await loadTf();
  return { depthlab: depthlabVersion, tfjs: tf.version_core, node: process.versions.node };
}
