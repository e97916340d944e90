#!/usr/bin/env bash
# Measures `heaptui capture` on a live Node process with a large heap
# (scripts/fixtures/capture/big-heap.cjs, MB megabytes of live objects, default 500): the wall
# time and heaptui's peak RSS (/usr/bin/time -v) while it streams the snapshot to disk, next
# to `v8.writeHeapSnapshot()` timed inside the same process (its SIGUSR2 handler). The two are
# alternated RUNS times (default 3) in the same minutes, as this VM drifts. Run from the repo
# root:
#
#   benches/capture.sh            # 500 MB heap
#   MB=1500 benches/capture.sh    # another size
#
# Then, for the memory the target itself needs while a snapshot is taken, each way once more
# in a fresh process: its peak RSS (VmHWM) over the one snapshot.
#
# The snapshots go to $BENCH_DIR (default /tmp/heaptui-capture-bench) and are removed after
# each run; the first one's node and edge counts are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${MB:-500}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/heaptui-capture-bench}

cargo build --release --quiet
BIN=$PWD/target/release/heaptui
mkdir -p "$BENCH_DIR"
rm -f "$BENCH_DIR"/*.heapsnapshot "$BENCH_DIR"/*.heapsnapshot.gz

out=$(mktemp)
pid=
# Starts a fresh big-heap process: sets $pid, its output in $out.
start_target() {
  : >"$out"
  BIG_HEAP_SNAPSHOT_DIR=$BENCH_DIR BIG_HEAP_MAX_SECONDS=3600 \
    node --max-old-space-size=16000 scripts/fixtures/capture/big-heap.cjs "$MB" >"$out" 2>/dev/null &
  pid=$!
  until grep -q '^ready' "$out"; do sleep 0.5; done
}
stop_target() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
start_target
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); node $(node --version)"
echo "process $pid: $(awk '{printf "%.0f MB", $3/1e6}' <(grep '^ready' "$out")) heap used, RSS $(awk '/VmRSS/ {printf "%.0f MB", $2/1000}' /proc/$pid/status)"

counted=0
for run in $(seq "$RUNS"); do
  # v8.writeHeapSnapshot in the process itself.
  lines=$(grep -c '^wrote' "$out" || true)
  kill -USR2 "$pid"
  until [ "$(grep -c '^wrote' "$out" || true)" -gt "$lines" ]; do sleep 0.2; done
  line=$(grep '^wrote' "$out" | tail -1)
  file=$(echo "$line" | cut -d' ' -f2)
  echo "run $run: v8.writeHeapSnapshot   $(echo "$line" | cut -d' ' -f3) s  $(stat -c %s "$file" | awk '{printf "%.0f MB", $1/1e6}')"
  if [ $counted = 0 ]; then
    "$BIN" summary "$file" --json --top 0 | node -e \
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log(`snapshot: ${j.nodeCount} nodes, ${j.edgeCount} edges`)})'
    counted=1
  fi
  rm -f "$file"
  for mode in plain gzip; do
    flag=(); [ $mode = gzip ] && flag=(--gzip)
    /usr/bin/time -v "$BIN" capture "$pid" --yes --out "$BENCH_DIR" "${flag[@]}" \
      >"$BENCH_DIR/files" 2>"$BENCH_DIR/time"
    file=$(cat "$BENCH_DIR/files")
    wall=$(grep 'Elapsed (wall clock)' "$BENCH_DIR/time" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$BENCH_DIR/time" | awk '{printf "%.1f MB", $NF/1000}')
    echo "run $run: heaptui capture ($mode) $wall wall  peak RSS $rss  $(stat -c %s "$file" | awk '{printf "%.0f MB", $1/1e6}')"
    rm -f "$file"
  done
done
echo "process $pid peak RSS (VmHWM) after all runs: $(awk '/VmHWM/ {printf "%.0f MB", $2/1000}' /proc/$pid/status)"
stop_target

hwm() { awk '/VmHWM/ {printf "%.0f MB", $2/1000}' /proc/$pid/status; }
for way in v8 capture capture-gzip; do
  start_target
  before=$(hwm)
  case $way in
    v8) kill -USR2 "$pid"; until grep -q '^wrote' "$out"; do sleep 0.2; done
        rm -f "$(grep '^wrote' "$out" | cut -d' ' -f2)" ;;
    capture) "$BIN" capture "$pid" --yes --out "$BENCH_DIR" >/dev/null 2>&1 ;;
    capture-gzip) "$BIN" capture "$pid" --yes --gzip --out "$BENCH_DIR" >/dev/null 2>&1 ;;
  esac
  echo "fresh process, $way: target peak RSS $before before, $(hwm) after"
  rm -f "$BENCH_DIR"/*.heapsnapshot "$BENCH_DIR"/*.heapsnapshot.gz
  stop_target
done
