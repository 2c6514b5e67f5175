import { describe, expect, it } from 'vitest';
import { OutstandingRequests } from './requests.js';

describe('OutstandingRequests', () => {
  it('indexes requests by request id and by container, one request per container', () => {
    const r = new OutstandingRequests<number>();
    r.add(1, { from: 3, id: 100, timer: 7 });
    r.add(2, { from: 4, id: 101, timer: 8 });
    expect([r.size, r.has(100), r.has(102), r.get(2)?.from]).toEqual([2, true, false, 4]);
    expect(r.removeId(100)).toEqual({ from: 3, id: 100, timer: 7 });
    expect([r.size, r.has(100), r.get(1)]).toEqual([1, false, undefined]);
    expect(r.remove(2)?.id).toBe(101);
    expect([r.size, r.has(101), r.remove(2), r.removeId(5)]).toEqual([0, false, undefined, undefined]);
    r.add(3, { from: 1, id: 9, timer: 1 });
    expect([...r.timers()].map((x) => x.timer)).toEqual([1]);
    r.clear();
    expect(r.size).toBe(0);
  });
});
