/**
 * A small least-recently-used cache keyed by time t: samplers evaluate a score
 * at a few hundred distinct times, and the per-t work (factorisations,
 * calibrations) is worth keeping between calls. Map order is the recency order.
 */
export function timeCache<V>(capacity: number, make: (t: number) => V): (t: number) => V {
  const size = Math.max(1, capacity);
  const cache = new Map<number, V>();
  return (t) => {
    const hit = cache.get(t);
    if (hit !== undefined) {
      cache.delete(t);
      cache.set(t, hit);
      return hit;
    }
    const made = make(t);
    if (cache.size >= size) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(t, made);
    return made;
  };
}
