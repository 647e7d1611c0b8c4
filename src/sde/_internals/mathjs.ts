/**
 * mathjs, loaded on first use: importing it costs about 2 s, which every
 * `depthlab` command (and every importer of the library) would otherwise pay
 * at start-up even when no expression is ever parsed. Loaded synchronously
 * through `require`, so callers stay synchronous.
 */
import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';

let cached: typeof MathJs | undefined;

export function mathjs(): typeof MathJs {
  cached ??= createRequire(import.meta.url)('mathjs') as typeof MathJs;
  return cached;
}
