/**
 * A small seeded PRNG (sfc32, seeded through cyrb128): the same seed and stream name always give the same
 * sequence, on every machine and Node version, so generated data is reproducible byte for byte.
 */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** One independent stream per (seed, name): e.g. `new Random(42, 'client:17')`. */
  constructor(seed: number | string, stream = '') {
    [this.a, this.b, this.c, this.d] = cyrb128(`${seed}/${stream}`);
    for (let i = 0; i < 12; i++) {
      this.uint32();
    }
  }

  /** A derived, independent stream: the parent's sequence is not consumed. */
  static of(seed: number | string, ...path: (string | number)[]): Random {
    return new Random(seed, path.join(':'));
  }

  uint32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const result = (t + this.d) | 0;
    this.c = (this.c + result) | 0;
    return result >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new Error('pick from an empty list');
    }
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by integer weights: `weighted([['A', 3], ['B', 1]])` gives A three times as often. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) {
        return value;
      }
    }
    return choices[choices.length - 1][0];
  }

  /** Up to `count` distinct items drawn one after another by weight (without replacement). */
  weightedSample<T>(choices: readonly (readonly [T, number])[], count: number): T[] {
    const pool = [...choices];
    const out: T[] = [];
    while (out.length < count && pool.length) {
      const total = pool.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = this.next() * total;
      let index = 0;
      while (index < pool.length - 1 && roll >= pool[index][1]) {
        roll -= pool[index][1];
        index++;
      }
      out.push(pool[index][0]);
      pool.splice(index, 1);
    }
    return out;
  }

  /** Up to `count` distinct items, in a random order (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }

  /** Lower-case hexadecimal string of `length` characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += this.uint32().toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }
}
