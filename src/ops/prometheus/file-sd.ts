/**
 * Prometheus file-based service discovery, as AvalancheGo's tmpnet does it:
 * one JSON target file per running node, written atomically when the node
 * listens and removed when it stops, so Prometheus (which watches the
 * directory) scrapes exactly the nodes that are up. Temp files are hidden
 * (`.node-3.json.tmp-…`) and never match the glob Prometheus reads.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../report/atomic.js';

/** One entry of a file_sd file. */
export interface SdTargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** File names: validators, and the harness's own target. */
export const NODE_TARGET_GLOB = 'node-*.json';
export const HARNESS_TARGET_FILE = 'harness.json';

export function nodeTargetFile(dir: string, nodeId: number): string {
  return join(dir, `node-${nodeId}.json`);
}

/** Label values must be strings; Prometheus label names are [a-zA-Z_][a-zA-Z0-9_]*. */
function checkLabels(labels: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(labels)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) throw new RangeError(`file_sd label "${name}": must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __`);
  }
}

export function writeTargetFile(file: string, groups: readonly SdTargetGroup[]): void {
  for (const g of groups) checkLabels(g.labels);
  writeFileAtomic(file, `${JSON.stringify(groups, null, 2)}\n`);
}

/** The run a target belongs to: also on Prometheus's own series of the target (`up`, `scrape_*`). */
export interface RunLabels {
  readonly runId: string;
  readonly scenario: string;
}

export function writeNodeTarget(dir: string, nodeId: number, target: string, run: RunLabels): string {
  const file = nodeTargetFile(dir, nodeId);
  writeTargetFile(file, [{ targets: [target], labels: { node_id: String(nodeId), run_id: run.runId, scenario: run.scenario } }]);
  return file;
}

export function writeHarnessTarget(dir: string, target: string, run: RunLabels): string {
  const file = join(dir, HARNESS_TARGET_FILE);
  writeTargetFile(file, [{ targets: [target], labels: { run_id: run.runId, scenario: run.scenario } }]);
  return file;
}

export function removeHarnessTarget(dir: string): void {
  rmSync(join(dir, HARNESS_TARGET_FILE), { force: true });
}

export function removeNodeTarget(dir: string, nodeId: number): void {
  rmSync(nodeTargetFile(dir, nodeId), { force: true });
}
