#!/usr/bin/env bash
# How large a real cluster this machine runs before its own CPU saturates:
# experiments/fidelity-20-constant.yaml at N nodes for 30 s each (real only),
# one CSV row per size: the machine's CPU (all of it, this run's share, other
# work), mean CPU per node, the latency emulation error, finality, messages.
# Usage: experiments/fidelity-sizes.sh [N ...]   (default 4 8 12 16 20 24)
set -euo pipefail
cd "$(dirname "$0")/.."
out=results/fidelity/sizes
mkdir -p "$out"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(4 8 12 16 20 24)
csv=$out/sizes.csv
echo "nodes,host_busy,run_share,other_work,cpu_per_node,emulation_p50_ms,emulation_p99_ms,client_p50_ms,client_p95_ms,tps,msgs_per_node_s,store_write_ms,fault_free" > "$csv"
for n in "${sizes[@]}"; do
  nice -n 10 node dist/src/cli/main.js cluster run experiments/fidelity-20-constant.yaml --seed 1 --signatures modelled --no-progress --json \
    --set nodes.count="$n" --set duration=30s --set 'workload.phases[0].duration=30s' --set measurement.warmup=5s > "$out/n$n.json"
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").at(-1));
    const r = s.real, h = r.hostCpu, e = r.emulationError;
    const cpu = r.perNode.reduce((a, x) => a + x.cpuUtilisation, 0) / r.perNode.length;
    console.log([s.nodes, h.busyFraction, h.runFraction, h.otherFraction, cpu.toFixed(4), e.p50Ms, e.p99Ms, s.latencyMs.p50, s.latencyMs.p95, s.tps, s.messagesPerNodePerSecond, r.store.meanWriteMs, r.faults.length === 0].join(","));
  ' "$out/n$n.json" >> "$csv"
  tail -1 "$csv"
done
