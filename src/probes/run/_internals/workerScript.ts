/**
 * Where the compiled cell worker is: cellWorker.js beside the run folder's
 * modules, or its dist/ twin when they run from src/ (tests).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function defaultWorkerScript(): string {
  const here = fileURLToPath(new URL('../cellWorker.js', import.meta.url));
  if (existsSync(here)) return here;
  const compiled = here.replace(/([\\/])src([\\/]probes[\\/]run[\\/])/, '$1dist$2');
  if (existsSync(compiled)) return compiled;
  throw new Error(`no compiled cell worker at ${here} or ${compiled}; run npm run build`);
}
