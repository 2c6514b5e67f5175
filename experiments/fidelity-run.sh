#!/usr/bin/env bash
# Simulated vs real for one fidelity scenario (results/fidelity/README.md):
#   1. the real run (avsim cluster run), which also calibrates the cpu section;
#   2. the simulated run with the scenario as written (uncalibrated, for reference);
#   3. the simulated run with the calibrated cpu section (--set flags from step 1);
#   4. avsim compare of 3 against 1 (verdict), and of 2 against 1.
# Usage: experiments/fidelity-run.sh experiments/fidelity-20-constant.yaml [--signatures modelled] [--kernel-net] [--sim-only]
# With --kernel-net (root) the real run's nodes are in network namespaces and its partitions are nftables
# rules; the results go to results/fidelity/<name>-kernel-net.
# With --sim-only the real run is not repeated: steps 2-4 run against the real run already in
# results/fidelity/<name>[-kernel-net]/real (the simulator side re-measured after a protocol change; the
# calibration is read from that real run). Pass the same other flags as for the real run.
set -euo pipefail
cd "$(dirname "$0")/.."
file=$1; shift
name=$(basename "$file" .yaml)
suffix=
sim_only=
args=()
for a in "$@"; do
  [ "$a" = --kernel-net ] && suffix=-kernel-net
  if [ "$a" = --sim-only ]; then sim_only=1; else args+=("$a"); fi
done
set -- "${args[@]+"${args[@]}"}"
out=results/fidelity/$name$suffix
avsim() { node dist/src/cli/main.js "$@"; }
if [ -n "$sim_only" ]; then
  [ -f "$out/real/runs.json" ] || { echo "fidelity-run.sh: --sim-only: $out/real/runs.json missing (run once without --sim-only)" >&2; exit 2; }
  rm -rf "$out/sim" "$out/sim-uncalibrated" "$out/compare" "$out/compare-uncalibrated"
else
  rm -rf "$out"
  nice -n 10 node dist/src/cli/main.js cluster run "$file" --seed 1 --out "$out/real" --no-progress "$@"
fi
avsim run "$file" --seed 1 --out "$out/sim-uncalibrated" --no-progress
# The calibrated cpu section, as --set flags (only the fields that differ from the file's).
mapfile -t sets < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1] + "/runs.json", "utf8"))[0];
  const c = r.real.calibration;
  for (const [k, v] of Object.entries(c.suggestedCpu)) if (String(c.scenarioCpu[k]) !== String(v)) console.log(`--set\ncpu.${k}=${v}`);
' "$out/real")
avsim run "$file" --seed 1 "${sets[@]}" --out "$out/sim" --no-progress
avsim compare "$out/sim" "$out/real" --out "$out/compare" || true
avsim compare "$out/sim-uncalibrated" "$out/real" --out "$out/compare-uncalibrated" --no-png || true
for d in real sim sim-uncalibrated; do avsim report "$out/$d" --no-png > /dev/null; done
