/**
 * The scenario's fault timeline as one Chaos Mesh Workflow: a Parallel
 * entry whose every branch waits (Suspend) until the fault's offset and then
 * holds the fault for its window (the template's deadline). Offsets count
 * from when the Workflow is applied: apply it once every node is Ready.
 *
 * Mapping (kill/restart act on pods; the others on the pod network):
 *   kill for D      -> PodChaos pod-failure, deadline D (the container is gone, the pod comes back on its volume)
 *   kill (no for)   -> PodChaos pod-failure until the end of the run
 *   restart         -> PodChaos pod-kill (the StatefulSet restarts the pod)
 *   partition for D -> NetworkChaos partition, both directions, between the two sides
 *   loss r for D    -> NetworkChaos loss r·100 %
 *   delay x for D   -> NetworkChaos delay x
 * What does not map is returned as a list, never silently approximated:
 *   pause           -> Chaos Mesh cannot freeze a pod's processes (no SIGSTOP action)
 */
import type { NodeId } from '../../consensus/host.js';
import { formatDuration } from '../../scenario/duration.js';
import type { FaultInterval } from './fault-intervals.js';
import { APP, podName } from './k8s.js';

export const CHAOS_API_VERSION = 'chaos-mesh.org/v1alpha1';

export interface Unmapped {
  readonly fault: string;
  readonly reason: string;
}

type Template = Record<string, unknown> & { name: string; templateType: string };

/** Go duration with millisecond resolution (Chaos Mesh parses time.Duration). */
function goDuration(us: number): string {
  const ms = Math.max(1, Math.round(us / 1000));
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function describe(f: FaultInterval): string {
  const at = formatDuration(f.startUs);
  const nodes = 'nodes' in f ? (f.nodes === 'all' ? 'all nodes' : `nodes ${f.nodes.join(',')}`) : `nodes ${f.side.join(',')}`;
  const span = 'endUs' in f ? ` for ${formatDuration(f.endUs - f.startUs)}` : '';
  return `${f.kind} ${nodes} at ${at}${span}`;
}

export function chaosWorkflow(intervals: readonly FaultInterval[], namespace: string, name = 'avsim-faults'): { workflow: Record<string, unknown> | undefined; unmapped: Unmapped[] } {
  const pods = (ids: readonly NodeId[]) => ({ pods: { [namespace]: ids.map(podName) } });
  const allPods = { namespaces: [namespace], labelSelectors: { 'app.kubernetes.io/name': APP } };
  const templates: Template[] = [];
  const branches: string[] = [];
  const unmapped: Unmapped[] = [];

  intervals.forEach((f, i) => {
    const id = `f${i}-${f.kind}`;
    let chaos: Template;
    const deadline = 'endUs' in f ? goDuration(f.endUs - f.startUs) : '10s';
    switch (f.kind) {
      case 'kill':
        chaos = { name: id, templateType: 'PodChaos', deadline, podChaos: { action: 'pod-failure', mode: 'all', selector: pods(f.nodes) } };
        break;
      case 'restart':
        chaos = { name: id, templateType: 'PodChaos', deadline, podChaos: { action: 'pod-kill', mode: 'all', selector: pods(f.nodes), gracePeriod: 0 } };
        break;
      case 'partition':
        chaos = {
          name: id,
          templateType: 'NetworkChaos',
          deadline,
          networkChaos: { action: 'partition', mode: 'all', selector: pods(f.side), direction: 'both', target: { mode: 'all', selector: pods(f.rest) } },
        };
        break;
      case 'loss':
      case 'delay': {
        const effect =
          f.kind === 'loss'
            ? { action: 'loss', loss: { loss: String(Math.round(f.probability * 10_000) / 100), correlation: '0' } }
            : { action: 'delay', delay: { latency: goDuration(f.extraUs), correlation: '0', jitter: '0ms' } };
        // Every node: each pod's egress (so every message once). Some nodes: their traffic to and from everyone.
        const scope = f.nodes === 'all' ? { mode: 'all', selector: allPods, direction: 'to' } : { mode: 'all', selector: pods(f.nodes), direction: 'both', target: { mode: 'all', selector: allPods } };
        chaos = { name: id, templateType: 'NetworkChaos', deadline, networkChaos: { ...effect, ...scope } };
        break;
      }
      case 'pause':
        unmapped.push({ fault: describe(f), reason: 'Chaos Mesh has no action that freezes a pod\'s processes (SIGSTOP/SIGCONT); `avsim cluster run` applies it locally' });
        return;
    }
    templates.push(chaos);
    if (f.startUs === 0) {
      branches.push(id);
    } else {
      const wait: Template = { name: `${id}-wait`, templateType: 'Suspend', deadline: goDuration(f.startUs) };
      const serial: Template = { name: `${id}-at-${goDuration(f.startUs)}`, templateType: 'Serial', children: [wait.name, id] };
      templates.push(wait, serial);
      branches.push(serial.name);
    }
  });
  if (branches.length === 0) return { workflow: undefined, unmapped };
  const entry: Template = { name: 'timeline', templateType: 'Parallel', children: branches };
  return {
    workflow: {
      apiVersion: CHAOS_API_VERSION,
      kind: 'Workflow',
      metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'avsim' } },
      spec: { entry: entry.name, templates: [entry, ...templates] },
    },
    unmapped,
  };
}
