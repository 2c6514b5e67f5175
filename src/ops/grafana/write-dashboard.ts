/** Rewrites deploy/grafana/dashboards/avsim.json from dashboard.ts (run after changing a panel). */
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../report/atomic.js';
import { deployFile } from '../package-root.js';
import { dashboardText } from './dashboard.js';

export const dashboardFile = (): string => deployFile('grafana', 'dashboards', 'avsim.json');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileAtomic(dashboardFile(), dashboardText());
  process.stdout.write(`${dashboardFile()}\n`);
}
