/**
 * A bounded cache with two generations: hits in the young one cost one Map lookup, entries unused for a whole
 * generation are dropped. Near-LRU behaviour without reordering on every hit (this sits on the hot path).
 */
export class GenerationalCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly generationSize: number) {}

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) {
      return value;
    }
    const promoted = this.old.get(key);
    if (promoted !== undefined) {
      this.set(key, promoted);
    }
    return promoted;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
