/**
 * The Grafana dashboard of a real avsim cluster, as data. The committed
 * deploy/grafana/dashboards/avsim.json is this object (a test keeps them
 * equal; `node dist/src/ops/grafana/write-dashboard.js` rewrites the file),
 * and every panel's PromQL is run against a real Prometheus by a test.
 *
 * Template variables: $run_id (which run), $node (which validators, "All"
 * by default). Fault windows come from the harness's avsim_fault_active.
 */
import { HARNESS_METRICS, METRICS } from '../metrics/catalogue.js';
import { NODES_JOB } from '../prometheus/config.js';

export const DATASOURCE_UID = 'avsim-prometheus';
export const DASHBOARD_UID = 'avsim-cluster';

const ds = { type: 'prometheus', uid: DATASOURCE_UID };
/** The selector every validator series of the chosen run and nodes matches. */
const SEL = 'run_id=~"$run_id", node_id=~"$node"';
const RATE = '$__rate_interval';

export interface Target {
  readonly expr: string;
  readonly legendFormat: string;
  readonly refId: string;
}

export interface Panel {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly type: 'timeseries' | 'stat';
  readonly gridPos: { h: number; w: number; x: number; y: number };
  readonly datasource: typeof ds;
  readonly fieldConfig: { defaults: { unit: string; min?: number; max?: number }; overrides: [] };
  readonly options: Record<string, unknown>;
  readonly targets: readonly Target[];
}

interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: ReadonlyArray<readonly [expr: string, legend: string]>;
  type?: 'timeseries' | 'stat';
  min?: number;
  max?: number;
}

const quantiles = (metric: string, extra = '') =>
  ([0.5, 0.95, 0.99] as const).map(
    (q) => [`histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket{${SEL}${extra}}[${RATE}])))`, `p${Math.round(q * 100)}`] as const,
  );

