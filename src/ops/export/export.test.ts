import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseScenarioText } from '../../scenario/load.js';
import { deployFile } from '../package-root.js';
import { chaosWorkflow } from './chaos-mesh.js';
import { exportScenario } from './export.js';
import { faultIntervals } from './fault-intervals.js';
import { DEFAULT_EXPORT_OPTIONS } from './files.js';
import { maxUnavailable } from './k8s.js';
import { DATA_DIR, CONFIG_DIR } from './node-spec.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'avsim-export-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SCENARIO = `
name: export-7
duration: 2m
seeds: [5]
nodes: { count: 7 }
parameters: { k: 7, alphaPreference: 5, alphaConfidence: 5, beta: 6 }
workload: { phases: [{ kind: constant, rateTps: 50, duration: 2m }] }
faults:
  - { kind: kill, at: 10s, for: 5s, nodes: one }
  - { kind: pause, at: 30s, for: 2s, nodes: { ids: [2] } }
  - { kind: partition, at: 40s, nodes: { ids: [0, 1] } }
  - { kind: heal, at: 50s }
  - { kind: loss, at: 60s, for: 10s, rate: 0.2 }
  - { kind: delay, at: 70s, for: 10s, nodes: { ids: [3] }, extra: 150ms }
  - { kind: restart, at: 90s, nodes: { ids: [6] } }
  - { kind: kill, at: 100s, nodes: { ids: [5] } }
`;
const loaded = parseScenarioText(SCENARIO);
const input = { scenario: loaded.scenario, input: loaded.input, seed: 5, realSignatures: false };

const MODELS: Record<string, { new (data: never): { validate(): void } }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Validates one parsed manifest against the Kubernetes OpenAPI schema of its kind (kubernetes-models). */
function validateK8s(doc: Record<string, unknown>): void {
  const Model = MODELS[`${String(doc.apiVersion)}/${String(doc.kind)}`];
  if (Model === undefined) throw new Error(`no schema for ${String(doc.apiVersion)} ${String(doc.kind)}`);
  new Model(doc as never).validate();
}

const chaosSchema = JSON.parse(readFileSync(deployFile('chaos-mesh', 'workflow.schema.json'), 'utf8')) as Record<string, unknown>;
const validateChaos = new Ajv({ strict: false, allErrors: true }).compile(chaosSchema);

describe('fault timeline as intervals', () => {
  it('pairs kills with restarts, partitions with heals, and keeps the seed\'s node choices', () => {
    const iv = faultIntervals(loaded.scenario, 5);
    expect(iv.map((f) => f.kind)).toEqual(['kill', 'pause', 'partition', 'loss', 'delay', 'restart', 'kill']);
    expect(iv[0]).toMatchObject({ kind: 'kill', startUs: 10e6, endUs: 15e6, restarts: true });
    expect(iv[2]).toMatchObject({ kind: 'partition', side: [0, 1], rest: [2, 3, 4, 5, 6], startUs: 40e6, endUs: 50e6 });
    expect(iv[3]).toMatchObject({ kind: 'loss', nodes: 'all', probability: 0.2, startUs: 60e6, endUs: 70e6 });
    expect(iv[6]).toMatchObject({ kind: 'kill', nodes: [5], startUs: 100e6, endUs: 120e6, restarts: false });
    // `one` is drawn from the seed's faults stream: the same node for the same seed, maybe another for another seed.
    const killed = (seed: number) => (faultIntervals(loaded.scenario, seed)[0] as { nodes: readonly number[] }).nodes;
    expect(killed(5)).toEqual(killed(5));
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => killed(s)[0])).size).toBeGreaterThan(1);
  });
});

