/** Flag-value parsers for commander: each returns the value or throws a one-line UsageError. */
import { UsageError } from './UsageError.js';

export function integerFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (raw: string) => number {
  return (raw) => {
    const text = raw.trim().replace(/_/g, '');
    // Accept plain integers and powers written as 2^20 or 1e6.
    const pow = /^(\d+)\^(\d+)$/.exec(text);
    const value = pow ? Number(pow[1]) ** Number(pow[2]) : /^-?\d+(e\d+)?$/i.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`${flag} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

export function choiceFlag<T extends string>(flag: string, choices: readonly T[]): (raw: string) => T {
  return (raw) => {
    if (!(choices as readonly string[]).includes(raw)) {
      throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
    }
    return raw as T;
  };
}

/** A finite number in [min, max]. */
export function numberFlag(flag: string, min: number, max: number): (raw: string) => number {
  return (raw) => {
    const x = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(x) || x < min || x > max) throw new UsageError(`${flag} must be a number in [${min}, ${max}], got ${JSON.stringify(raw)}`);
    return x;
  };
}
