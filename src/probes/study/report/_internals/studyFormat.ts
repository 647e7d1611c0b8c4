/**
 * Number formats of the study report: bits per token at 3 decimals, FLOPs
 * and token counts in exponent notation, R_D* and its intervals at a
 * precision that fits their range (∞ for Infinity, "n/a" for NaN), and γ.
 */
import { fixed } from '../../../report/_internals/format.js';

/** Bits per token: "4.303". */
export function bits(x: number): string {
  return fixed(x, 3);
}

/** FLOPs: "2.78e+9". */
export function flops(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

/** Token counts with thousands separated: "4,000", "1,000,000" (the same in every locale). */
export function tokens(x: number): string {
  return Number.isInteger(x) ? String(x).replace(/\B(?=(\d{3})+$)/g, ',') : String(x);
}

/** R_D*: "∞", "n/a" (NaN), "512", "31.2", "0.84". */
export function rValue(x: number): string {
  if (Number.isNaN(x)) return 'n/a';
  if (x === Infinity) return '∞';
  if (x >= 100) return String(Math.round(x));
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** "[494, 513]". */
export function rInterval(interval: readonly [number, number] | null): string {
  return interval === null ? '—' : `[${rValue(interval[0])}, ${rValue(interval[1])}]`;
}

/** An exponent or slope: "2.17". */
export function slope(x: number): string {
  return fixed(x, 2);
}
