/**
 * A pair of token ids packed into one safe integer, a·2^24 + b, so that pair
 * counts and merge ranks can live in Maps keyed by numbers. Ids must stay
 * below 2^24 (MAX_PAIR_ID), far above any vocabulary depthlab trains.
 */
export const MAX_PAIR_ID = 1 << 24;

export function pairKey(a: number, b: number): number {
  return a * MAX_PAIR_ID + b;
}

export function pairLeft(key: number): number {
  return Math.floor(key / MAX_PAIR_ID);
}

export function pairRight(key: number): number {
  return key % MAX_PAIR_ID;
}
