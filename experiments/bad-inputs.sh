#!/usr/bin/env bash
# Every bad input of issue 13 and its neighbours, tried as a new user would:
# prints a markdown table of each input with its exit code and the first line
# avsim writes to stderr. Nothing here simulates more than a 2 s, 20-node run
# (the resume and report rows need one finished two-seed sweep).
#
#   npm run build && bash experiments/bad-inputs.sh > /tmp/bad-inputs.md
#
# Run as root, it also mounts a read-only tmpfs for the read-only rows (and
# unmounts it); otherwise those rows say "not tried (needs root)".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLI="$ROOT/dist/src/cli/main.js"
D=$(mktemp -d /tmp/avsim-bad-inputs.XXXXXX)
RO=""
cleanup() {
  if [ -n "$RO" ]; then umount "$RO" 2>/dev/null; fi
  rm -rf "$D"
}
trap cleanup EXIT
cd "$D" || exit 1

cat > small.yaml <<'EOF'
name: small
duration: 2s
nodes: {count: 20}
network:
  latency: {kind: constant, oneWay: 20ms}
workload:
  phases:
    - {kind: constant, rateTps: 10, duration: 2s}
EOF
printf 'seeds: 2\n' | cat small.yaml - > two-seeds.yaml
cat > lognormal.yaml <<'EOF'
name: lognormal-no-floor
duration: 2s
nodes: {count: 20}
network:
  latency: {kind: lognormal, median: 40ms, sigma: 0.5}
workload:
  phases:
    - {kind: constant, rateTps: 10, duration: 2s}
EOF
echo 'not a directory' > a-file
mkdir a-dir
: > empty.yaml
printf 'name: [unclosed\n' > syntax.yaml
printf '\x00\x01\x02binary' > binary.yaml
head -c 1100000 /dev/zero | tr '\0' '#' > big.yaml
{
  echo 'a: &a ["x","x","x","x","x","x","x","x","x"]'
  prev=a
  for n in b c d e f g h i j; do
    printf '%s: &%s [' "$n" "$n"
    for _ in 1 2 3 4 5 6 7 8; do printf '*%s,' "$prev"; done
    printf '*%s]\n' "$prev"
    prev=$n
  done
} > bomb.yaml
if [ "$(id -u)" = 0 ]; then
  mkdir ro && mount -t tmpfs -o ro,size=1m tmpfs ro 2>/dev/null && RO="$D/ro"
