import { describe, expect, it } from 'vitest';
import { LivenessChecker, livenessSummary } from './liveness.js';

const BOUND = 1_000_000; // 1 s

describe('LivenessChecker', () => {
  it('without faults: accepted within bound of submission is ok, later is late', () => {
    const lc = new LivenessChecker({ boundUs: BOUND });
    lc.submitted(1, 0);
    lc.submitted(2, 100);
    lc.accepted(1, 1_000_000); // exactly the bound: fine
    lc.accepted(2, 1_000_101); // one µs over
    lc.accepted(99, 5); // unknown id: ignored
    const r = lc.finish(3_000_000);
    expect(r).toMatchObject({ ok: false, submitted: 2, accepted: 2, lateAccepted: 1, pending: 0, undecided: 0, maxLatencyUs: 1_000_001 });
    expect(r.examples).toEqual([{ tx: 2, submittedUs: 100, acceptedUs: 1_000_101 }]);
  });

  it('reports what stays undecided: count past the bound and the oldest age', () => {
    const lc = new LivenessChecker({ boundUs: BOUND });
    lc.submitted(1, 0);
    lc.submitted(2, 500_000);
    lc.submitted(3, 2_500_000);
    const r = lc.finish(3_000_000);
    expect(r).toMatchObject({ ok: false, pending: 3, undecided: 2, oldestPendingAgeUs: 3_000_000 });
    expect(livenessSummary(r)).toEqual({ ok: false, undecided: 2, lateAccepted: r.lateAccepted, boundMs: 1000 });
  });

  it('the bound restarts when the last fault heals', () => {
    const lc = new LivenessChecker({ boundUs: BOUND });
    lc.submitted(1, 0);
    lc.faultStarted(500_000);
    lc.faultStarted(600_000); // overlapping fault
    lc.faultHealed(4_000_000);
    lc.submitted(2, 4_100_000);
    lc.faultHealed(5_000_000); // last heal
    lc.accepted(1, 5_900_000); // 0.9 s after the heal: fine although 5.9 s after submission
    lc.accepted(2, 6_000_000); // exactly the bound after the heal: fine
    const r = lc.finish(10_000_000);
    expect(r).toMatchObject({ ok: true, lateAccepted: 0, undecided: 0, lastHealUs: 5_000_000, faultActiveAtEnd: false });
  });

  it('a later fault does not excuse an earlier stall', () => {
    const lc = new LivenessChecker({ boundUs: BOUND });
    lc.submitted(1, 0);
    lc.faultStarted(2_000_000); // tx 1 has already waited 2 s fault-free
    lc.faultHealed(3_000_000);
    lc.accepted(1, 3_100_000);
    expect(lc.finish(9_000_000)).toMatchObject({ ok: false, lateAccepted: 1 });
  });

  it('a fault still active at the end suspends the judgement of what is pending', () => {
    const lc = new LivenessChecker({ boundUs: BOUND });
    lc.submitted(1, 0);
    lc.faultStarted(100_000);
    const r = lc.finish(9_000_000);
    expect(r).toMatchObject({ ok: true, pending: 1, undecided: 0, faultActiveAtEnd: true, oldestPendingAgeUs: 9_000_000 });
  });

  it('rejects bad input and enforces its limit', () => {
    expect(() => new LivenessChecker({ boundUs: 0 })).toThrow('liveness: boundUs must be a positive integer');
    const lc = new LivenessChecker({ boundUs: BOUND, maxPending: 2 });
    lc.submitted(1, 10);
    expect(() => lc.submitted(2, 5)).toThrow('submissions must come in time order');
    lc.submitted(2, 20);
    expect(() => lc.submitted(3, 30)).toThrow('more than maxPending=2');
    expect(() => lc.faultHealed(40)).toThrow('faultHealed at 40 µs with no fault active');
    lc.finish(50);
    expect(() => lc.accepted(1, 60)).toThrow('already finished');
  });
});