/** Panels in reading order: throughput and finality first, then consensus health, network, resources. */
const PANELS: readonly PanelSpec[] = [
  {
    title: 'Nodes up',
    description: 'Validators Prometheus scrapes successfully right now (a killed or paused node drops out).',
    unit: 'short',
    type: 'stat',
    targets: [[`sum(up{job="${NODES_JOB}", run_id=~"$run_id"})`, 'up']],
  },
  {
    title: 'Highest accepted height',
    description: 'The tip of the chain across the chosen nodes.',
    unit: 'short',
    type: 'stat',
    targets: [[`max(${METRICS.lastAcceptedHeight.name}{${SEL}})`, 'height']],
  },
  {
    title: 'Accepted TPS',
    description: 'Transactions accepted per second. Every honest node accepts every transaction, so the cluster figure is the median node; a node below it is lagging.',
    unit: 'short',
    min: 0,
    targets: [
      [`quantile(0.5, rate(${METRICS.txsAccepted.name}{${SEL}}[${RATE}]))`, 'cluster (median node)'],
      [`rate(${METRICS.txsAccepted.name}{${SEL}}[${RATE}])`, 'node {{node_id}}'],
    ],
  },
  {
    title: 'Blocks accepted per second',
    description: 'Blocks accepted per second, median node, and blocks rejected (conflicting proposals decided against).',
    unit: 'short',
    min: 0,
    targets: [
      [`quantile(0.5, rate(${METRICS.blksAccepted.name}{${SEL}}[${RATE}]))`, 'accepted (median node)'],
      [`sum(rate(${METRICS.blksRejected.name}{${SEL}}[${RATE}]))`, 'rejected (all nodes)'],
    ],
  },
  {
    title: 'Finality (client-observed) p50 / p95 / p99',
    description: 'Time from the submission of a transaction to a node until that node accepts it.',
    unit: 's',
    min: 0,
    targets: quantiles(METRICS.txFinality.name),
  },
  {
    title: 'Consensus latency p50 / p95 / p99',
    description: 'Time from the issuance of a block into consensus to its acceptance, over every node.',
    unit: 's',
    min: 0,
    targets: quantiles(METRICS.consensusLatency.name),
  },
  {
    title: 'Blocks processing',
    description: 'Blocks issued and not yet decided, per node (AvalancheGo blks_processing). Growing without bound means consensus is not finishing.',
    unit: 'short',
    min: 0,
    targets: [[`${METRICS.blksProcessing.name}{${SEL}}`, 'node {{node_id}}']],
  },
  {
    title: 'Poll success rate',
    description: 'Share of polls in which some processing block reached alphaPreference; with a fraction f of silent nodes it is about P[Binomial(K, 1-f) >= alpha].',
    unit: 'percentunit',
    min: 0,
    max: 1,
    targets: [
      [
        `sum(rate(${METRICS.pollsSuccessful.name}{${SEL}}[${RATE}])) / (sum(rate(${METRICS.pollsSuccessful.name}{${SEL}}[${RATE}])) + sum(rate(${METRICS.pollsFailed.name}{${SEL}}[${RATE}])))`,
        'cluster',
      ],
      [
        `rate(${METRICS.pollsSuccessful.name}{${SEL}}[${RATE}]) / (rate(${METRICS.pollsSuccessful.name}{${SEL}}[${RATE}]) + rate(${METRICS.pollsFailed.name}{${SEL}}[${RATE}]))`,
        'node {{node_id}}',
      ],
    ],
  },
  {
    title: 'Height per node',
    description: 'Last accepted height of each node: a stalled node flattens, a lagging one runs below the others.',
    unit: 'short',
    targets: [[`${METRICS.lastAcceptedHeight.name}{${SEL}}`, 'node {{node_id}}']],
  },
  {
    title: 'Blocks behind the tip',
    description: 'How far each node is behind the highest node of the run.',
    unit: 'short',
    min: 0,
    targets: [[`scalar(max(${METRICS.lastAcceptedHeight.name}{run_id=~"$run_id"})) - ${METRICS.lastAcceptedHeight.name}{${SEL}}`, 'node {{node_id}}']],
  },
  {
    title: 'Messages per node per second',
    description: 'Consensus messages sent and received per second by each node.',
    unit: 'short',
    min: 0,
    targets: [
      [`sum by (node_id) (rate(${METRICS.msgs.name}{${SEL}, io="sent"}[${RATE}]))`, 'sent {{node_id}}'],
      [`sum by (node_id) (rate(${METRICS.msgs.name}{${SEL}, io="received"}[${RATE}]))`, 'received {{node_id}}'],
    ],
  },
  {
    title: 'Messages by kind',
    description: 'Messages sent per second over the chosen nodes, by kind (push-query, pull-query, chits, get, put, tx-gossip).',
    unit: 'short',
    min: 0,
    targets: [[`sum by (op) (rate(${METRICS.msgs.name}{${SEL}, io="sent"}[${RATE}]))`, '{{op}}']],
  },
  {
    title: 'Bytes per node per second',
    description: 'Bytes of consensus messages sent and received per second by each node.',
    unit: 'Bps',
    min: 0,
    targets: [
      [`sum by (node_id) (rate(${METRICS.msgsBytes.name}{${SEL}, io="sent"}[${RATE}]))`, 'sent {{node_id}}'],
      [`sum by (node_id) (rate(${METRICS.msgsBytes.name}{${SEL}, io="received"}[${RATE}]))`, 'received {{node_id}}'],
    ],
  },
  {
    title: 'Dropped frames by reason',
    description: 'Frames the transports dropped per second: decode failures (truncated, oversized, ...) and transport rules (partition, loss).',
    unit: 'short',
    min: 0,
    targets: [[`sum by (reason) (rate(${METRICS.framesDropped.name}{${SEL}}[${RATE}]))`, '{{reason}}']],
  },
  {
    title: 'Emulated-latency error p50 / p99',
    description: 'Actual minus intended delivery delay of emulated-latency messages: when it nears the intended latency, the machine, not the scenario, sets the latency.',
    unit: 's',
    targets: quantiles(METRICS.emulationError.name).filter(([, legend]) => legend !== 'p95'),
  },
  {
    title: 'CPU per node',
    description: 'CPU seconds per second of each node process (1 = one core). With several validators per process, they share one process figure.',
    unit: 'percentunit',
    min: 0,
    targets: [
      [`rate(process_cpu_seconds_total{${SEL}}[${RATE}])`, 'process {{node_id}}'],
      [`rate(${METRICS.cpuCharged.name}{${SEL}}[${RATE}])`, 'charged work {{node_id}}'],
    ],
  },
  {
    title: 'RSS per node',
    description: 'Resident memory of each node process.',
    unit: 'bytes',
    min: 0,
    targets: [[`process_resident_memory_bytes{${SEL}}`, 'node {{node_id}}']],
  },
];

