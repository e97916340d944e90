#!/usr/bin/env bash
# Regenerates the runtime fixtures and their DevTools-oracle goldens, together:
#
#   tests/fixtures/<runtime>-{1,2,3}.heapsnapshot.gz   one leaking app per runtime
#                                                      (scripts/fixtures/runtimes/apps),
#                                                      three snapshots from one process
#   tests/golden/<runtime>-*.json + index.json         summary of each, compare 1→2 and 2→3,
#                                                      retainers of the first and last leaked
#                                                      object of the last snapshot
#
# The runtimes are npm packages pinned in scripts/fixtures/runtimes/package{,-lock}.json
# (Node 22/24/26, Deno, Bun), installed into a temp dir with `npm ci`. The other fixtures
# and their goldens (scripts/gen-fixtures.sh) are kept as they are; index.json is rebuilt
# with both.
#
# usage: scripts/gen-runtime-fixtures.sh [RUNTIME...]   (default: every runtime in expected.json)
# env:   ORACLE_DIR=DIR  an installed oracle (default: copy ../shared/oracle and `npm ci`)
#        KEEP_TMP=1      keep the temp dir
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RT="$ROOT/scripts/fixtures/runtimes"
TOOLS="$ROOT/scripts/fixtures/golden-tools.cjs"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/heaptui-runtimes.XXXXXX")"
cleanup() {
  if [[ "${KEEP_TMP:-}" == 1 ]]; then echo "gen-runtime-fixtures: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log() { echo "gen-runtime-fixtures: $*" >&2; }

# ---- the oracle (as scripts/gen-fixtures.sh) ----------------------------------------
if [[ -n "${ORACLE_DIR:-}" ]]; then
  ORACLE="$(cd "$ORACLE_DIR" && pwd)"
else
  SRC="$ROOT/../shared/oracle"
  [[ -f "$SRC/devtools-oracle.mjs" ]] || { log "oracle not found at $SRC; set ORACLE_DIR"; exit 1; }
  ORACLE="$WORK/oracle"
  mkdir -p "$ORACLE"
  (cd "$SRC" && tar --exclude=./node_modules --exclude=./dist -cf - .) | (cd "$ORACLE" && tar -xf -)
  log "installing the oracle in $ORACLE"
  (cd "$ORACLE" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
oracle() { node "$ORACLE/devtools-oracle.mjs" "$@"; }

# ---- the runtimes ----------------------------------------------------------------------
DEPS="$WORK/runtimes"
mkdir -p "$DEPS"
cp "$RT/package.json" "$RT/package-lock.json" "$DEPS/"
log "installing the pinned runtimes"
(cd "$DEPS" && npm ci --no-audit --no-fund --loglevel=error >&2)

mapfile -t ALL < <(node -e 'for (const a of require(process.argv[1])) console.log(a.runtime)' "$RT/expected.json")
if (( $# > 0 )); then RUNTIMES=("$@"); else RUNTIMES=("${ALL[@]}"); fi

RAW="$WORK/raw" SNAP="$WORK/snap" G="$WORK/golden"
mkdir -p "$RAW" "$SNAP" "$G" "$WORK/fixtures"
: > "$WORK/fixtures.tsv"
: > "$WORK/picks.tsv"

golden() { # NAME-ON-DISK FIXTURE-NAMES... -- ORACLE-ARGS...
  local out="$1"; shift
  local names=()
  while [[ "$1" != -- ]]; do names+=("$1"); shift; done
  shift
  oracle "$@" > "$WORK/oracle-out.json"
  node "$TOOLS" normalize "$WORK/oracle-out.json" "$G/$out" "${names[@]}"
}

for rt in "${RUNTIMES[@]}"; do
  mapfile -t RUN < <(node -e '
    const a = require(process.argv[1]).find((a) => a.runtime === process.argv[2]);
    if (!a) { console.error("unknown runtime " + process.argv[2]); process.exit(1); }
    for (const w of a.run) console.log(w === "APP" ? process.argv[3] + "/apps/" + a.app : w === "OUT" ? process.argv[4] : w.startsWith("node_modules/") ? process.argv[5] + "/" + w : w);
    ' "$RT/expected.json" "$rt" "$RT" "$RAW/$rt" "$DEPS")
  log "$rt: ${RUN[*]##*/}"
  "${RUN[@]}"
  app="$(node -p 'require(process.argv[1]).find((a) => a.runtime === process.argv[2]).app' "$RT/expected.json" "$rt")"
  leaks="$(node -p 'require(process.argv[1]).find((a) => a.runtime === process.argv[2]).leaks' "$RT/expected.json" "$rt")"
  for i in 1 2 3; do
    name="$rt-$i"
    gzip -9 -n -c "$RAW/$rt/$i.heapsnapshot" > "$WORK/fixtures/$name.heapsnapshot.gz"
    gzip -d -c "$WORK/fixtures/$name.heapsnapshot.gz" > "$SNAP/$name.heapsnapshot"
    printf '%s\t%s\t%s\n' "$name" "tests/fixtures/$name.heapsnapshot.gz" \
      "scripts/fixtures/runtimes/apps/$app (snapshot $i of 3, one process)" >> "$WORK/fixtures.tsv"
    log "summary $name"
    golden "$name.summary.json" "$name.heapsnapshot" -- summary "$SNAP/$name.heapsnapshot" --pretty
  done
  for pair in 1:2 2:3; do
    a="$rt-${pair%%:*}" b="$rt-${pair##*:}"
    log "compare $a $b"
    golden "${a}__${b}.compare.json" "$a.heapsnapshot" "$b.heapsnapshot" -- \
      compare "$SNAP/$a.heapsnapshot" "$SNAP/$b.heapsnapshot" --pretty
  done
  last="$rt-3"
  oracle summary "$SNAP/$last.heapsnapshot" --ids > "$WORK/$last.ids.json"
  node "$TOOLS" pick "class:$leaks" "$WORK/$last.ids.json" "$SNAP/$last.heapsnapshot" > "$WORK/$last.picks.tsv"
  while IFS=$'\t' read -r id role note; do
    log "retainers $last @$id ($role)"
    golden "$last.retainers.$id.json" "$last.heapsnapshot" -- \
      retainers "$SNAP/$last.heapsnapshot" "$id" --pretty --depth 2
    printf '%s\t%s\t%s\t%s\n' "$last" "$id" "$role" "$note" >> "$WORK/picks.tsv"
  done < "$WORK/$last.picks.tsv"
done

# ---- install into the repo, keeping every other fixture's goldens --------------------------
for rt in "${RUNTIMES[@]}"; do
  rm -f "tests/fixtures/$rt"-[0-9].heapsnapshot.gz tests/golden/"$rt"-[0-9].*.json tests/golden/"$rt"-[0-9]__*.json
done
cp "$WORK/fixtures/"* tests/fixtures/
cp "$G/"* tests/golden/
# the rows of the fixtures not made now, from the current index
node "$TOOLS" carry tests/golden/index.json "$WORK/fixtures.tsv" "$WORK/picks.tsv"
node "$TOOLS" index "$WORK/picks.tsv" "$WORK/fixtures.tsv" tests/golden tests/golden/index.json

du -ch "tests/fixtures/"{node22,node24,node26,deno,bun}-*.heapsnapshot.gz 2>/dev/null | tail -n1 \
  | sed 's/^/gen-runtime-fixtures: runtime fixtures total /' >&2
