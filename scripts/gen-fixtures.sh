#!/usr/bin/env bash
# Regenerates the real heap-snapshot fixtures and their DevTools-oracle goldens,
# always together, so they stay consistent:
#
#   tests/fixtures/<name>.heapsnapshot.gz   leak-base, leak-after, leak-final (one
#                                           Node process, scripts/fixtures/leak-series.cjs),
#                                           internals (exposeInternals: true),
#                                           chromium-detached (headless Chromium page)
#   assets/demo/{base,after}.heapsnapshot.gz   copies of leak-base / leak-after
#   tests/golden/*.json[.gz] + index.json   oracle output on the decompressed fixtures
#   tests/golden/views/                     the object-level views' goldens, made from the
#                                           new fixtures by scripts/gen-view-goldens.sh
# The runtime fixtures (scripts/gen-runtime-fixtures.sh) and their goldens are kept.
#
# usage: scripts/gen-fixtures.sh           (from anywhere; works on the repo it lives in)
# env:
#   ORACLE_DIR=DIR      an installed oracle (has dist/devtools-heap.mjs); default: copy
#                       ../shared/oracle (relative to the repo root) to a temp dir and `npm ci`
#   CHROMIUM=BIN        browser for chromium-page.mjs (default /usr/bin/chromium)
#   SKIP_CHROMIUM=1     don't run Chromium; the existing chromium-detached fixture is
#                       kept (its goldens are still regenerated from it)
#   KEEP_TMP=1          keep the temp dir (raw snapshots, oracle outputs) for debugging
#
# Snapshots are PII-like data: everything is written with umask 077.
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FX="$ROOT/scripts/fixtures"
TOOLS="$FX/golden-tools.cjs"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/heaptui-fixtures.XXXXXX")"
cleanup() {
  if [[ "${KEEP_TMP:-}" == 1 ]]; then
    echo "gen-fixtures: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

log() { echo "gen-fixtures: $*" >&2; }

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  log "node >= 20 required (found $(node --version))"
  exit 1
fi
log "node $(node --version)"

# ---- the oracle --------------------------------------------------------------
if [[ -n "${ORACLE_DIR:-}" ]]; then
  ORACLE="$(cd "$ORACLE_DIR" && pwd)"
else
  SRC="$ROOT/../shared/oracle"
  if [[ ! -f "$SRC/devtools-oracle.mjs" ]]; then
    log "oracle not found at $SRC; set ORACLE_DIR"
    exit 1
  fi
  ORACLE="$WORK/oracle"
  mkdir -p "$ORACLE"
  # copy without node_modules/dist; install the pinned packages (runs the build)
  (cd "$SRC" && tar --exclude=./node_modules --exclude=./dist -cf - .) | (cd "$ORACLE" && tar -xf -)
  log "installing the oracle in $ORACLE"
  (cd "$ORACLE" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
if [[ ! -f "$ORACLE/dist/devtools-heap.mjs" ]]; then
  log "$ORACLE/dist/devtools-heap.mjs missing: run npm install there"
  exit 1
fi
oracle() { node "$ORACLE/devtools-oracle.mjs" "$@"; }

# ---- snapshots -----------------------------------------------------------------
RAW="$WORK/raw"          # as written by node / Chromium
SNAP="$WORK/snap"        # decompressed from the .gz fixtures: what the oracle reads
OUT="$WORK/out"          # staged repo files
mkdir -p "$RAW" "$SNAP" "$OUT/fixtures" "$OUT/golden" "$OUT/demo"
: > "$WORK/fixtures.tsv"

add_fixture() { # name raw-file source-description
  local name="$1" raw="$2" source="$3"
  gzip -9 -n -c "$raw" > "$OUT/fixtures/$name.heapsnapshot.gz"
  gzip -d -c "$OUT/fixtures/$name.heapsnapshot.gz" > "$SNAP/$name.heapsnapshot"
  printf '%s\t%s\t%s\n' "$name" "tests/fixtures/$name.heapsnapshot.gz" "$source" >> "$WORK/fixtures.tsv"
}

log "leak-series.cjs"
node "$FX/leak-series.cjs" "$RAW/leak"
add_fixture leak-base  "$RAW/leak/base.heapsnapshot"  "scripts/fixtures/leak-series.cjs (base: after warm-up)"
add_fixture leak-after "$RAW/leak/after.heapsnapshot" "scripts/fixtures/leak-series.cjs (after: +200 requests)"
add_fixture leak-final "$RAW/leak/final.heapsnapshot" "scripts/fixtures/leak-series.cjs (final: +200 more requests)"

log "leak-series.cjs again, in another process (cross-process comparison)"
node "$FX/leak-series.cjs" "$RAW/rerun"
add_fixture rerun-after "$RAW/rerun/after.heapsnapshot" "scripts/fixtures/leak-series.cjs run a second time (another process): the after snapshot"

log "internals.cjs"
node "$FX/internals.cjs" "$RAW/internals.heapsnapshot"
add_fixture internals "$RAW/internals.heapsnapshot" "scripts/fixtures/internals.cjs (exposeInternals: true)"

log "hostile.cjs"
node "$FX/hostile.cjs" "$RAW/hostile.heapsnapshot"
add_fixture hostile "$RAW/hostile.heapsnapshot" "scripts/fixtures/hostile.cjs (terminal escapes, C1, NUL, bidi in strings, names, class and script names)"

log "secrets.cjs"
node "$FX/secrets.cjs" "$RAW/secrets.heapsnapshot"
add_fixture secrets "$RAW/secrets.heapsnapshot" "scripts/fixtures/secrets.cjs (marker secrets in every kind of string value, for --redact)"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM
CHROMIUM_SOURCE="scripts/fixtures/chromium-page.mjs (headless Chromium page with detached DOM nodes)"
if [[ "${SKIP_CHROMIUM:-}" != 1 ]] && command -v "$CHROMIUM" >/dev/null; then
  log "chromium-page.mjs ($("$CHROMIUM" --version 2>/dev/null | head -n1))"
  mkdir -p "$WORK/deps"
  cp "$FX/package.json" "$FX/package-lock.json" "$WORK/deps/"
  (cd "$WORK/deps" && npm ci --no-audit --no-fund --loglevel=error >&2)
  FIXTURE_DEPS_DIR="$WORK/deps" node "$FX/chromium-page.mjs" "$RAW/chromium.heapsnapshot"
  add_fixture chromium-detached "$RAW/chromium.heapsnapshot" "$CHROMIUM_SOURCE"
elif [[ -f tests/fixtures/chromium-detached.heapsnapshot.gz ]]; then
  log "Chromium skipped/unavailable: keeping the existing chromium-detached fixture"
  gzip -d -c tests/fixtures/chromium-detached.heapsnapshot.gz > "$RAW/chromium.heapsnapshot"
  add_fixture chromium-detached "$RAW/chromium.heapsnapshot" "$CHROMIUM_SOURCE"
else
  log "Chromium skipped/unavailable and no existing fixture: no chromium-detached fixture"
fi

# ---- goldens -------------------------------------------------------------------
G="$OUT/golden"
: > "$WORK/picks.tsv"

# golden NAME-ON-DISK FIXTURE-FILE-NAMES... -- ORACLE-ARGS...
golden() {
  local out="$1"; shift
  local names=()
  while [[ "$1" != -- ]]; do names+=("$1"); shift; done
  shift
  oracle "$@" > "$WORK/oracle-out.json"
  node "$TOOLS" normalize "$WORK/oracle-out.json" "$G/$out" "${names[@]}"
  local size
  size=$(stat -c %s "$G/$out")
  if (( size > 1048576 )); then
    gzip -9 -n "$G/$out"
  fi
}

mapfile -t NAMES < <(cut -f1 "$WORK/fixtures.tsv")
for name in "${NAMES[@]}"; do
  log "summary $name"
  golden "$name.summary.json" "$name.heapsnapshot" -- summary "$SNAP/$name.heapsnapshot" --pretty
done

# The three-snapshot filter: objects allocated between base and after, still alive in final.
lo=$(node -p "require('$G/leak-base.summary.json').totals.maxJSObjectId")
hi=$(node -p "require('$G/leak-after.summary.json').totals.maxJSObjectId")
log "summary leak-final --id-range $lo..$hi"
golden "leak-final.allocated-between.summary.json" "leak-final.heapsnapshot" -- \
  summary "$SNAP/leak-final.heapsnapshot" --id-range "$lo..$hi" --pretty

for pair in leak-base:leak-after leak-after:leak-final leak-base:leak-final; do
  a="${pair%%:*}" b="${pair##*:}"
  log "compare $a $b"
  golden "${a}__${b}.compare.json" "$a.heapsnapshot" "$b.heapsnapshot" -- \
    compare "$SNAP/$a.heapsnapshot" "$SNAP/$b.heapsnapshot" --pretty
done

for name in "${NAMES[@]}"; do
  case "$name" in
    leak-*) profile=leak ;;
    internals) profile=internals ;;
    chromium-*) profile=chromium ;;
    hostile | secrets | rerun-*) continue ;;  # summary golden only; its strings are what the escape tests read
    *) log "no retainers profile for $name"; exit 1 ;;
  esac
  oracle summary "$SNAP/$name.heapsnapshot" --ids > "$WORK/$name.ids.json"
  node "$TOOLS" pick "$profile" "$WORK/$name.ids.json" "$SNAP/$name.heapsnapshot" > "$WORK/$name.picks.tsv"
  while IFS=$'\t' read -r id role note; do
    log "retainers $name @$id ($role)"
    golden "$name.retainers.$id.json" "$name.heapsnapshot" -- \
      retainers "$SNAP/$name.heapsnapshot" "$id" --pretty --depth 2
    printf '%s\t%s\t%s\t%s\n' "$name" "$id" "$role" "$note" >> "$WORK/picks.tsv"
  done < "$WORK/$name.picks.tsv"
