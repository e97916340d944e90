#!/usr/bin/env bash
# Load times of one snapshot by where it is: a local file (memory-mapped), a pipe
# (`cat FILE | heaptui summary - --json`), a FUSE mount with no added latency (Debian's bindfs)
# and a FUSE mount whose every read waits LATENCY_MS (benches/slowfs.py, a stand-in for a
# mounted bucket). Wall time and peak RSS from /usr/bin/time; RUNS rounds, each running every
# case, alternating with the OLD binary when one is given (it has no pipe case if it predates
# `-`). Run as root from the repo root:
#
#   pip install -r benches/requirements.txt; apt-get install bindfs
#   OLD=/tmp/heaptui-old RUNS=3 LATENCY_MS=2 benches/remote.sh [FILE.heapsnapshot]
#
# FILE defaults to the 498 MB benchmark snapshot of benches/bench.sh ($BENCH_DIR/bench-500…).
# The mounts live in a temporary folder and are unmounted at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/heaptui-bench}
RUNS=${RUNS:-3}
LATENCY_MS=${LATENCY_MS:-2}
FILE=${1:-$BENCH_DIR/bench-500.heapsnapshot}
[ -s "$FILE" ] || { echo "no $FILE: run benches/bench.sh first (it generates it)" >&2; exit 1; }

cargo build --release --quiet
NEW=target/release/heaptui
dir=$(cd "$(dirname "$FILE")" && pwd)
name=$(basename "$FILE")
mnt=$(mktemp -d)
mkdir "$mnt/bind" "$mnt/slow"
cleanup() {
  fusermount3 -u "$mnt/bind" 2>/dev/null || umount "$mnt/bind" 2>/dev/null || true
  fusermount -u "$mnt/slow" 2>/dev/null || umount "$mnt/slow" 2>/dev/null || true
  wait 2>/dev/null || true
  cat "$mnt.slowfs.log" >&2 2>/dev/null || true
  rm -f "$mnt.slowfs.log"
  rmdir "$mnt/bind" "$mnt/slow" "$mnt" 2>/dev/null || true
}
trap cleanup EXIT
bindfs -r "$dir" "$mnt/bind"
python3 benches/slowfs.py "$dir" "$mnt/slow" "$LATENCY_MS" 2>"$mnt.slowfs.log" &
for _ in $(seq 50); do [ -e "$mnt/slow/$name" ] && break; sleep 0.1; done
[ -e "$mnt/slow/$name" ] || { echo "slowfs did not mount" >&2; exit 1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
echo "file: $FILE ($(stat -L -c %s "$FILE") bytes); slow mount: $LATENCY_MS ms per read request"
cat "$FILE" >/dev/null # the local page cache warm: the cases compare the ways of reading

# One case: label, then the command; prints wall seconds and peak RSS.
measure() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$mnt.time" "$@" >/dev/null
  read -r wall rss_kb <"$mnt.time"
  printf '%-28s %6.2f s  %5.2f GB\n' "$label" "$wall" "$(awk -v k="$rss_kb" 'BEGIN{print k*1024/1e9}')"
}

bins=("$NEW")
[ -z "${OLD:-}" ] || bins=("$OLD" "$NEW")
for run in $(seq "$RUNS"); do
  echo "-- round $run"
  # Old and new back to back in each case, so both meet the same machine.
  for case in local pipe bindfs slowfs; do
    for bin in "${bins[@]}"; do
      tag=new
      [ "$bin" = "$NEW" ] || tag=old
      case $case in
      local) measure "$tag local" "$bin" summary --json "$FILE" ;;
      pipe)
        # The old binary may predate `-`.
        [ "$tag" = old ] || measure "$tag pipe" sh -c 'cat "$1" | "$2" summary - --json' sh "$FILE" "$bin"
        ;;
      bindfs) measure "$tag bindfs" "$bin" summary --json "$mnt/bind/$name" ;;
      slowfs) measure "$tag slowfs ${LATENCY_MS} ms" "$bin" summary --json "$mnt/slow/$name" ;;
      esac
    done
  done
done
rm -f "$mnt.time"