function panel(spec: PanelSpec, index: number): Panel {
  const stat = spec.type === 'stat';
  // Two stats side by side at the top, then timeseries two per row.
  const statCount = PANELS.filter((p) => p.type === 'stat').length;
  const gridPos = stat ? { h: 4, w: 12, x: 12 * index, y: 0 } : { h: 8, w: 12, x: 12 * ((index - statCount) % 2), y: 4 + 8 * Math.floor((index - statCount) / 2) };
  return {
    id: index + 1,
    title: spec.title,
    description: spec.description,
    type: stat ? 'stat' : 'timeseries',
    gridPos,
    datasource: ds,
    fieldConfig: {
      defaults: { unit: spec.unit, ...(spec.min === undefined ? {} : { min: spec.min }), ...(spec.max === undefined ? {} : { max: spec.max }) },
      overrides: [],
    },
    options: stat ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' } : { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: spec.targets.map(([expr, legendFormat], i) => ({ expr, legendFormat, refId: String.fromCharCode(65 + i) })),
  };
}

export interface TemplateVariable {
  readonly name: string;
  readonly label: string;
  readonly type: 'query';
  readonly datasource: typeof ds;
  readonly query: { query: string; refId: string };
  readonly definition: string;
  readonly includeAll: boolean;
  readonly multi: boolean;
  readonly allValue?: string;
  readonly refresh: 2;
  readonly sort: 3;
  readonly current: Record<string, never>;
}

function variable(name: string, label: string, query: string, all: boolean): TemplateVariable {
  return {
    name,
    label,
    type: 'query',
    datasource: ds,
    query: { query, refId: `${name}-query` },
    definition: query,
    includeAll: all,
    multi: all,
    ...(all ? { allValue: '.*' } : {}),
    refresh: 2, // on time-range change: a new run shows up without a reload
    sort: 3,
    current: {},
  };
}

export const FAULT_ANNOTATION_EXPR = `max by (kind, fault, nodes) (${HARNESS_METRICS.faultActive.name}{run_id=~"$run_id"}) > 0`;

export function dashboard(): Record<string, unknown> {
  return {
    uid: DASHBOARD_UID,
    title: 'avsim cluster',
    description: 'A real avsim cluster run: throughput, finality, consensus health, network and resources per validator (metrics catalogue: src/ops/metrics/catalogue.ts).',
    tags: ['avsim', 'avalanche', 'consensus'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    templating: {
      list: [
        variable('run_id', 'run', `label_values(${METRICS.lastAcceptedHeight.name}, run_id)`, false),
        variable('node', 'node', `label_values(${METRICS.lastAcceptedHeight.name}{run_id=~"$run_id"}, node_id)`, true),
      ],
    },
    annotations: {
      list: [
        {
          name: 'Faults',
          datasource: ds,
          enable: true,
          iconColor: 'rgba(255, 96, 96, 1)',
          expr: FAULT_ANNOTATION_EXPR,
          step: '1s',
          titleFormat: '{{kind}}',
          textFormat: '{{fault}} nodes {{nodes}}',
          tagKeys: 'kind',
          useValueForTime: false,
        },
      ],
    },
    panels: PANELS.map(panel),
  };
}

export function dashboardText(): string {
  return `${JSON.stringify(dashboard(), null, 2)}\n`;
}

/** Every PromQL expression of the dashboard: panels, then annotations. */
export function dashboardExpressions(d: Record<string, unknown>): Array<{ where: string; expr: string }> {
  const panels = d.panels as Panel[];
  const annotations = (d.annotations as { list: Array<{ name: string; expr: string }> }).list;
  return [...panels.flatMap((p) => p.targets.map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr }))), ...annotations.map((a) => ({ where: `annotation "${a.name}"`, expr: a.expr }))];
}
