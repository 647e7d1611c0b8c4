/**
 * A binary max-heap of (count, pair) entries for BPE training, with lazy
 * deletion: the trainer pushes a fresh entry whenever a pair's count changes
 * and discards popped entries whose count is stale. Order: higher count
 * first; on equal counts the `before(keyA, keyB)` callback decides (the
 * trainer passes a lexicographic comparison of the pairs' token strings), so
 * the order is total and never depends on insertion or Map iteration order.
 */
export class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.counts.length;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    this.up(this.counts.length - 1);
  }

  /** The top entry, removed; undefined when empty. */
  pop(): { count: number; key: number } | undefined {
    const n = this.counts.length;
    if (n === 0) return undefined;
    const top = { count: this.counts[0] ?? 0, key: this.keys[0] ?? 0 };
    const lastCount = this.counts.pop() ?? 0;
    const lastKey = this.keys.pop() ?? 0;
    if (n > 1) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      this.down(0);
    }
    return top;
  }

  private higher(i: number, j: number): boolean {
    const ci = this.counts[i] ?? 0;
    const cj = this.counts[j] ?? 0;
    if (ci !== cj) return ci > cj;
    return this.before(this.keys[i] ?? 0, this.keys[j] ?? 0);
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i] ?? 0;
    const k = this.keys[i] ?? 0;
    this.counts[i] = this.counts[j] ?? 0;
    this.keys[i] = this.keys[j] ?? 0;
    this.counts[j] = c;
    this.keys[j] = k;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.higher(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.counts.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.higher(l, best)) best = l;
      if (r < n && this.higher(r, best)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
