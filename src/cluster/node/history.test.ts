import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryFile, lastReported, outstandingSubmissions } from './history.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'avsim-history-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('lastReported', () => {
  it('is height 0 at time 0 for a missing or empty history', () => {
    const d = tmp();
    expect(lastReported(join(d, 'none.jsonl'))).toEqual({ height: 0, lastT: 0 });
    writeFileSync(join(d, 'empty.jsonl'), '');
    expect(lastReported(join(d, 'empty.jsonl'))).toEqual({ height: 0, lastT: 0 });
  });

  it('finds the last chk line and the last line time, skipping a line torn by a kill', () => {
    const d = tmp();
    const path = join(d, 'h.jsonl');
    const h = new HistoryFile(path);
    h.append({ k: 'chk', n: 0, t: 10, in: { id: 5, height: 1 } });
    h.append({ k: 'chk', n: 0, t: 20, in: { id: 9, height: 2 } });
    h.append({ k: 'sub', n: 0, t: 30, tx: 4 });
    h.close();
    appendFileSync(path, '{"k":"chk","n":0,"t":40,"in":{"id":1');
    expect(lastReported(path)).toEqual({ height: 2, lastT: 30 });
  });

  it('reads back across 64 KiB steps to a chk line far from the end', () => {
    const d = tmp();
    const path = join(d, 'h.jsonl');
    const h = new HistoryFile(path);
    h.append({ k: 'chk', n: 0, t: 1, in: { id: 3, height: 7 } });
    for (let i = 0; i < 5_000; i++) h.append({ k: 'sub', n: 0, t: 2 + i, tx: i });
    h.close();
    expect(lastReported(path)).toEqual({ height: 7, lastT: 5_001 });
  });
});

describe('outstandingSubmissions', () => {
  it('is every submitted transaction no acc line reported, across incarnations and 1 MiB read steps, a torn last line skipped', () => {
    const d = tmp();
    const path = join(d, 'h.jsonl');
    expect(outstandingSubmissions(path)).toEqual(new Set());
    // 40,000 submissions (over 2 MiB of lines with the stats), all accepted but two, as HistoryFile writes them.
    const lines = [JSON.stringify({ k: 'boot', n: 2, t: 0, inc: 1, h: 0, last: 0 })];
    for (let tx = 1; tx <= 40_000; tx++) {
      lines.push(JSON.stringify({ k: 'sub', n: 2, t: tx * 10, tx, it: tx * 10 - 1 }), JSON.stringify({ k: 'stats', n: 2, t: tx * 10, inc: 1, note: 'x'.repeat(20) }));
      if (tx !== 17 && tx !== 39_998) lines.push(JSON.stringify({ k: 'acc', n: 2, t: tx * 10 + 5, tx }));
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    const h = new HistoryFile(path);
    h.append({ k: 'boot', n: 2, t: 500_000, inc: 2, h: 10, last: 9 });
    h.append({ k: 'sub', n: 2, t: 500_010, tx: 50_001 });
    h.append({ k: 'acc', n: 2, t: 500_020, tx: 17 });
    h.close();
    appendFileSync(path, '{"k":"acc","n":2,"t":500030,"tx":50');
    expect([...outstandingSubmissions(path)]).toEqual([39_998, 50_001]);
  });
});
