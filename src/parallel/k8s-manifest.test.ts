import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseShard } from './shard.js';

const deploy = (name: string) => fileURLToPath(new URL(`../../deploy/k8s/${name}`, import.meta.url));
const docs = (name: string) => parseAllDocuments(readFileSync(deploy(name), 'utf8')).map((d) => d.toJS() as Record<string, any>);

describe('deploy/k8s manifests', () => {
  const [pvc, job] = docs('sweep-job.yaml');
  const [merge] = docs('merge-job.yaml');

  it('sweep-job.yaml is an Indexed Job with one pod per shard, N written consistently', () => {
    expect(pvc?.kind).toBe('PersistentVolumeClaim');
    expect(pvc?.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(job?.kind).toBe('Job');
    expect(job?.spec.completionMode).toBe('Indexed');
    expect(job?.spec.parallelism).toBe(job?.spec.completions);
    const container = job?.spec.template.spec.containers[0];
    const env = Object.fromEntries((container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    expect(Number(env.SHARDS)).toBe(job?.spec.completions);
    const script = (container.args as string[]).join(' ');
    expect(script).toContain('avsim sweep "$SCENARIO"');
    expect(script).toContain('--shard "$JOB_COMPLETION_INDEX/$SHARDS"');
    expect(script).toContain('--out "/results/shard-$JOB_COMPLETION_INDEX"');
    expect(script).toContain('--resume');
    // What the shell hands to --shard in the last pod is a valid shard.
    expect(parseShard(`${job?.spec.completions - 1}/${env.SHARDS}`)).toEqual({ index: 3, count: 4 });
    // Run the pod's shell line for pod 2, with `avsim` replaced by a function that prints its arguments.
    const printed = execFileSync('sh', ['-c', `avsim() { printf '%s\\n' "$@"; }; ${script.replace(/^exec /, '')}`], {
      env: { ...env, PATH: process.env.PATH ?? '', JOB_COMPLETION_INDEX: '2' },
      encoding: 'utf8',
    });
    expect(printed.trimEnd().split('\n')).toEqual(['sweep', 'experiments/default.yaml', '--shard', '2/4', '--out', '/results/shard-2', '--workers', '2', '--resume']);
    expect(container.volumeMounts[0].mountPath).toBe('/results');
    expect(job?.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(pvc?.metadata.name);
    expect(job?.spec.template.spec.restartPolicy).toBe('Never'); // required by backoffLimitPerIndex and podFailurePolicy
  });

  it('merge-job.yaml merges every shard directory from the same volume', () => {
    expect(merge?.kind).toBe('Job');
    const container = merge?.spec.template.spec.containers[0];
    expect((container.args as string[]).join(' ')).toContain('avsim merge /results/shard-* --out /results/merged');
    expect(merge?.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(pvc?.metadata.name);
  });
});
