/**
 * The 'tensorflow' backend: native libtensorflow from
 * '@tensorflow/tfjs-node-gpu' (CUDA) or '@tensorflow/tfjs-node' (CPU), GPU
 * build first. Both are optionalDependencies whose install script downloads
 * libtensorflow, which fails offline: npm then drops them (not installed), or,
 * with install scripts skipped, leaves them without their native addon. Both
 * cases are detected before the import (probeNativePackage) and reported as
 * the attempt's reason.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTf } from '../tfRuntime.js';
import { activate, importOptional, message, type Attempt } from './attempt.js';
import { resolvePackageDir, type ResolvePackageDir } from './packageDir.js';

/** The native packages, in order of preference (GPU build first). */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Runs `fn` with tfjs's own warnings off (its PROD flag, restored after):
 * importing a second native package re-registers ~150 kernels, each with a
 * console warning.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const env = (await loadTf()).env();
  const before = env.getBool('PROD');
  env.set('PROD', true);
  try {
    return await fn();
  } finally {
    env.set('PROD', before);
  }
}

/** Whether `lib/napi-v*\/tfjs_binding.node` exists under a tfjs-node package folder. */
function hasNativeAddon(packageDir: string): boolean {
  try {
    const lib = join(packageDir, 'lib');
    return readdirSync(lib, { withFileTypes: true }).some(
      (entry) =>
        entry.isDirectory() &&
        entry.name.startsWith('napi-v') &&
        readdirSync(join(lib, entry.name)).includes('tfjs_binding.node'),
    );
  } catch {
    return false;
  }
}

/**
 * Whether a native tfjs-node package can be imported, without importing it:
 * not installed (npm drops an optional dependency whose install failed), or
 * installed without its native addon (install scripts skipped, or the
 * libtensorflow download failed). Exported for its tests.
 */
export function probeNativePackage(
  pkg: string,
  resolveDir: ResolvePackageDir = resolvePackageDir,
): { ok: true } | { ok: false; detail: string } {
  let dir: string | undefined;
  try {
    dir = resolveDir(pkg);
  } catch (error) {
    return { ok: false, detail: `${pkg} cannot be resolved (${message(error)})` };
  }
  if (dir === undefined) return { ok: false, detail: `${pkg} is not installed` };
  if (!hasNativeAddon(dir)) {
    return {
      ok: false,
      detail: `${pkg} is installed without its native addon (its install script did not download libtensorflow)`,
    };
  }
  return { ok: true };
}

/** The 'tensorflow' attempt: the first native package that probes, imports and starts. */
export async function tryTensorflow(): Promise<Attempt> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    const probe = probeNativePackage(pkg);
    if (!probe.ok) {
      failures.push(probe.detail);
      continue;
    }
    try {
      // Registers the 'tensorflow' backend as a side effect.
      await quietly(() => importOptional(pkg));
    } catch (error) {
      failures.push(`${pkg} failed to load (${message(error)})`);
      continue;
    }
    try {
      if (await activate('tensorflow')) return { ok: true, detail: `native libtensorflow from ${pkg}` };
      failures.push(`${pkg} loaded but tfjs refused its 'tensorflow' backend`);
    } catch (error) {
      failures.push(`${pkg} loaded but its backend did not start (${message(error)})`);
    }
  }
  return { ok: false, detail: failures.join(', ') };
}
