/**
 * What the harness (`avsim cluster run`) itself exposes to Prometheus: which
 * fault of the scenario is in force (the dashboard draws these windows as
 * annotations) and how much load it offered. Labels run_id and scenario, as
 * the validators' series, and no node_id.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { HARNESS_METRICS } from './catalogue.js';

export interface FaultOccurrence {
  /** Scenario fault kind: kill, pause, partition, loss, delay, ... */
  readonly kind: string;
  /** Stable name of the occurrence, e.g. `faults[2]#1` (second repetition of the third fault). */
  readonly fault: string;
  /** The nodes it applies to, e.g. `1,4` (empty for run-wide faults such as heal). */
  readonly nodes: readonly number[];
}

export class HarnessMetrics {
  readonly registry = new Registry();
  private readonly faultActive: Gauge;
  private readonly txsOffered: Counter;

  constructor(identity: { runId: string; scenario: string }) {
    this.registry.setDefaultLabels({ run_id: identity.runId, scenario: identity.scenario });
    const f = HARNESS_METRICS.faultActive;
    this.faultActive = new Gauge({ name: f.name, help: f.help, labelNames: [...f.labels], registers: [this.registry] });
    const t = HARNESS_METRICS.txsOffered;
    this.txsOffered = new Counter({ name: t.name, help: t.help, registers: [this.registry] });
    this.txsOffered.inc(0);
  }

  faultStarted(f: FaultOccurrence): void {
    this.faultActive.set(labelsOf(f), 1);
  }

  faultEnded(f: FaultOccurrence): void {
    this.faultActive.set(labelsOf(f), 0);
  }

  txOffered(count = 1): void {
    this.txsOffered.inc(count);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function labelsOf(f: FaultOccurrence): Record<string, string> {
  return { kind: f.kind, fault: f.fault, nodes: f.nodes.join(',') };
}
