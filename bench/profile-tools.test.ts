import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thisCheckout } from './lib/git-ref.js';

const dist = join(thisCheckout(), 'dist', 'bench');
const dir = mkdtempSync(join(tmpdir(), 'avsim-profile-tools-'));
const node = (id: number, functionName: string, url: string): unknown => ({ id, callFrame: { functionName, url, lineNumber: 9 } });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profile summaries', () => {
  it('heapsnapshot-summary counts the objects of a constructor in a real snapshot', () => {
    const file = join(dir, 'tiny.heapsnapshot');
    const make = spawnSync(
      process.execPath,
      ['-e', `class MarkerForTest { constructor(i) { this.i = i; } }; globalThis.keep = Array.from({ length: 5000 }, (_, i) => new MarkerForTest(i)); require('v8').writeHeapSnapshot(${JSON.stringify(file)});`],
      { encoding: 'utf8' },
    );
    expect(make.status).toBe(0);
    const r = spawnSync(process.execPath, [join(dist, 'heapsnapshot-summary.js'), file, '--top', '1000'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const row = r.stdout.split('\n').find((l) => /\| object\s+\| MarkerForTest\s+\|/.test(l));
    expect(row).toBeDefined();
    expect(row!.split('|').map((c) => c.trim())[3]).toBe('5,000');
  });

  it('cpuprofile-summary attributes self time to the sampled top frames', () => {
    const file = join(dir, 'tiny.cpuprofile');
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [node(1, '(root)', ''), node(2, 'hot', 'file:///x/dist/src/sim/a.js'), node(3, 'cold', 'file:///x/dist/src/sim/b.js'), node(4, '(garbage collector)', '')],
        samples: [2, 2, 2, 3, 4, 2],
        timeDeltas: [100, 100, 100, 100, 100, 100],
      }),
    );
    const r = spawnSync(process.execPath, [join(dist, 'cpuprofile-summary.js'), file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\| 66\.7 \| 0\.00 \| hot src\/sim\/a\.js:10\s+\|/);
    expect(r.stdout).toMatch(/\| 16\.7 \| 0\.00 \| \(garbage collector\)\s+\|/);
    const bad = spawnSync(process.execPath, [join(dist, 'cpuprofile-summary.js'), join(dir, 'missing.cpuprofile')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^cpuprofile-summary: .*missing\.cpuprofile: not a readable CPU profile/);
  });
});