fi
# One finished sweep for the resume and report rows, and copies to damage.
node "$CLI" sweep two-seeds.yaml --out done --no-progress > /dev/null 2>&1 || { echo "the sweep the resume rows need failed" >&2; exit 1; }
cp -r done truncated && f=$(ls truncated/runs/*.json | head -1) && head -c 100 "$f" > "$f.tmp" && mv "$f.tmp" "$f"
cp -r done tampered && f=$(ls tampered/runs/*.json | head -1) && sed -i 's/"tps": *[0-9.]*/"tps": 99999/' "$f"
cp -r done tampered-report && f=$(ls tampered-report/runs/*.json | head -1) && sed -i 's/"tps": *[0-9.]*/"tps": 99999/' "$f"
mkdir empty-results

echo '| # | bad input | command | exit | first line of stderr (a sweep: the line after its task count) |'
echo '|---:|---|---|---:|---|'
i=0
row() {
  local what=$1
  shift
  i=$((i + 1))
  local err code first
  err=$(AVSIM_DEBUG='' timeout 60 node "$CLI" "$@" 2>&1 >/dev/null)
  code=$?
  # A sweep's first line names its tasks; the line after it is the answer.
  first=$(printf '%s\n' "$err" | grep -v -E '^sweep .*: [0-9]+ task\(s\), [0-9]+ worker\(s\) -> ' | head -1 | sed "s#$D/#./#g; s#$D#.#g; s/|/\\\\|/g")
  local cmd
  cmd=$(printf '%s ' "$@" | sed "s#$D/#./#g; s#$D#.#g; s#$ROOT/##g; s/|/\\\\|/g; s/ $//")
  echo "| $i | $what | \`avsim $cmd\` | $code | $first |"
}

# validate must reject everything run rejects
row 'unknown Byzantine strategy (validate)' validate small.yaml --set byzantine.strategy=nope --set byzantine.count=2
row 'unknown Byzantine strategy (run)' run small.yaml --set byzantine.strategy=nope --set byzantine.count=2
row 'unknown Byzantine strategy (sweep)' sweep small.yaml --set byzantine.strategy=nope --set byzantine.count=2 --out s1 --no-progress
row 'a strategy option it does not take' validate small.yaml --set byzantine.strategy=silent --set byzantine.count=2 --set byzantine.options.x=1
row 'a strategy option of the wrong type' validate small.yaml --set byzantine.strategy=always-accept --set byzantine.count=2 --set byzantine.options.equivocate=3
row 'node count 16,384 (validate)' validate small.yaml --set nodes.count=16384
row 'node count 100,000 (run)' run small.yaml --set nodes.count=100000
row 'node count 0' validate small.yaml --set nodes.count=0
row 'node count not a number' validate small.yaml --set nodes.count=abc
row '__proto__ inside a --set path' validate small.yaml --set nodes.__proto__.count=5
row '__proto__ at the top of a --set path' validate small.yaml --set __proto__.x=1
row 'constructor in a --set path' validate small.yaml --set constructor.prototype=1
row 'prototype in a --set path' validate small.yaml --set nodes.prototype=1
row '--set without =' validate small.yaml --set nodes.count
row '--set of an unknown field' validate small.yaml --set nodes.colour=red
row '--set protocol.x on a file without a protocol section' validate small.yaml --set protocol.conflictFraction=0.1
row '--trace-nodes 500 on a 20-node run' run small.yaml --trace t.jsonl --trace-nodes 500
row '--trace-window entirely past the end' run small.yaml --trace t.jsonl --trace-window 10s..20s
row '--trace-window malformed' run small.yaml --trace t.jsonl --trace-window soon
row '--trace-nodes without --trace' run small.yaml --trace-nodes 3
row 'uniform latency min: -10ms' validate small.yaml --set 'network.latency={kind: uniform, min: -10ms, max: 10ms}'
row 'uniform latency min above max' validate small.yaml --set 'network.latency={kind: uniform, min: 30ms, max: 10ms}'
row 'unknown latency kind' validate small.yaml --set 'network.latency={kind: gaussian}'
row 'phases[5] on a one-phase file' validate small.yaml --set 'workload.phases[5].rateTps=3'
row 'negative rate' validate small.yaml --set 'workload.phases[0].rateTps=-3'
row 'a duration without a unit' validate small.yaml --set duration=10
row 'a negative duration' validate small.yaml --set duration=-5s
row 'a duration past the 400-day limit' validate small.yaml --set duration=401d
row 'k above the total stake units' validate small.yaml --set nodes.count=1 --set 'nodes.stake={kind: explicit, weights: [3]}' --set parameters.k=5 --set parameters.alphaPreference=3 --set parameters.alphaConfidence=3
row 'k above nodes.count (a warning, exit 0)' validate small.yaml --set parameters.k=30 --set parameters.alphaPreference=16 --set parameters.alphaConfidence=16
row 'alphaPreference <= k/2' validate small.yaml --set parameters.alphaPreference=10
row 'alphaConfidence above k' validate small.yaml --set parameters.alphaConfidence=21
row 'beta 0' validate small.yaml --set parameters.beta=0
row 'concurrentRepolls above beta' validate small.yaml --set parameters.concurrentRepolls=30
row 'zipf stake beyond 32-bit units' validate small.yaml --set 'nodes.stake={kind: zipf, exponent: 10}'
row 'seeds 0' validate small.yaml --set seeds=0
row 'a sweep axis with no values' validate small.yaml --set 'sweep={nodes.count: []}'
# I/O errors are bad input, found before the work
row 'run --out an existing file' run small.yaml --out a-file
row 'run --out under a file' run small.yaml --out a-file/x
row 'run --out under /sys' run small.yaml --out /sys/avsim
row 'run --out under /proc (hung before)' run small.yaml --out /proc/avsim
row 'sweep --out under /proc (hung before)' sweep small.yaml --out /proc/avsim --no-progress
row 'sweep --out an existing file' sweep small.yaml --out a-file --no-progress
row 'check --out under /proc' check "$ROOT/experiments/bft-threshold-reduced.yaml" --out /proc/avsim
if [ -n "$RO" ]; then
  row 'run --out on a read-only file system' run small.yaml --out ro/x
  row 'sweep --out a read-only directory' sweep small.yaml --out ro --no-progress
  row '--trace on a read-only file system' run small.yaml --trace ro/t.jsonl
else
  for w in 'run --out on a read-only file system' 'sweep --out a read-only directory' '--trace on a read-only file system'; do i=$((i + 1)); echo "| $i | $w | | | not tried (needs root to mount a read-only tmpfs) |"; done
fi
row '--trace a directory' run small.yaml --trace a-dir
row 'a scenario path that is a directory' run a-dir
row 'a scenario path that does not exist' validate nope.yaml
row 'an empty scenario file' validate empty.yaml
row 'a YAML syntax error' validate syntax.yaml
row 'a binary file' validate binary.yaml
row 'a scenario file over 1 MiB' validate big.yaml
row 'a YAML alias bomb' validate bomb.yaml
row '--max-wall without a unit' run small.yaml --max-wall 10
row '--max-wall 0' run small.yaml --max-wall 0
row '--max-wall negative' run small.yaml --max-wall=-5m
row '--max-wall not a duration' sweep small.yaml --max-wall soon --no-progress
# Resume and report trust only what the sweep wrote
row 'sweep --resume over a truncated runs/*.json' sweep two-seeds.yaml --out truncated --resume --no-progress
row 'sweep --resume over a result edited to tps 99999' sweep two-seeds.yaml --out tampered --resume --no-progress
row 'report over a result edited to tps 99999' report tampered-report --no-png
row 'report on a directory without runs' report empty-results
row 'report on a directory that does not exist' report no-such-dir
row 'sweep --out a finished sweep, neither --resume nor --replace' sweep two-seeds.yaml --out done --no-progress
# Flags a user mistypes
row '--sed (a typo of --seed)' run small.yaml --sed 3
row '--seed not a number' run small.yaml --seed abc
row '--seed -1' run small.yaml --seed=-1
row '--workers 0' run small.yaml --workers 0
row '--workers 2 on lognormal with no floor' run lognormal.yaml --workers 2
row 'an unknown command' simulate small.yaml
row 'run without a file' run