describe('avsim cluster export --target k8s', () => {
  // One export for the whole block (the per-test temp dirs are removed after each test).
  const out = mkdtempSync(join(tmpdir(), 'avsim-export-k8s-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const result = exportScenario(input, 'k8s', DEFAULT_EXPORT_OPTIONS, out);
  const docs = parseAllDocuments(readFileSync(join(out, 'avsim.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, any>);

  it('writes Namespace, ConfigMap, headless Service, StatefulSet and PodDisruptionBudget, each valid against the Kubernetes API schema', () => {
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'ConfigMap', 'Service', 'StatefulSet', 'PodDisruptionBudget']);
    for (const d of docs) validateK8s(d);
  });

  it('the schema check can fail: a wrong type, a missing required field, an unknown kind', () => {
    const sts = structuredClone(docs[3]) as Record<string, any>;
    sts.spec.replicas = 'seven';
    expect(() => validateK8s(sts)).toThrow(/replicas/);
    const noSelector = structuredClone(docs[3]) as Record<string, any>;
    delete noSelector.spec.selector;
    expect(() => validateK8s(noSelector)).toThrow(/selector/);
    const badPort = structuredClone(docs[2]) as Record<string, any>;
    badPort.spec.ports[0].port = 'p2p';
    expect(() => validateK8s(badPort)).toThrow(/port/);
    expect(() => validateK8s({ apiVersion: 'v1', kind: 'Pod' })).toThrow(/no schema/);
  });

  it('StatefulSet: N replicas behind the headless Service, a store claim per pod, scrape annotations, readiness on /status', () => {
    const [, cm, svc, sts, pdb] = docs as Array<Record<string, any>>;
    expect(svc?.spec.clusterIP).toBe('None');
    expect(svc?.spec.publishNotReadyAddresses).toBe(true);
    expect(sts?.spec.replicas).toBe(7);
    expect(sts?.spec.serviceName).toBe(svc?.metadata.name);
    expect(sts?.spec.podManagementPolicy).toBe('Parallel');
    expect(sts?.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2Gi');
    const pod = sts?.spec.template;
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9650', 'prometheus.io/path': '/metrics' });
    const c = pod.spec.containers[0];
    expect(c.readinessProbe.exec.command).toEqual(['node', '/app/dist/src/ops/export/status-probe.js', '/data/api-token', '9652']);
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual([DATA_DIR, CONFIG_DIR]);
    expect(parse(cm?.data['scenario.yaml'])).toEqual(loaded.input);
    // k=7, alpha=5: polls need 5 of 7, so at most ceil(7 * 2/7) - 1 = 1 node may be evicted at once.
    expect(pdb?.spec.maxUnavailable).toBe(1);
  });

  it('each pod turns the config template into its own config (ordinal = node id) and makes its API token once', () => {
    const sts = docs[3] as Record<string, any>;
    const script = (sts.spec.template.spec.containers[0].command as string[])[2] as string;
    const cm = docs[1] as Record<string, any>;
    const dir = tmp();
    mkdirSync(join(dir, 'etc'));
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'etc', 'node.json.template'), cm.data['node.json.template']);
    // The image's `avsim` is the node; here a stand-in that shows what it was handed.
    writeFileSync(join(dir, 'bin', 'avsim'), '#!/bin/sh\necho "$@"\ncat "$3"\n');
    chmodSync(join(dir, 'bin', 'avsim'), 0o755);
    const local = script.replaceAll(`${CONFIG_DIR}/`, `${dir}/etc/`).replaceAll(`${DATA_DIR}/`, `${dir}/data/`).replaceAll('/tmp/node.json', `${dir}/node.json`);
    const outText = execFileSync('sh', ['-c', local], { env: { PATH: `${dir}/bin:${process.env.PATH ?? ''}`, HOSTNAME: 'avsim-node-6' }, encoding: 'utf8' });
    const [args, ...json] = outText.split('\n');
    expect(args).toBe(`node --config ${dir}/node.json`);
    const cfg = JSON.parse(json.join('\n')) as Record<string, any>;
    expect(cfg.nodes).toEqual([{ id: 6, dataDir: DATA_DIR, port: 9651, metricsPort: 9650 }]);
    expect(cfg).toMatchObject({ standalone: true, bindMode: 'container', epochNs: null });
    expect(cfg.peers['3']).toEqual({ host: 'avsim-node-3.avsim-node', port: 9651 });
    expect(cfg.seed).toBe(5);
    const token = readFileSync(join(dir, 'data', 'api-token'), 'utf8');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    execFileSync('sh', ['-c', local], { env: { PATH: `${dir}/bin:${process.env.PATH ?? ''}`, HOSTNAME: 'avsim-node-6' } });
    expect(readFileSync(join(dir, 'data', 'api-token'), 'utf8')).toBe(token); // kept across restarts
  });

  it('faults become a Chaos Mesh Workflow valid against its CRD schema; pause is listed as not mapped', () => {
    const wf = parse(readFileSync(join(out, 'chaos-mesh-workflow.yaml'), 'utf8')) as Record<string, any>;
    expect(validateChaos(wf), JSON.stringify(validateChaos.errors)).toBe(true);
    const byName = new Map((wf.spec.templates as Array<Record<string, any>>).map((t) => [t.name, t]));
    const entry = byName.get(wf.spec.entry);
    expect(entry?.templateType).toBe('Parallel');
    expect(entry?.children).toHaveLength(6); // 7 intervals, pause left out
    const kinds = [...byName.values()].filter((t) => t.templateType === 'PodChaos' || t.templateType === 'NetworkChaos').map((t) => `${t.templateType}:${t.podChaos?.action ?? t.networkChaos?.action}:${t.deadline}`);
    expect(kinds).toEqual(['PodChaos:pod-failure:5s', 'NetworkChaos:partition:10s', 'NetworkChaos:loss:10s', 'NetworkChaos:delay:10s', 'PodChaos:pod-kill:10s', 'PodChaos:pod-failure:20s']);
    expect(byName.get('f3-loss')?.networkChaos.loss.loss).toBe('20');
    expect(byName.get('f4-delay')?.networkChaos.delay.latency).toBe('150ms');
    expect(byName.get('f0-kill-wait')?.deadline).toBe('10s');
    expect(result.unmapped).toEqual([{ fault: 'pause nodes 2 at 30s for 2s', reason: expect.stringContaining('SIGSTOP') }]);
    expect(readFileSync(join(out, 'FAULTS.md'), 'utf8')).toContain('- pause nodes 2 at 30s for 2s:');
  });

  it('the Chaos Mesh schema check can fail', () => {
    const { workflow } = chaosWorkflow(faultIntervals(loaded.scenario, 5), 'avsim');
    const bad = structuredClone(workflow) as Record<string, any>;
    bad.spec.templates[1].podChaos.action = 'pod-explode';
    expect(validateChaos(bad)).toBe(false);
    const typo = structuredClone(workflow) as Record<string, any>;
    typo.spec.templates[1].podChaos.selectr = {};
    expect(validateChaos(typo)).toBe(false);
  });

  it('PodDisruptionBudget follows the liveness bound f < 1 - alpha/K', () => {
    expect(maxUnavailable(withSize(20, 20, 15))).toBe(4); // 25% of 20 = 5 would stall: 4
    expect(maxUnavailable(withSize(1000, 20, 15))).toBe(249);
    expect(maxUnavailable(withSize(3, 3, 3))).toBe(1);
  });
});

describe('avsim cluster export --target compose', () => {
  it('passes docker-compose config -q, with a service and a volume per node, Prometheus and a provisioned Grafana', () => {
    const out = tmp();
    exportScenario(input, 'compose', { ...DEFAULT_EXPORT_OPTIONS, memoryPerNode: '512Mi', cpusPerNode: '500m' }, out);
    const r = spawnSync('docker-compose', ['config', '-q'], { cwd: out, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const resolved = parse(execFileSync('docker-compose', ['config'], { cwd: out, encoding: 'utf8' })) as Record<string, any>;
    const services = Object.keys(resolved.services).toSorted();
    expect(services).toEqual(['grafana', 'node-0', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5', 'node-6', 'prometheus']);
    expect(Object.keys(resolved.volumes).toSorted()).toEqual([...Array.from({ length: 7 }, (_, i) => `node-${i}-data`), 'prometheus-data'].toSorted());
    expect(resolved.services['node-3'].mem_limit).toBe('512m');
    expect(resolved.services['node-3'].cpus).toBe(0.5);
    const prom = parse(readFileSync(join(out, 'prometheus', 'prometheus.yml'), 'utf8')) as Record<string, any>;
    expect(prom.global.scrape_interval).toBe('1s');
    expect(prom.scrape_configs[0].static_configs).toHaveLength(7);
    // The Grafana provisioning is the repository's own.
    expect(readFileSync(join(out, 'grafana', 'dashboards', 'avsim.json'), 'utf8')).toBe(readFileSync(deployFile('grafana', 'dashboards', 'avsim.json'), 'utf8'));
    const cfg = JSON.parse(readFileSync(join(out, 'config', 'node-4.json'), 'utf8')) as Record<string, any>;
    expect(cfg.nodes[0].id).toBe(4);
    expect(cfg.peers['0'].host).toBe('node-0');
    expect(readFileSync(join(out, 'FAULTS.md'), 'utf8')).toContain('none of these is applied');
  });

  it('the compose check can fail', () => {
    const out = tmp();
    exportScenario(input, 'compose', DEFAULT_EXPORT_OPTIONS, out);
    const f = join(out, 'docker-compose.yml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('    hostname: node-0', '    hostnme: node-0'));
    expect(spawnSync('docker-compose', ['config', '-q'], { cwd: out }).status).not.toBe(0);
  });
});

const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'cluster', 'export', ...args], { encoding: 'utf8' });
const file = () => {
  const f = join(tmp(), 'x.yaml');
  writeFileSync(f, SCENARIO);
  return f;
};
const withSize = (n: number, k: number, a: number) => ({ ...loaded.scenario, nodes: { ...loaded.scenario.nodes, count: n }, parameters: { ...loaded.scenario.parameters, k, alphaPreference: a } });

describe('the image the exports run (deploy/k8s/Dockerfile)', () => {
  it('has what the manifests rely on: /app/dist (the status probe), deploy/, /data, the uid-1000 node user, avsim on the PATH', () => {
    const df = readFileSync(deployFile('k8s', 'Dockerfile'), 'utf8');
    expect(df).toContain('WORKDIR /app');
    expect(df).toContain('COPY --from=build /app/dist ./dist');
    expect(df).toContain('COPY --from=build /app/deploy ./deploy');
    expect(df).toContain('mkdir -p /data && chown node:node /data');
    expect(df).toMatch(/^USER node$/m);
    expect(df).toContain('> /usr/local/bin/avsim');
    const sts = parseAllDocuments(readFileSync(join(exportK8sOnce(), 'avsim.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, any>)[3];
    expect(sts?.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
  });
});

function exportK8sOnce(): string {
  const out = tmp();
  exportScenario(input, 'k8s', DEFAULT_EXPORT_OPTIONS, out);
  return out;
}

describe('avsim cluster export: bad input is one line and exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown target', ['--target', 'nomad', '--out', '/nonexistent/x'], /^avsim: --target: must be compose or k8s, got "nomad"$/],
    ['bad memory', ['--target', 'k8s', '--out', '/nonexistent/x', '--memory', '1GB'], /^avsim: --memory: must be a memory quantity in Mi or Gi/],
    ['bad namespace', ['--target', 'k8s', '--out', '/nonexistent/x', '--namespace', 'Avsim_NS'], /^avsim: --namespace: must be a DNS-1123 label/],
    ['bad field', ['--target', 'k8s', '--out', '/nonexistent/x', '--set', 'parameters.k=0'], /parameters\.k/],
    ['a sweep', ['--target', 'k8s', '--out', '/nonexistent/x', '--set', 'sweep={"parameters.beta":[5,6]}'], /^avsim: sweep: an export deploys one scenario point/],
  ];
  for (const [what, args, re] of cases) {
    it(what, () => {
      const r = run(file(), ...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(re);
      expect(r.stdout).toBe('');
    });
  }
  it('a non-empty output directory', () => {
    const out = tmp();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const r = run(file(), '--target', 'compose', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`avsim: --out: ${out} is not empty (export into a new or empty directory)\n`);
  });
  it('a good export lists its files and exits 0', () => {
    const out = join(tmp(), 'new');
    const r = run(file(), '--target', 'k8s', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([`${out}/avsim.yaml`, `${out}/chaos-mesh-workflow.yaml`, `${out}/FAULTS.md`]);
    expect(r.stderr).toMatch(/^avsim: not mapped to Chaos Mesh: pause nodes 2 at 30s for 2s: /);
  });
});
