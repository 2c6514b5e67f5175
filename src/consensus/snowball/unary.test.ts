import { describe, expect, it } from 'vitest';
import { UnarySnowball, UnarySnowflake } from './unary.js';

const single = [{ alphaConfidence: 15, beta: 3 }];

describe('unary Snowflake / Snowball', () => {
  it('counts consecutive polls at alphaConfidence and resets on an unsuccessful poll', () => {
    const u = new UnarySnowflake(15, single);
    u.recordPoll(15);
    u.recordPoll(16);
    expect(u.confidence()).toEqual([2]);
    u.recordUnsuccessfulPoll();
    expect(u.confidence()).toEqual([0]);
    u.recordPoll(15);
    u.recordPoll(14); // below alphaConfidence
    expect(u.confidence()).toEqual([0]);
    u.recordPoll(15);
    u.recordPoll(15);
    expect(u.finalized()).toBe(false);
    u.recordPoll(15);
    expect(u.finalized()).toBe(true);
  });

  it('extend keeps confidence; the binary instance then resets on a change of preference', () => {
    const u = new UnarySnowflake(15, single);
    u.recordPoll(15);
    u.recordPoll(15);
    const b = u.extend(1);
    expect([b.preference(), [...b.confidence()], b.finalized()]).toEqual([1, [2], false]);
    b.recordPoll(15, 1);
    expect([b.preference(), b.finalized()]).toEqual([1, true]);
    const c = u.extend(0);
    c.recordPoll(15, 1);
    expect([c.preference(), [...c.confidence()], c.finalized()]).toEqual([1, [1], false]);
    // The unary instance itself is untouched by its extensions.
    expect(u.confidence()).toEqual([2]);
  });

  it('clone is independent', () => {
    const u = new UnarySnowflake(15, single);
    u.recordPoll(15);
    const v = u.clone();
    v.recordPoll(15);
    expect([u.confidence(), v.confidence()]).toEqual([[1], [2]]);
  });

  it('unary Snowball carries its preference strength into the binary instance', () => {
    const u = new UnarySnowball(15, single);
    u.recordPoll(15);
    u.recordUnsuccessfulPoll();
    u.recordPoll(12); // below AlphaPreference: no strength
    u.recordPoll(15);
    expect(u.preferenceStrength()).toBe(2);
    const b = u.extend(0);
    b.recordPoll(15, 1); // strength 0:2 1:1
    b.recordPoll(15, 1); // 2:2 tie keeps 0
    expect([b.preference(), [...b.confidence()]]).toEqual([0, [2]]);
    b.recordPoll(15, 1); // 2:3, and snowflake finalises on 1
    expect([b.preference(), b.finalized()]).toEqual([1, true]);
    const f = new UnarySnowflake(15, single).extend(0);
    f.recordPoll(15, 1);
    expect(f.preference()).toBe(1); // snowflake: the last successful choice
    expect((u.clone() as UnarySnowball).preferenceStrength()).toBe(2);
  });
});
