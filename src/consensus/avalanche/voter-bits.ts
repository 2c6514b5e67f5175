/**
 * Sets of poll responder slots as bits in one flat, reusable Uint32Array
 * (AvalancheGo's UniqueBag values, set.Bits64, without the 64-slot limit):
 * set i occupies words [i·w, (i+1)·w), w = ceil(slots / 32). Sets are
 * allocated per poll and all released at once by reset().
 */
export class VoterBits {
  private words = new Uint32Array(256);
  private w = 1;
  private used = 0;

  /** Starts a poll of `slots` responder slots; forgets every set. */
  reset(slots: number): void {
    this.w = Math.max(1, Math.ceil(slots / 32));
    this.used = 0;
  }

  /** A new empty set; returns its index. */
  alloc(): number {
    const need = (this.used + 1) * this.w;
    if (need > this.words.length) {
      const grown = new Uint32Array(Math.max(need, this.words.length * 2));
      grown.set(this.words.subarray(0, this.used * this.w));
      this.words = grown;
    }
    this.words.fill(0, this.used * this.w, need);
    return this.used++;
  }

  add(set: number, slot: number): void {
    this.words[set * this.w + (slot >>> 5)]! |= 1 << (slot & 31);
  }

  /** into |= from */
  union(into: number, from: number): void {
    const { words, w } = this;
    const a = into * w;
    const b = from * w;
    for (let i = 0; i < w; i++) words[a + i]! |= words[b + i]!;
  }

  size(set: number): number {
    const { words, w } = this;
    let n = 0;
    for (let i = set * w, end = i + w; i < end; i++) n += popcount(words[i]!);
    return n;
  }

  /** |set \ (others[0] ∪ others[1] ∪ …)| */
  sizeWithout(set: number, others: readonly number[]): number {
    if (others.length === 0) return this.size(set);
    const { words, w } = this;
    let n = 0;
    for (let i = 0; i < w; i++) {
      let minus = 0;
      for (const o of others) minus |= words[o * w + i]!;
      n += popcount(words[set * w + i]! & ~minus);
    }
    return n;
  }
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
