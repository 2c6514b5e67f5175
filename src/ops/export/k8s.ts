/**
 * `avsim cluster export --target k8s`: Kubernetes manifests for the
 * scenario's N validators. A StatefulSet gives every node a stable identity
 * (pod avsim-node-i is node i, reachable at avsim-node-i.avsim-node through
 * the headless Service) and its own store volume (volumeClaimTemplates); a
 * ConfigMap carries the scenario and the node config template; pods are
 * annotated for Prometheus's kubernetes_sd scrape; readiness is the node's
 * own /status; a PodDisruptionBudget keeps voluntary evictions below what
 * the scenario's consensus tolerates.
 *
 * Objects are built with kubernetes-models, so a misspelt field fails to
 * compile and a wrongly typed one fails validate() (the Kubernetes OpenAPI
 * schemas) before anything is written.
 */
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { stringify } from 'yaml';
import type { Scenario } from '../../scenario/schema.js';
import type { ExportOptions } from './files.js';
import { CONFIG_DIR, configText, DATA_DIR, entryScript, nodeConfig, NODE_ID_PLACEHOLDER, PORTS, runIdOf, STATUS_PROBE, type DeploymentInput } from './node-spec.js';

export const APP = 'avsim-node';
const TEMPLATE_FILE = 'node.json.template';

export type K8sObject = Namespace | ConfigMap | Service | StatefulSet | PodDisruptionBudget;

/**
 * Nodes that may be down at once while polls still succeed: liveness needs
 * the unavailable fraction f below 1 − alphaPreference/K (DESIGN.md), so at
 * most ceil(n·(1 − α/K)) − 1, and never below 1 (a rolling update must move).
 */
export function maxUnavailable(s: Scenario): number {
  const f = 1 - s.parameters.alphaPreference / s.parameters.k;
  return Math.max(1, Math.ceil(s.nodes.count * f) - 1);
}

export const podName = (id: number): string => `${APP}-${id}`;
export const peerHost = (id: number): string => `${podName(id)}.${APP}`;

export function k8sObjects(d: DeploymentInput, o: ExportOptions): K8sObject[] {
  const s = d.scenario;
  const ns = o.namespace;
  const labels = { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/part-of': 'avsim', 'avsim.dev/run': runIdOf(s.name, d.seed).slice(0, 63) };
  const selector = { 'app.kubernetes.io/name': APP };
  const template = configText(nodeConfig(d, NODE_ID_PLACEHOLDER, peerHost));

  const namespace = new Namespace({ metadata: { name: ns, labels: { 'app.kubernetes.io/part-of': 'avsim' } } });
  const config = new ConfigMap({
    metadata: { name: `${APP}-config`, namespace: ns, labels },
    data: { 'scenario.yaml': stringify(d.input), [TEMPLATE_FILE]: template },
  });
  const service = new Service({
    metadata: { name: APP, namespace: ns, labels },
    spec: {
      clusterIP: 'None',
      // Peers must resolve each other before they are Ready: readiness needs the peers.
      publishNotReadyAddresses: true,
      selector,
      ports: [
        { name: 'p2p', port: PORTS.p2p, targetPort: 'p2p' },
        { name: 'metrics', port: PORTS.metrics, targetPort: 'metrics' },
      ],
    },
  });
  const resources = { requests: { cpu: o.cpusPerNode, memory: o.memoryPerNode }, limits: { cpu: o.cpusPerNode, memory: o.memoryPerNode } };
  const statefulSet = new StatefulSet({
    metadata: { name: APP, namespace: ns, labels },
    spec: {
      serviceName: APP,
      replicas: s.nodes.count,
      // Every node starts at once (a consensus network needs its peers), none waits for the previous one.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selector },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: {
          labels,
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(PORTS.metrics), 'prometheus.io/path': '/metrics' },
        },
        spec: {
          terminationGracePeriodSeconds: 15,
          securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true },
          containers: [
            {
              name: 'node',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              // The pod's ordinal (avsim-node-7 -> 7) is the node id.
              command: ['sh', '-c', `NODE_ID="\${HOSTNAME##*-}"\n${entryScript(`${CONFIG_DIR}/${TEMPLATE_FILE}`, true)}`],
              ports: [
                { name: 'p2p', containerPort: PORTS.p2p, protocol: 'TCP' },
                { name: 'metrics', containerPort: PORTS.metrics, protocol: 'TCP' },
              ],
              readinessProbe: { exec: { command: [...STATUS_PROBE] }, initialDelaySeconds: 3, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
              resources,
              volumeMounts: [
                { name: 'data', mountPath: DATA_DIR },
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: config.metadata?.name ?? '' } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(o.storageClass === undefined ? {} : { storageClassName: o.storageClass }),
            resources: { requests: { storage: o.storagePerNode } },
          },
        },
      ],
    },
  });
  const pdb = new PodDisruptionBudget({
    metadata: { name: APP, namespace: ns, labels },
    spec: { maxUnavailable: maxUnavailable(s), selector: { matchLabels: selector } },
  });
  const objects: K8sObject[] = [namespace, config, service, statefulSet, pdb];
  for (const obj of objects) obj.validate();
  return objects;
}

export function manifestText(objects: readonly { toJSON(): unknown }[], header: string): string {
  return `# ${header}\n${objects.map((obj) => stringify(obj.toJSON())).join('---\n')}`;
}
