/**
 * `avsim cluster export --target compose`: a Docker Compose project that
 * runs the scenario's N validators (one service and one named volume each),
 * a Prometheus scraping them every second, and a Grafana provisioned with
 * the avsim datasource and dashboard (deploy/grafana).
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { deployFile } from '../package-root.js';
import { staticPrometheusConfig } from '../prometheus/config.js';
import { configText, CONFIG_DIR, DATA_DIR, entryScript, nodeConfig, PORTS, runIdOf, STATUS_PROBE, type DeploymentInput } from './node-spec.js';
import type { ExportFile, ExportOptions } from './files.js';

export const PROMETHEUS_IMAGE = 'prom/prometheus:v2.53.0';
export const GRAFANA_IMAGE = 'grafana/grafana:11.1.0';

/** Kubernetes quantities (flags) in Compose's units: 512Mi -> 512m, 2Gi -> 2g; 500m CPU -> 0.5. */
export function composeMemory(q: string): string {
  return q.replace(/^(\d+)(Mi|Gi)$/, (_, n: string, u: string) => `${n}${u === 'Mi' ? 'm' : 'g'}`);
}
export function composeCpus(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

export const serviceName = (id: number): string => `node-${id}`;

export function composeProject(d: DeploymentInput, o: ExportOptions): Record<string, unknown> {
  const n = d.scenario.nodes.count;
  const services: Record<string, unknown> = {};
  const volumes: Record<string, Record<string, never>> = {};
  for (let id = 0; id < n; id++) {
    const name = serviceName(id);
    volumes[`${name}-data`] = {};
    services[name] = {
      image: o.image,
      hostname: name,
      environment: { NODE_ID: String(id) },
      entrypoint: ['sh', '-c', entryScript(`${CONFIG_DIR}/node-${id}.json`, false)],
      volumes: [`${name}-data:${DATA_DIR}`, `./config:${CONFIG_DIR}:ro`],
      expose: [String(PORTS.p2p), String(PORTS.metrics)],
      healthcheck: { test: ['CMD', ...STATUS_PROBE], interval: '5s', timeout: '3s', retries: 3, start_period: '10s' },
      // A killed node comes back on its own volume, as `avsim cluster run` restarts it.
      restart: 'unless-stopped',
      cpus: composeCpus(o.cpusPerNode),
      mem_limit: composeMemory(o.memoryPerNode),
      stop_grace_period: '10s',
    };
  }
  volumes['prometheus-data'] = {};
  services.prometheus = {
    image: PROMETHEUS_IMAGE,
    command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=30d'],
    volumes: ['./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro', 'prometheus-data:/prometheus'],
    ports: ['127.0.0.1:9090:9090'],
    depends_on: Array.from({ length: n }, (_, id) => serviceName(id)),
  };
  services.grafana = {
    image: GRAFANA_IMAGE,
    environment: { GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer', GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: '/var/lib/grafana/dashboards/avsim.json' },
    volumes: ['./grafana/provisioning:/etc/grafana/provisioning:ro', './grafana/dashboards:/var/lib/grafana/dashboards:ro'],
    ports: ['127.0.0.1:3000:3000'],
    depends_on: ['prometheus'],
  };
  // No top-level `name` (Compose v1 rejects it): the project is named after the directory, or -p.
  return { services, volumes };
}

export function composeFiles(d: DeploymentInput, o: ExportOptions): ExportFile[] {
  const n = d.scenario.nodes.count;
  const runId = runIdOf(d.scenario.name, d.seed);
  const files: ExportFile[] = [
    { path: 'docker-compose.yml', text: `# avsim ${d.scenario.name}, seed ${d.seed}: ${n} validators, Prometheus, Grafana.\n# Build the image first (from the avsim checkout): docker build -f deploy/k8s/Dockerfile -t ${o.image} .\n${stringify(composeProject(d, o))}` },
    {
      path: 'prometheus/prometheus.yml',
      text: stringify(staticPrometheusConfig({ runId, scenario: d.scenario.name, nodes: Array.from({ length: n }, (_, id) => ({ nodeId: id, target: `${serviceName(id)}:${PORTS.metrics}` })) })),
    },
    ...['provisioning/datasources/prometheus.yaml', 'provisioning/dashboards/avsim.yaml', 'dashboards/avsim.json'].map((f) => ({ path: `grafana/${f}`, text: readFileSync(deployFile('grafana', ...f.split('/')), 'utf8') })),
  ];
  for (let id = 0; id < n; id++) files.push({ path: `config/node-${id}.json`, text: configText(nodeConfig(d, id, serviceName)) });
  return files;
}
