/**
 * AvalancheGo's tree tests (snow/consensus/snowball/tree_test.go), scripted
 * one for one with the Snowball factory they use, plus the same shapes with
 * the Snowflake factory that Snowman uses.
 *
 * Ids: tests that build ids from bytes (`ids.ID{0x06}`) use the same number
 * here, whose bits are the same (id-bits.ts). Red, Blue, Green and the five
 * colours are AvalancheGo's `ids.Empty.Prefix(i)` (SHA-256 of the 8-byte
 * big-endian i and 32 zero bytes) cut to their first 48 bits read
 * little-endian: the same low bits, so the same trie. Printed bit ranges end
 * at 53 (a safe integer's bits) where AvalancheGo's end at 256.
 */
import { describe, expect, it } from 'vitest';
import { createStream } from '../../sim/rng.js';
import type { ConsensusParams } from '../params.js';
import { DEFAULT_PARAMS } from '../params.js';
import { decisionFactory, type DecisionKind } from './factory.js';
import { bitOf, equalSubset, firstDifference } from './id-bits.js';
import { SnowballTree } from './tree.js';

/** ids.Empty.Prefix(i) for i = 0..4, first 48 bits. */
const PREFIX_IDS = [65911068177452, 255697318119997, 70809660490473, 102112938825546, 115679921349215] as const;
const [Red, Blue, Green] = PREFIX_IDS;

const initialUnaryDescription = 'SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [0, 53)';

function p(k: number, alphaPreference: number, alphaConfidence: number, beta: number): ConsensusParams {
  return { ...DEFAULT_PARAMS, k, alphaPreference, alphaConfidence, beta, concurrentRepolls: 1 };
}

function newTree(params: ConsensusParams, choice: number, kind: DecisionKind = 'snowball'): SnowballTree {
  return new SnowballTree(decisionFactory(kind, params), params.alphaPreference, choice);
}

/** bag.Of: one vote per argument. */
function bagOf(...ids: number[]): Map<number, number> {
  const bag = new Map<number, number>();
  for (const id of ids) bag.set(id, (bag.get(id) ?? 0) + 1);
  return bag;
}

describe('id bits (ids.Bit, EqualSubset, FirstDifferenceSubset over integers)', () => {
  it('numbers bits least significant first, across the 32-bit word boundary', () => {
    expect([bitOf(0b0110, 0), bitOf(0b0110, 1), bitOf(0b0110, 2), bitOf(0b0110, 3)]).toEqual([0, 1, 1, 0]);
    expect([bitOf(2 ** 31, 31), bitOf(2 ** 32, 32), bitOf(2 ** 32, 0), bitOf(2 ** 52, 52), bitOf(2 ** 52 - 1, 51)]).toEqual([1, 1, 0, 1, 1]);
    // The AvalancheGo byte order: ids.ID{0x01} is bit 0, ids.ID{0x00, 0x01} is bit 8.
    expect([bitOf(0x01, 0), bitOf(0x0100, 8)]).toEqual([1, 1]);
  });

  it('finds the first differing bit inside [start, stop) only', () => {
    expect(firstDifference(0, 53, 0b1000, 0b0000)).toBe(3);
    expect(firstDifference(0, 3, 0b1000, 0b0000)).toBe(-1);
    expect(firstDifference(4, 53, 0b1000, 0b0000)).toBe(-1);
    expect(firstDifference(0, 53, 2 ** 40, 0)).toBe(40);
    expect(firstDifference(33, 53, 2 ** 40 + 1, 1)).toBe(40);
    expect(firstDifference(0, 53, 2 ** 31 + 4, 4)).toBe(31);
    expect(firstDifference(0, 53, 7, 7)).toBe(-1);
    expect(firstDifference(5, 5, 0, 2 ** 52)).toBe(-1);
    expect([equalSubset(0, 2, 0b100, 0b000), equalSubset(0, 3, 0b100, 0b000)]).toEqual([true, false]);
    // Red differs from Blue and Green at bit 0; Blue and Green next differ at bit 2 (TestSnowballTrinary's shape).
    expect([firstDifference(0, 53, Red, Blue), firstDifference(0, 53, Red, Green), firstDifference(0, 53, Blue, Green)]).toEqual([0, 0, 2]);
  });

  it('rejects ids that are not non-negative safe integers', () => {
    const params = p(1, 1, 1, 2);
    expect(() => newTree(params, -1)).toThrow('choice id must be a non-negative safe integer, got -1');
    expect(() => newTree(params, 1.5)).toThrow('got 1.5');
    expect(() => newTree(params, 0).add(2 ** 53)).toThrow('got 9007199254740992');
  });
});

