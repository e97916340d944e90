#!/usr/bin/env bash
# Benchmarks `heaptui summary --json` on large snapshots: file size, nodes/edges, wall time,
# peak RSS, and the time of each load phase. Run from the repo root:
#
#   benches/bench.sh                       # the 500 MB and 1.5 GB snapshots (generated if missing)
#   benches/bench.sh FILE.heapsnapshot...  # any snapshots
#
# Generated snapshots go to $BENCH_DIR (default /tmp/heaptui-bench); they are never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/heaptui-bench}
RUNS=${RUNS:-3}
# Seconds between runs. Some VMs hand freed memory back to their host a couple of seconds
# after it is freed (virtio-balloon free page reporting); a run started right after another
# then meets the previous run's 1.9 GB being reported, and its page faults cost about 4x.
PAUSE=${PAUSE:-3}

cargo build --release --quiet
BIN=target/release/heaptui

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mkdir -p "$BENCH_DIR"
  for spec in "160000 500" "480000 1500"; do
    set -- $spec
    f="$BENCH_DIR/bench-$2.heapsnapshot"
    if [ ! -s "$f" ]; then
      echo "generating $f (N=$1) ..." >&2
      (umask 077; node --max-old-space-size=20000 benches/gen-bench-snapshot.cjs "$1" "$f" >&2)
    fi
    files+=("$f")
  done
fi

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "heaptui: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
for f in "${files[@]}"; do
  size=$(stat -L -c %s "$f")
  echo
  echo "== $f ($(awk -v s="$size" 'BEGIN{printf "%.1f MB", s/1e6}'))"
  for run in $(seq 1 "$RUNS"); do
    # Warm the page cache before every run so runs compare the parser, not the disk: some VMs
    # page cold page cache out in the background (DAMON's `pageout` scheme), and a run then
    # reads part of the file from disk again.
    cat "$f" > /dev/null
    sleep "$PAUSE"
    /usr/bin/time -f "%e %M" -o /tmp/heaptui-bench-time "$BIN" summary --json --timings "$f" \
      > /tmp/heaptui-bench-out.json 2> /tmp/heaptui-bench-err
    read -r wall rss_kb < /tmp/heaptui-bench-time
    counts=$(grep -m1 '^timings for' /tmp/heaptui-bench-err | sed 's/.*: //')
    printf 'run %d: %s, wall %.2f s, peak RSS %.2f GB (%.2f GiB)\n' "$run" "$counts" "$wall" \
      "$(awk -v k="$rss_kb" 'BEGIN{print k*1024/1e9}')" "$(awk -v k="$rss_kb" 'BEGIN{print k/1048576}')"
  done
  echo "phases of the last run:"
  grep '^  ' /tmp/heaptui-bench-err
done
rm -f /tmp/heaptui-bench-time /tmp/heaptui-bench-out.json /tmp/heaptui-bench-err
