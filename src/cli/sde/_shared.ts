/** Flag parsers and output naming shared by the `depthlab sde` commands. */
import { UsageError } from '../_internals/UsageError.js';

/** "1,2,4,8" → [1, 2, 4, 8], each checked. */
export function numberListFlag(flag: string, min: number, max: number, integer = false): (raw: string) => number[] {
  return (raw) => {
    const xs = raw.split(',').map((s) => Number(s.trim()));
    if (xs.length === 0 || xs.some((x, i) => raw.split(',')[i]!.trim() === '' || !Number.isFinite(x) || x < min || x > max || (integer && !Number.isInteger(x)))) {
      throw new UsageError(`${flag} must be a comma-separated list of ${integer ? 'integers' : 'numbers'} in [${min}, ${max}], got ${JSON.stringify(raw)}`);
    }
    return xs;
  };
}

/** The prefix for PREFIX.json / PREFIX.svg: the flag, or a default made safe for file names. */
export function outPrefix(flag: string | undefined, fallback: string): string {
  return flag ?? fallback.replace(/[^A-Za-z0-9._-]+/g, '_');
}
