import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../params.js';
import { BinarySnowball } from './binary-snowball.js';
import { DECISION_KINDS, decisionFactory } from './factory.js';
import { NnarySnowball } from './nnary-snowball.js';
import { BinarySlush, NnarySlush } from './slush.js';
import { BinarySnowflake, NnarySnowflake } from './snowflake.js';
import { UnarySnowball, UnarySnowflake } from './unary.js';

describe('decision factory', () => {
  it('builds the algorithm named by the kind', () => {
    const sf = decisionFactory('snowflake', DEFAULT_PARAMS);
    expect(sf.newNnary(1)).toBeInstanceOf(NnarySnowflake);
    expect(sf.newBinary(0)).toBeInstanceOf(BinarySnowflake);
    expect(sf.newUnary()).toBeInstanceOf(UnarySnowflake);
    const sb = decisionFactory('snowball', DEFAULT_PARAMS);
    expect(sb.newNnary(1)).toBeInstanceOf(NnarySnowball);
    expect(sb.newBinary(0)).toBeInstanceOf(BinarySnowball);
    expect(sb.newUnary()).toBeInstanceOf(UnarySnowball);
    const sl = decisionFactory('slush', DEFAULT_PARAMS);
    expect(sl.newNnary(1)).toBeInstanceOf(NnarySlush);
    expect(sl.newBinary(1)).toBeInstanceOf(BinarySlush);
    expect(() => sl.newUnary()).toThrow('decision kind slush has no unary instance');
    expect(DECISION_KINDS).toEqual(['slush', 'snowflake', 'snowball']);
  });

  it('uses the parameters: default Snowflake finalises after exactly Beta=20 polls of 15 votes', () => {
    const inst = decisionFactory('snowflake', DEFAULT_PARAMS).newNnary(42);
    for (let i = 1; i < 20; i++) inst.recordPoll(15, 42);
    expect([inst.finalized(), [...inst.confidence()]]).toEqual([false, [19]]);
    inst.recordPoll(15, 42);
    expect(inst.finalized()).toBe(true);
    inst.recordPoll(14, 7);
    expect(inst.preference()).toBe(42);
  });

  it('passes several termination conditions to every instance', () => {
    const p = {
      ...DEFAULT_PARAMS,
      terminationConditions: [
        { alphaConfidence: 15, beta: 20 },
        { alphaConfidence: 18, beta: 10 },
      ],
    };
    const inst = decisionFactory('snowball', p).newBinary(1);
    for (let i = 0; i < 10; i++) inst.recordPoll(18, 1);
    expect([inst.finalized(), [...inst.confidence()]]).toEqual([true, [10, 10]]);
  });
});
