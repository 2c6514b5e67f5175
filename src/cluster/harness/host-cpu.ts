/** Whole-machine CPU load from /proc/stat: how busy every core was between two samples. */
import { readFileSync } from 'node:fs';

export interface HostCpuSample {
  busy: number;
  total: number;
}

export function sampleHostCpu(): HostCpuSample {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Fraction 0..1 of all cores' time that was busy between the samples (0 when unknown). */
export function hostCpuBetween(a: HostCpuSample, b: HostCpuSample): number {
  const total = b.total - a.total;
  return total > 0 ? Math.min(1, Math.max(0, (b.busy - a.busy) / total)) : 0;
}
