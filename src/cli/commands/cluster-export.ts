/** `avsim cluster export FILE --target compose|k8s --out DIR`: deployment files from a scenario. */
import { loadScenarioFile } from '../../scenario/load.js';
import { DEFAULT_EXPORT_OPTIONS, type ExportOptions } from '../../ops/export/files.js';
import { ExportInputError, exportScenario, type ExportTarget } from '../../ops/export/export.js';
import { parseSeed } from '../args.js';
import { UsageError } from '../errors.js';

export interface ClusterExportFlags {
  target?: string;
  out?: string;
  seed?: string;
  set?: string[];
  image?: string;
  namespace?: string;
  cpus?: string;
  memory?: string;
  storage?: string;
  storageClass?: string;
  realSignatures?: boolean;
}

function match(flag: string, value: string | undefined, re: RegExp, rule: string): string | undefined {
  if (value !== undefined && !re.test(value)) throw new UsageError(`${flag}: ${rule}, got "${value}"`);
  return value;
}

export function exportOptionsOf(f: ClusterExportFlags): ExportOptions {
  const d = DEFAULT_EXPORT_OPTIONS;
  const storageClass = match('--storage-class', f.storageClass, /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name');
  return {
    image: match('--image', f.image, /^[a-z0-9][a-z0-9._/:@-]{0,254}$/, 'must be an image reference such as registry/avsim-node:0.1.0') ?? d.image,
    namespace: match('--namespace', f.namespace, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label (lower case letters, digits, -)') ?? d.namespace,
    cpusPerNode: match('--cpus', f.cpus, /^(?:[0-9]+(?:\.[0-9]{1,3})?|[0-9]+m)$/, 'must be a CPU quantity such as 1, 0.5 or 500m') ?? d.cpusPerNode,
    memoryPerNode: match('--memory', f.memory, /^[1-9][0-9]*(?:Mi|Gi)$/, 'must be a memory quantity in Mi or Gi, such as 512Mi or 2Gi') ?? d.memoryPerNode,
    storagePerNode: match('--storage', f.storage, /^[1-9][0-9]*(?:Mi|Gi|Ti)$/, 'must be a storage quantity in Mi, Gi or Ti, such as 2Gi') ?? d.storagePerNode,
    ...(storageClass === undefined ? {} : { storageClass }),
  };
}

export function clusterExportCommand(file: string, f: ClusterExportFlags): number {
  if (f.target !== 'compose' && f.target !== 'k8s') throw new UsageError(`--target: must be compose or k8s, got "${f.target ?? ''}"`);
  if (f.out === undefined || f.out === '') throw new UsageError('--out: required (the directory to write the files to)');
  const options = exportOptionsOf(f);
  const loaded = loadScenarioFile(file, { sets: f.set ?? [] });
  const seed = f.seed === undefined ? (loaded.scenario.seeds[0] ?? 1) : parseSeed(f.seed);
  try {
    const result = exportScenario({ scenario: loaded.scenario, input: loaded.input, seed, realSignatures: f.realSignatures === true }, f.target as ExportTarget, options, f.out);
    for (const written of result.files) process.stdout.write(`${f.out}/${written.path}\n`);
    for (const u of result.unmapped) process.stderr.write(`avsim: not mapped to Chaos Mesh: ${u.fault}: ${u.reason}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ExportInputError || e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}
