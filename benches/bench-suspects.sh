#!/usr/bin/env bash
# Benchmarks `heaptui suspects` on a series of three ~500 MB snapshots of one process (the bench
# shop plus a growing audit trail and churn, benches/gen-bench-series.cjs), next to loading the
# same three (`heaptui trend`, which loads them and computes the per-class trend) and loading
# one: wall time and peak RSS from /usr/bin/time, the series steps from --timings. The
# commands alternate, so a drifting machine affects them alike. Run from the repo root:
#
#   benches/bench-suspects.sh             # generates the series in $BENCH_DIR if missing
#
# Generated snapshots go to $BENCH_DIR (default /tmp/heaptui-bench); they are never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/heaptui-bench}
RUNS=${RUNS:-3}
N=${N:-160000}
EVENTS=${EVENTS:-50000}

cargo build --release --quiet
BIN=target/release/heaptui
dir="$BENCH_DIR/series-$N-$EVENTS"
s=("$dir/series-1.heapsnapshot" "$dir/series-2.heapsnapshot" "$dir/series-3.heapsnapshot")
if [ ! -s "${s[2]}" ]; then
  echo "generating $dir (N=$N, $EVENTS events per interval) ..." >&2
  (umask 077; node --max-old-space-size=20000 benches/gen-bench-series.cjs "$N" "$EVENTS" "$dir" >&2)
fi

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "heaptui: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
for f in "${s[@]}"; do
  cat "$f" > /dev/null   # warm the page cache: runs compare the work, not the disk
  printf '%s: %s MB, %s\n' "$(basename "$f")" "$(awk -v s="$(stat -L -c %s "$f")" 'BEGIN{printf "%.1f", s/1e6}')" \
    "$(head -c 2000 "$f" | grep -o '"node_count":[0-9]*,"edge_count":[0-9]*' | tr -d '"')"
done

measure() { # label command…
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o /tmp/heaptui-bench-time "$@" > /dev/null 2> /tmp/heaptui-bench-err
  read -r wall rss_kb < /tmp/heaptui-bench-time
  printf '%-28s wall %6.2f s, peak RSS %.2f GB %s\n' "$label" "$wall" "$(awk -v k="$rss_kb" 'BEGIN{print k*1024/1e9}')" \
    "$(grep -m1 '^timings of the series' /tmp/heaptui-bench-err | sed 's/timings of the series: /(/; s/$/)/' || true)"
}
for run in $(seq 1 "$RUNS"); do
  echo "run $run:"
  measure "load one (summary, last)" "$BIN" summary --json "${s[2]}"
  measure "load three (trend)" "$BIN" trend --top 1 "${s[@]}"
  measure "suspects" "$BIN" suspects --json --timings "${s[@]}"
done
rm -f /tmp/heaptui-bench-time /tmp/heaptui-bench-err
