/**
 * `avsim cluster export`: one scenario (validated by the same loader as
 * `avsim run`) -> the files of a Compose project or of Kubernetes manifests,
 * plus a FAULTS.md saying how each fault of the timeline is carried out
 * there, or that it is not.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Scenario } from '../../scenario/schema.js';
import { formatDuration } from '../../scenario/duration.js';
import { chaosWorkflow, type Unmapped } from './chaos-mesh.js';
import { composeFiles } from './compose.js';
import { faultIntervals } from './fault-intervals.js';
import { writeExport, type ExportFile, type ExportOptions } from './files.js';
import { k8sObjects, manifestText } from './k8s.js';
import { runIdOf, type DeploymentInput } from './node-spec.js';
import { stringify } from 'yaml';

export type ExportTarget = 'compose' | 'k8s';

export interface ExportResult {
  readonly files: readonly ExportFile[];
  readonly unmapped: readonly Unmapped[];
}

/** One line naming what the export cannot take (exit 2). */
export class ExportInputError extends Error {
  override readonly name = 'ExportInputError';
}

export function checkExportable(s: Scenario): void {
  if (Object.keys(s.sweep).length > 0) throw new ExportInputError(`sweep: an export deploys one scenario point; pick the values with --set (axes: ${Object.keys(s.sweep).join(', ')})`);
}

function faultsDoc(d: DeploymentInput, target: ExportTarget, unmapped: readonly Unmapped[], mapped: number): string {
  const lines = [`# Faults of ${d.scenario.name} (seed ${d.seed}) on ${target === 'k8s' ? 'Kubernetes' : 'Docker Compose'}`, ''];
  const intervals = faultIntervals(d.scenario, d.seed);
  if (intervals.length === 0) lines.push('The scenario has no faults.');
  else if (target === 'compose') {
    lines.push('Compose has no fault injector: none of these is applied. Run the scenario with `avsim cluster run` (local) or export it for Kubernetes with Chaos Mesh.', '');
    for (const f of intervals) lines.push(`- ${f.kind} at ${formatDuration(f.startUs)}`);
  } else {
    lines.push(`${mapped} fault window(s) are in chaos-mesh-workflow.yaml (apply it once every pod is Ready: its offsets count from then).`, '');
    if (unmapped.length === 0) lines.push('Every fault maps to Chaos Mesh.');
    else {
      lines.push('These do not map to Chaos Mesh and are not applied:', '');
      for (const u of unmapped) lines.push(`- ${u.fault}: ${u.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function buildExport(d: DeploymentInput, target: ExportTarget, o: ExportOptions): ExportResult {
  checkExportable(d.scenario);
  const runId = runIdOf(d.scenario.name, d.seed);
  if (target === 'compose') {
    const files = composeFiles(d, o);
    return { files: [...files, { path: 'FAULTS.md', text: faultsDoc(d, target, [], 0) }], unmapped: [] };
  }
  const objects = k8sObjects(d, o);
  const intervals = faultIntervals(d.scenario, d.seed);
  const { workflow, unmapped } = chaosWorkflow(intervals, o.namespace);
  const files: ExportFile[] = [{ path: 'avsim.yaml', text: manifestText(objects, `avsim ${d.scenario.name}, seed ${d.seed} (run ${runId}): kubectl apply -f avsim.yaml`) }];
  if (workflow !== undefined) files.push({ path: 'chaos-mesh-workflow.yaml', text: `# The fault timeline of ${d.scenario.name} as a Chaos Mesh Workflow: kubectl apply -f chaos-mesh-workflow.yaml once every pod is Ready.\n${stringify(workflow)}` });
  files.push({ path: 'FAULTS.md', text: faultsDoc(d, target, unmapped, intervals.length - unmapped.length) });
  return { files, unmapped };
}

/** The output directory must be new or empty: an export never mixes with older files. */
export function checkOutDir(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new ExportInputError(`--out: ${dir} is not a directory`);
  if (readdirSync(dir).length > 0) throw new ExportInputError(`--out: ${dir} is not empty (export into a new or empty directory)`);
}

export function exportScenario(d: DeploymentInput, target: ExportTarget, o: ExportOptions, outDir: string): ExportResult {
  checkOutDir(outDir);
  const result = buildExport(d, target, o);
  writeExport(outDir, result.files);
  return result;
}
