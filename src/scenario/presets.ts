/** Region latency matrices a scenario can name instead of writing one out. */

export interface RegionMatrix {
  regions: string[];
  /** One-way latency in ms, oneWayMs[from][to]. */
  oneWayMs: number[][];
}

export const REGION_PRESETS = {
  /** SimBlock (2019) six-region one-way latency, ms: NA, EU, SA, AP, JP, AU. */
  'simblock-2019': {
    regions: ['NA', 'EU', 'SA', 'AP', 'JP', 'AU'],
    oneWayMs: [
      [32, 124, 184, 198, 151, 189],
      [124, 11, 227, 237, 252, 294],
      [184, 227, 88, 325, 301, 322],
      [198, 237, 325, 85, 58, 198],
      [151, 252, 301, 58, 12, 126],
      [189, 294, 322, 198, 126, 16],
    ],
  },
} as const satisfies Record<string, RegionMatrix>;

export type RegionPresetName = keyof typeof REGION_PRESETS;
export const REGION_PRESET_NAMES = Object.keys(REGION_PRESETS) as RegionPresetName[];
