/** What an export writes: files relative to --out, written atomically. */
import { join } from 'node:path';
import { writeFileAtomic } from '../../report/atomic.js';
import { IMAGE_DEFAULT } from './node-spec.js';

export interface ExportFile {
  /** Relative to the output directory, `/`-separated. */
  readonly path: string;
  readonly text: string;
}

export interface ExportOptions {
  image: string;
  /** Kubernetes namespace. */
  namespace: string;
  /** CPU per node: Compose `cpus`, Kubernetes request and limit (e.g. "1", "0.5"). */
  cpusPerNode: string;
  /** Memory per node: Compose mem_limit, Kubernetes request and limit (e.g. "1g" / "1Gi"). */
  memoryPerNode: string;
  /** Store volume per node (Kubernetes volumeClaimTemplates). */
  storagePerNode: string;
  storageClass?: string;
}

export const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
  image: IMAGE_DEFAULT,
  namespace: 'avsim',
  cpusPerNode: '1',
  memoryPerNode: '1Gi',
  storagePerNode: '2Gi',
};

export function writeExport(outDir: string, files: readonly ExportFile[]): void {
  for (const f of files) writeFileAtomic(join(outDir, ...f.path.split('/')), f.text);
}