describe('SnowballTree (tree_test.go)', () => {
  it('TestSnowballSingleton', () => {
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, Red);
    expect(tree.finalized()).toBe(false);
    const oneRed = bagOf(Red);
    expect(tree.recordPoll(oneRed)).toBe(true);
    expect(tree.finalized()).toBe(false);
    const empty = bagOf();
    expect(tree.recordPoll(empty)).toBe(false);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(oneRed)).toBe(true);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(oneRed)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(true);
    tree.add(Blue);
    expect(tree.finalized()).toBe(true);
    // Because the tree is already finalized, RecordPoll can return either true
    // or false.
    const oneBlue = bagOf(Blue);
    tree.recordPoll(oneBlue);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(true);
  });

  it('TestSnowballRecordUnsuccessfulPoll', () => {
    const params = p(1, 1, 1, 3);
    const tree = newTree(params, Red);
    expect(tree.finalized()).toBe(false);
    const oneRed = bagOf(Red);
    expect(tree.recordPoll(oneRed)).toBe(true);
    tree.recordUnsuccessfulPoll();
    expect(tree.recordPoll(oneRed)).toBe(true);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(oneRed)).toBe(true);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(oneRed)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(true);
  });

  it('TestSnowballBinary', () => {
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, Red);
    tree.add(Blue);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    const oneBlue = bagOf(Blue);
    expect(tree.recordPoll(oneBlue)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(false);
    const oneRed = bagOf(Red);
    expect(tree.recordPoll(oneRed)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(oneBlue)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(oneBlue)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(true);
  });

  it('TestSnowballFirstBinary', () => {
    const zero = 0;
    const one = 0x01;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, zero);
    tree.add(one);
    let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
    expect(tree.toString()).toBe(expected);
    expect(tree.preference()).toBe(zero);
    expect(tree.finalized()).toBe(false);
    const oneBag = bagOf(one);
    expect(tree.recordPoll(oneBag)).toBe(true);
    expect(tree.preference()).toBe(one);
    expect(tree.finalized()).toBe(false);
    expected = `SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [1, 53)`;
    expect(tree.toString()).toBe(expected);
    expect(tree.recordPoll(oneBag)).toBe(true);
    expect(tree.preference()).toBe(one);
    expect(tree.finalized()).toBe(true);
    expected = `SB(PreferenceStrength = 2, SF(Confidence = [2], Finalized = true)) Bits = [1, 53)`;
    expect(tree.toString()).toBe(expected);
  });

  it('TestSnowballAddDecidedFirstBit', () => {
    const zero = 0;
    const c1000 = 0x01;
    const c1100 = 0x03;
    const c0110 = 0x06;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, zero);
    tree.add(c1000);
    tree.add(c1100);
    let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
    expect(tree.toString()).toBe(expected);
    expect(tree.preference()).toBe(zero);
    expect(tree.finalized()).toBe(false);
    const oneBag = bagOf(c1000);
    expect(tree.recordPoll(oneBag)).toBe(true);
    expect(tree.preference()).toBe(c1000);
    expect(tree.finalized()).toBe(false);
    expected = `SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
    expect(tree.toString()).toBe(expected);
    const threeBag = bagOf(c1100);
    expect(tree.recordPoll(threeBag)).toBe(true);
    expect(tree.preference()).toBe(c1000);
    expect(tree.finalized()).toBe(false);
    expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 1
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)`;
    expect(tree.toString()).toBe(expected);
    // Adding six should have no effect because the first bit is already decided
    tree.add(c0110);
    expect(tree.toString()).toBe(expected);
  });

  it('TestSnowballAddPreviouslyRejected', () => {
    const zero = 0b00000000;
    const one = 0b00000001;
    const two = 0b00000010;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, zero);
    tree.add(two);
    {
      let expected = `SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [0, 1)
    SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    const zeroBag = bagOf(zero);
    expect(tree.recordPoll(zeroBag)).toBe(true);
    {
      let expected = `SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [0, 1)
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    const twoBag = bagOf(two);
    expect(tree.recordPoll(twoBag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 1
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    tree.add(one);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 1
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
  });

  it('TestSnowballNewUnary', () => {
    const zero = 0b00000000;
    const one = 0b00000001;
    const params = p(1, 1, 1, 3);
    const tree = newTree(params, zero);
    tree.add(one);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    const oneBag = bagOf(one);
    expect(tree.recordPoll(oneBag)).toBe(true);
    {
      let expected = `SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(one);
      expect(tree.finalized()).toBe(false);
    }
    expect(tree.recordPoll(oneBag)).toBe(true);
    {
      let expected = `SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 2, SF(Confidence = [2], Finalized = false, SL(Preference = 1))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(PreferenceStrength = 2, SF(Confidence = [2], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(one);
      expect(tree.finalized()).toBe(false);
    }
  });

  it('TestSnowballTransitiveReset', () => {
    const zero = 0b00000000;
    const two = 0b00000010;
    const eight = 0b00001000;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, zero);
    tree.add(two);
    tree.add(eight);
    {
      let expected = `SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [0, 1)
    SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 3)
            SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 3
                SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [4, 53)
                SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [4, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    const zeroBag = bagOf(zero);
    expect(tree.recordPoll(zeroBag)).toBe(true);
    {
      let expected = `SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [0, 1)
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 3)
            SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 3
                SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [4, 53)
                SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [4, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    const emptyBag = bagOf();
    expect(tree.recordPoll(emptyBag)).toBe(false);
    {
      let expected = `SB(PreferenceStrength = 1, SF(Confidence = [0], Finalized = false)) Bits = [0, 1)
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 3)
            SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 3
                SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [4, 53)
                SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [4, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    expect(tree.recordPoll(zeroBag)).toBe(true);
    {
      let expected = `SB(PreferenceStrength = 2, SF(Confidence = [1], Finalized = false)) Bits = [0, 1)
    SB(Preference = 0, PreferenceStrength[0] = 2, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 2, SF(Confidence = [1], Finalized = false)) Bits = [2, 3)
            SB(Preference = 0, PreferenceStrength[0] = 2, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 3
                SB(PreferenceStrength = 2, SF(Confidence = [1], Finalized = false)) Bits = [4, 53)
                SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [4, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(false);
    }
    expect(tree.recordPoll(zeroBag)).toBe(true);
    {
      let expected = `SB(PreferenceStrength = 3, SF(Confidence = [2], Finalized = true)) Bits = [4, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(zero);
      expect(tree.finalized()).toBe(true);
    }
  });

  it('TestSnowballTrinary', () => {
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, Green);
    tree.add(Red);
    tree.add(Blue);
    //       *
    //      / \
    //     R   *
    //        / \
    //       G   B
    expect(tree.preference()).toBe(Green);
    expect(tree.finalized()).toBe(false);
    const redBag = bagOf(Red);
    expect(tree.recordPoll(redBag)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    const blueBag = bagOf(Blue);
    expect(tree.recordPoll(blueBag)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    // Here is a case where voting for a color makes a different color become
    // the preferred color. This is intended behavior.
    const greenBag = bagOf(Green);
    expect(tree.recordPoll(greenBag)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(false);
    // Red has already been rejected here, so this is not a successful poll.
    expect(tree.recordPoll(redBag)).toBe(false);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(greenBag)).toBe(true);
    expect(tree.preference()).toBe(Green);
    expect(tree.finalized()).toBe(false);
  });

  it('TestSnowballCloseTrinary', () => {
    const yellow = 0x01;
    const cyan = 0x02;
    const magenta = 0x03;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, yellow);
    tree.add(cyan);
    tree.add(magenta);
    //       *
    //      / \
    //     C   *
    //        / \
    //       Y   M
    expect(tree.preference()).toBe(yellow);
    expect(tree.finalized()).toBe(false);
    const yellowBag = bagOf(yellow);
    expect(tree.recordPoll(yellowBag)).toBe(true);
    expect(tree.preference()).toBe(yellow);
    expect(tree.finalized()).toBe(false);
    const magentaBag = bagOf(magenta);
    expect(tree.recordPoll(magentaBag)).toBe(true);
    expect(tree.preference()).toBe(yellow);
    expect(tree.finalized()).toBe(false);
    // Cyan has already been rejected here, so these are not successful polls.
    const cyanBag = bagOf(cyan);
    expect(tree.recordPoll(cyanBag)).toBe(false);
    expect(tree.preference()).toBe(yellow);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(cyanBag)).toBe(false);
    expect(tree.preference()).toBe(yellow);
    expect(tree.finalized()).toBe(false);
  });

  it('TestSnowballResetChild', () => {
    const c0000 = 0x00;
    const c0100 = 0x02;
    const c1000 = 0x01;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, c0000);
    tree.add(c0100);
    tree.add(c1000);
    expect(tree.preference()).toBe(c0000);
    expect(tree.finalized()).toBe(false);
    const c0000Bag = bagOf(c0000);
    expect(tree.recordPoll(c0000Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    const emptyBag = bagOf();
    expect(tree.recordPoll(emptyBag)).toBe(false);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    expect(tree.recordPoll(c0000Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 2, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(Preference = 0, PreferenceStrength[0] = 2, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(PreferenceStrength = 2, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
  });

  it('TestSnowballResetSibling', () => {
    const c0000 = 0x00;
    const c0100 = 0x02;
    const c1000 = 0x01;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, c0000);
    tree.add(c0100);
    tree.add(c1000);
    expect(tree.preference()).toBe(c0000);
    expect(tree.finalized()).toBe(false);
    const c0100Bag = bagOf(c0100);
    expect(tree.recordPoll(c0100Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0100);
      expect(tree.finalized()).toBe(false);
    }
    const c1000Bag = bagOf(c1000);
    expect(tree.recordPoll(c1000Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 0
    SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0100);
      expect(tree.finalized()).toBe(false);
    }
    expect(tree.recordPoll(c0100Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 2, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 2, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 2, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0100);
      expect(tree.finalized()).toBe(false);
    }
  });

  it('TestSnowballFineGrained', () => {
    const c0000 = 0x00;
    const c1000 = 0x01;
    const c1100 = 0x03;
    const c0010 = 0x04;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, c0000);
    expect(tree.toString()).toBe(initialUnaryDescription);
    expect(tree.preference()).toBe(c0000);
    expect(tree.finalized()).toBe(false);
    tree.add(c1100);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    tree.add(c1000);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 1))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    tree.add(c0010);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 2)
        SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 2
            SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
            SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
    SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 1))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    const c0000Bag = bagOf(c0000);
    expect(tree.recordPoll(c0000Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [1, 2)
        SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 2
            SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [3, 53)
            SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
    SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 1))) Bit = 1
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    const c0010Bag = bagOf(c0010);
    expect(tree.recordPoll(c0010Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 2
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [3, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [3, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    expect(tree.recordPoll(c0010Bag)).toBe(true);
    {
      let expected = `SB(PreferenceStrength = 2, SF(Confidence = [2], Finalized = true)) Bits = [3, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0010);
      expect(tree.finalized()).toBe(true);
    }
  });

  it('TestSnowballDoubleAdd', () => {
    const params = p(1, 1, 1, 3);
    const tree = newTree(params, Red);
    tree.add(Red);
    expect(tree.toString()).toBe(initialUnaryDescription);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
  });

  it('TestSnowballFilterBinaryChildren', () => {
    const c0000 = 0b00000000;
    const c1000 = 0b00000001;
    const c0100 = 0b00000010;
    const c0010 = 0b00000100;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, c0000);
    expect(tree.toString()).toBe(initialUnaryDescription);
    expect(tree.preference()).toBe(c0000);
    expect(tree.finalized()).toBe(false);
    tree.add(c1000);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    tree.add(c0010);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 2)
        SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 2
            SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
            SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    const c0000Bag = bagOf(c0000);
    expect(tree.recordPoll(c0000Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [1, 2)
        SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 2
            SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [3, 53)
            SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    tree.add(c0100);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 0
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 1
        SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 2
            SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [3, 53)
            SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [2, 53)
    SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [1, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
    const c0100Bag = bagOf(c0100);
    expect(tree.recordPoll(c0100Bag)).toBe(true);
    {
      let expected = `SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 1
    SB(Preference = 0, PreferenceStrength[0] = 1, PreferenceStrength[1] = 0, SF(Confidence = [1], Finalized = false, SL(Preference = 0))) Bit = 2
        SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [3, 53)
        SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [3, 53)
    SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [2, 53)`;
      expect(tree.toString()).toBe(expected);
      expect(tree.preference()).toBe(c0000);
      expect(tree.finalized()).toBe(false);
    }
  });

  it('TestSnowballRecordPreferencePollBinary', () => {
    const params = p(3, 2, 3, 2);
    const tree = newTree(params, Red);
    tree.add(Blue);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    const threeBlue = bagOf(Blue, Blue, Blue);
    expect(tree.recordPoll(threeBlue)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(false);
    const twoRed = bagOf(Red, Red);
    expect(tree.recordPoll(twoRed)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(false);
    const threeRed = bagOf(Red, Red, Red);
    expect(tree.recordPoll(threeRed)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(threeRed)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(true);
  });

  it('TestSnowballRecordPreferencePollUnary', () => {
    const params = p(3, 2, 3, 2);
    const tree = newTree(params, Red);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    const twoRed = bagOf(Red, Red);
    expect(tree.recordPoll(twoRed)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    tree.add(Blue);
    const threeBlue = bagOf(Blue, Blue, Blue);
    expect(tree.recordPoll(threeBlue)).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(threeBlue)).toBe(true);
    expect(tree.preference()).toBe(Blue);
    expect(tree.finalized()).toBe(true);
  });

  it('TestSnowballLastBinary', () => {
    // AvalancheGo's `one` sets only the last of its 256 bits; here the last of 53.
    const zero = 0;
    const one = 2 ** 52;
    const params = p(1, 1, 1, 2);
    const tree = newTree(params, zero);
    tree.add(one);
    // Should do nothing
    tree.add(one);
    let expected = `SB(PreferenceStrength = 0, SF(Confidence = [0], Finalized = false)) Bits = [0, 52)
    SB(Preference = 0, PreferenceStrength[0] = 0, PreferenceStrength[1] = 0, SF(Confidence = [0], Finalized = false, SL(Preference = 0))) Bit = 52`;
    expect(tree.toString()).toBe(expected);
    expect(tree.preference()).toBe(zero);
    expect(tree.finalized()).toBe(false);
    const oneBag = bagOf(one);
    expect(tree.recordPoll(oneBag)).toBe(true);
    expect(tree.preference()).toBe(one);
    expect(tree.finalized()).toBe(false);
    expected = `SB(PreferenceStrength = 1, SF(Confidence = [1], Finalized = false)) Bits = [0, 52)
    SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 1, SF(Confidence = [1], Finalized = false, SL(Preference = 1))) Bit = 52`;
    expect(tree.toString()).toBe(expected);
    expect(tree.recordPoll(oneBag)).toBe(true);
    expect(tree.preference()).toBe(one);
    expect(tree.finalized()).toBe(true);
    expected = 'SB(Preference = 1, PreferenceStrength[0] = 0, PreferenceStrength[1] = 2, SF(Confidence = [2], Finalized = true, SL(Preference = 1))) Bit = 52';
    expect(tree.toString()).toBe(expected);
  });

  it('TestSnowball5Colors', () => {
    const params = p(5, 5, 5, 20);
    const colors = [...PREFIX_IDS];
    const tree0 = newTree(params, colors[4]!);
    for (const i of [0, 1, 2, 3]) tree0.add(colors[i]!);
    const tree1 = newTree(params, colors[3]!);
    for (const i of [0, 1, 2, 4]) tree1.add(colors[i]!);
    // The trie's shape does not depend on the order of insertion.
    expect(indents(tree0.toString())).toBe(indents(tree1.toString()));
    expect(tree0.toString().split('\n')).toHaveLength(tree1.toString().split('\n').length);
  });

  it('TestSnowballConsistent: 100 nodes on 50 colours agree (K=20, alpha=15, beta=20)', () => {
    // network_test.go: each node adds every colour in a random order; each
    // round one running node polls K uniform nodes' preferences.
    for (const seed of [0, 1, 2]) {
      const rng = createStream(seed, -1, 'consensus');
      const params = p(20, 15, 15, 20);
      const colors = Array.from({ length: 50 }, (_, i) => i * 2 ** 20 + ((i * 2_654_435_761) % 2 ** 20));
      const nodes: SnowballTree[] = [];
      for (let n = 0; n < 100; n++) {
        const order = shuffled(colors, rng);
        const t = newTree(params, order[0]!);
        for (const c of order.slice(1)) t.add(c);
        nodes.push(t);
      }
      const running = [...nodes];
      let rounds = 0;
      while (running.length > 0 && !disagreement(nodes) && rounds++ < 1_000_000) {
        const i = rng.int(running.length);
        const sample = shuffled(nodes, rng).slice(0, params.k);
        running[i]!.recordPoll(bagOf(...sample.map((s) => s.preference())));
        if (running[i]!.finalized()) running.splice(i, 1);
      }
      expect(running).toHaveLength(0);
      expect(new Set(nodes.map((t) => t.preference())).size).toBe(1);
    }
  });
});

describe('SnowballTree with the Snowflake factory (what Snowman uses)', () => {
  it('TestSnowballTrinary shape: a vote for Green makes Blue preferred, then Red is rejected', () => {
    const tree = newTree(p(1, 1, 1, 2), Green, 'snowflake');
    tree.add(Red);
    tree.add(Blue);
    expect(tree.recordPoll(bagOf(Red))).toBe(true);
    expect(tree.preference()).toBe(Red);
    expect(tree.recordPoll(bagOf(Blue))).toBe(true);
    // Snowflake follows the last success (Snowball kept Red on strength).
    expect(tree.preference()).toBe(Blue);
    // Red's unary keeps its confidence until votes reach it again (lazy reset).
    expect(tree.toString()).toBe(`SF(Confidence = [1], Finalized = false, SL(Preference = 1)) Bit = 0
    SF(Confidence = [1], Finalized = false) Bits = [1, 53)
    SF(Confidence = [1], Finalized = false) Bits = [1, 2)
        SF(Confidence = [1], Finalized = false, SL(Preference = 1)) Bit = 2
            SF(Confidence = [0], Finalized = false) Bits = [3, 53)
            SF(Confidence = [1], Finalized = false) Bits = [3, 53)`);
    expect(tree.recordPoll(bagOf(Green))).toBe(true);
    // Bit 0 and the shared bit 1 finalised on {Green, Blue}: Red is rejected and
    // the root is the binary node at bit 2, where Green's switch reset confidence.
    expect(tree.preference()).toBe(Green);
    expect(tree.toString().split('\n')[0]).toBe('SF(Confidence = [1], Finalized = false, SL(Preference = 0)) Bit = 2');
    // A vote for rejected Red is filtered out: an empty, unsuccessful poll.
    expect(tree.recordPoll(bagOf(Red))).toBe(false);
    expect(tree.confidence()).toEqual([0]);
    expect(tree.recordPoll(bagOf(Green))).toBe(true);
    expect(tree.finalized()).toBe(false);
    expect(tree.recordPoll(bagOf(Green))).toBe(true);
    expect([tree.preference(), tree.finalized()]).toEqual([Green, true]);
    tree.add(Red);
    expect(tree.preference()).toBe(Green);
  });

  it('counts a group of siblings sharing a prefix together: 2+2 votes reach alpha 3 for their prefix', () => {
    // 0b000 and 0b100 share bits 0-1; 0b001 differs at bit 0.
    const tree = newTree(p(5, 3, 3, 2), 0b001, 'snowflake');
    tree.add(0b000);
    tree.add(0b100);
    const split = new Map([[0b000, 2], [0b100, 2], [0b001, 1]]);
    // Bit 0: side 0 holds 4 >= 3 votes: success, preference moves to that side (its preferred member 0b000).
    expect(tree.recordPoll(split)).toBe(true);
    expect(tree.preference()).toBe(0b000);
    // Neither member reached 3, so the binary node at bit 2 failed; the prefix is still preferred.
    expect(tree.recordPoll(split)).toBe(true);
    expect(tree.finalized()).toBe(false);
    expect(tree.toString().split('\n')[0]).toBe('SF(Confidence = [0], Finalized = false, SL(Preference = 0)) Bit = 2');
  });
});

function indents(s: string): number {
  return s.split('    ').length - 1;
}

function shuffled<T>(xs: readonly T[], rng: { int(n: number): number }): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function disagreement(nodes: readonly SnowballTree[]): boolean {
  const decided = new Set(nodes.filter((t) => t.finalized()).map((t) => t.preference()));
  return decided.size > 1;
}
