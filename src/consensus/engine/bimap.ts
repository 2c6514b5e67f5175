/**
 * A one-to-one map kept consistent in both directions (AvalancheGo
 * utils/bimap): setting a pair replaces any pair that shared its key or its
 * value.
 */
export class BiMap<K, V> {
  private readonly byKey = new Map<K, V>();
  private readonly byValue = new Map<V, K>();

  get size(): number {
    return this.byKey.size;
  }

  set(key: K, value: V): void {
    this.deleteKey(key);
    this.deleteValue(value);
    this.byKey.set(key, value);
    this.byValue.set(value, key);
  }

  valueOf(key: K): V | undefined {
    return this.byKey.get(key);
  }

  keyOf(value: V): K | undefined {
    return this.byValue.get(value);
  }

  hasKey(key: K): boolean {
    return this.byKey.has(key);
  }

  hasValue(value: V): boolean {
    return this.byValue.has(value);
  }

  /** Removes the pair with this key; returns its value. */
  deleteKey(key: K): V | undefined {
    const v = this.byKey.get(key);
    if (v === undefined && !this.byKey.has(key)) return undefined;
    this.byKey.delete(key);
    this.byValue.delete(v as V);
    return v;
  }

  /** Removes the pair with this value; returns its key. */
  deleteValue(value: V): K | undefined {
    const k = this.byValue.get(value);
    if (k === undefined && !this.byValue.has(value)) return undefined;
    this.byValue.delete(value);
    this.byKey.delete(k as K);
    return k;
  }

  clear(): void {
    this.byKey.clear();
    this.byValue.clear();
  }
}
