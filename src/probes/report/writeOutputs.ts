/**
 * Writing a command's results: `<prefix>.json` (the results) and
 * `<prefix>.svg` (the figure), each written to a temporary file and renamed,
 * so an interrupted run never leaves a half-written result.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { renderSvg, type VegaLiteSpec } from './renderSvg.js';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.partial-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    // A failed write (disk full, permissions) leaves neither the result nor its temporary file.
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes prefix.json and prefix.svg; returns their paths. */
export async function writeResultFiles(prefix: string, results: unknown, figure: VegaLiteSpec): Promise<{ json: string; svg: string }> {
  const json = `${prefix}.json`;
  const svg = `${prefix}.svg`;
  await writeFileAtomic(json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFileAtomic(svg, await renderSvg(figure));
  return { json, svg };
}