done

# ---- install into the repo -------------------------------------------------------
cp "$OUT/fixtures/leak-base.heapsnapshot.gz" "$OUT/demo/base.heapsnapshot.gz"
cp "$OUT/fixtures/leak-after.heapsnapshot.gz" "$OUT/demo/after.heapsnapshot.gz"

mkdir -p tests/fixtures tests/golden assets/demo
# The runtime fixtures (scripts/gen-runtime-fixtures.sh: tests/fixtures/<runtime>-N) and their
# goldens stay; their rows are carried over into the rebuilt index.
RUNTIME_FILES='^(node[0-9]+|deno|bun)-[0-9]'
for f in tests/fixtures/*.heapsnapshot.gz tests/golden/*.json tests/golden/*.json.gz; do
  [[ -e "$f" ]] || continue
  if [[ ! "$(basename "$f")" =~ $RUNTIME_FILES ]] && [[ "$f" != tests/golden/index.json ]]; then
    rm -f "$f"
  fi
done
cp "$OUT/fixtures/"* tests/fixtures/
cp "$OUT/golden/"* tests/golden/
cp "$OUT/demo/"* assets/demo/
node "$TOOLS" carry tests/golden/index.json "$WORK/fixtures.tsv" "$WORK/picks.tsv"
node "$TOOLS" index "$WORK/picks.tsv" "$WORK/fixtures.tsv" tests/golden tests/golden/index.json
ORACLE_DIR="$ORACLE" "$ROOT/scripts/gen-view-goldens.sh"

# ---- sizes -----------------------------------------------------------------------
status=0
for f in tests/fixtures/*.heapsnapshot.gz; do
  size=$(stat -c %s "$f")
  if (( size > 2621440 )); then
    log "WARNING: $f is $size bytes (> 2.5 MB)"
    status=1
  fi
done
du -ch tests/fixtures/*.gz | tail -n1 | sed 's/^/gen-fixtures: fixtures total /' >&2
du -sh tests/fixtures tests/golden assets/demo >&2
log "$(ls tests/golden | wc -l) golden files"
exit "$status"
