import { describe, expect, it } from 'vitest';
import { BiMap } from './bimap.js';

describe('BiMap', () => {
  it('keeps both directions in step, replacing pairs that share a key or a value', () => {
    const m = new BiMap<number, string>();
    m.set(1, 'a');
    m.set(2, 'b');
    expect([m.valueOf(1), m.keyOf('b'), m.size]).toEqual(['a', 2, 2]);
    m.set(1, 'b'); // replaces (1, a) and (2, b)
    expect([m.valueOf(1), m.keyOf('b'), m.hasKey(2), m.hasValue('a'), m.size]).toEqual(['b', 1, false, false, 1]);
    expect(m.deleteValue('b')).toBe(1);
    expect([m.hasKey(1), m.size]).toEqual([false, 0]);
    m.set(3, 'c');
    expect(m.deleteKey(3)).toBe('c');
    expect(m.deleteKey(3)).toBeUndefined();
    expect(m.keyOf('c')).toBeUndefined();
  });
});
