/** Region latency matrices a scenario can name instead of writing one out. */
import { SIMBLOCK_LATENCY_2019_MS, SIMBLOCK_REGIONS_2019 } from '../sim/latency.js';

export interface RegionMatrix {
  regions: readonly string[];
  /** One-way latency in ms, oneWayMs[from][to]. */
  oneWayMs: readonly (readonly number[])[];
}

export const REGION_PRESETS = {
  /** SimBlock (2019) six-region one-way latency, ms: NA, EU, SA, AP, JP, AU (source named in src/sim/latency.ts). */
  'simblock-2019': { regions: SIMBLOCK_REGIONS_2019, oneWayMs: SIMBLOCK_LATENCY_2019_MS },
} as const satisfies Record<string, RegionMatrix>;

export type RegionPresetName = keyof typeof REGION_PRESETS;
export const REGION_PRESET_NAMES = Object.keys(REGION_PRESETS) as RegionPresetName[];
