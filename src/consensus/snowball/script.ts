/**
 * Scripted poll sequences for tests of decision instances: each step applies
 * one poll (or an unsuccessful poll) and states the preference, confidence
 * and finalisation expected right after it. Pure (no test framework), so the
 * tests of every algorithm can share it.
 */
export type Step<C> =
  | readonly [op: 'poll', count: number, choice: C, pref: C, conf: readonly number[], final: boolean]
  | readonly [op: 'fail', pref: C, conf: readonly number[], final: boolean];

export interface Scriptable<C> {
  recordPoll(count: number, choice: C): void;
  recordUnsuccessfulPoll(): void;
  preference(): C;
  confidence(): readonly number[];
  finalized(): boolean;
}

/** Runs the steps; returns one line per step whose observed state differs (empty when all match). */
export function checkScript<C>(inst: Scriptable<C>, steps: readonly Step<C>[]): string[] {
  const mismatches: string[] = [];
  steps.forEach((s, i) => {
    let want: { pref: C; conf: readonly number[]; final: boolean };
    if (s[0] === 'poll') {
      inst.recordPoll(s[1], s[2]);
      want = { pref: s[3], conf: s[4], final: s[5] };
    } else {
      inst.recordUnsuccessfulPoll();
      want = { pref: s[1], conf: s[2], final: s[3] };
    }
    const got = { pref: inst.preference(), conf: [...inst.confidence()], final: inst.finalized() };
    const same =
      got.pref === want.pref &&
      got.final === want.final &&
      got.conf.length === want.conf.length &&
      got.conf.every((v, j) => v === want.conf[j]);
    if (!same) mismatches.push(`step ${i} ${JSON.stringify(s)}: got ${JSON.stringify(got)}`);
  });
  return mismatches;
}
