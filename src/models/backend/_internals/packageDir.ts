/**
 * Where an optional package is installed, found without importing it (Node's
 * resolution from here: node_modules up the tree), or undefined when it is not
 * installed.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** A require() for resolving package paths (the backend packages are ESM-imported, never required). */
export const requireHere = createRequire(import.meta.url);

/** Where a package is installed: its folder, or undefined when it is not resolvable. */
export type ResolvePackageDir = (pkg: string) => string | undefined;

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

export const resolvePackageDir: ResolvePackageDir = (pkg) => {
  try {
    return dirname(requireHere.resolve(`${pkg}/package.json`));
  } catch (error) {
    if (isMissingModule(error)) return undefined;
    throw error;
  }
};
