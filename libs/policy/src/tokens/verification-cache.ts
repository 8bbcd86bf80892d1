/**
 * Successful verifications by token string, each until its token expires: a token is checked once, then served
 * from here for as long as it is valid. Bounded, least recently used first out, so a flood of distinct tokens
 * costs a verification each but never memory.
 */
export class VerificationCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string, nowMs = Date.now()): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) {
      return undefined;
    }
    this.entries.delete(token);
    if (entry.expiresAtMs <= nowMs) {
      return undefined;
    }
    // re-inserted: a Map iterates in insertion order, so the first key is always the least recently used
    this.entries.set(token, entry);
    return entry.value;
  }

  set(token: string, value: T, expiresAtMs: number): void {
    if (this.maxEntries <= 0) {
      return;
    }
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(token, { value, expiresAtMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
