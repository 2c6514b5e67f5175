import { describe, expect, it } from 'vitest';
import { shortDuration, TaskProgressLines, progressIntervalSeconds } from './progress-lines.js';

describe('progress lines into a log', () => {
  it('writes one line per finished task or per interval, whichever is less, with an ETA from the rate so far', () => {
    let now = 0;
    const lines: string[] = [];
    const p = new TaskProgressLines('sweep', (l) => lines.push(l), 60, () => now);
    // Fast tasks (every 10 s): one line a minute.
    for (let i = 1; i <= 12; i++) {
      now = i * 10_000;
      p.taskFinished(i, 20, 0, 2);
    }
    expect(lines).toEqual(['sweep: 6/20 finished, 2 running, 1m00s elapsed, ETA 2m20s', 'sweep: 12/20 finished, 2 running, 2m00s elapsed, ETA 1m20s']);
    // Slow tasks (every 5 min): one line per task.
    lines.length = 0;
    for (let i = 13; i <= 15; i++) {
      now += 300_000;
      p.taskFinished(i, 20, 1, 2);
    }
    expect(lines.map((l) => l.split(',')[0])).toEqual(['sweep: 13/20 finished (1 failed)', 'sweep: 14/20 finished (1 failed)', 'sweep: 15/20 finished (1 failed)']);
    // The last task prints nothing: the command's own summary follows.
    now += 300_000;
    p.taskFinished(20, 20, 1, 0);
    expect(lines).toHaveLength(3);
  });

  it('reads AVSIM_PROGRESS_INTERVAL and formats durations', () => {
    expect(progressIntervalSeconds({ AVSIM_PROGRESS_INTERVAL: '0' })).toBe(0);
    expect(progressIntervalSeconds({ AVSIM_PROGRESS_INTERVAL: 'soon' })).toBe(60);
    expect(progressIntervalSeconds({})).toBe(60);
    expect([shortDuration(12.4), shortDuration(185), shortDuration(3720), shortDuration(399 * 86_400)]).toEqual(['12s', '3m05s', '1h02m', '399d00h']);
  });
});
