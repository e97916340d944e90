#!/usr/bin/env bash
# Writes the goldens of the object-level views into tests/golden/views/ from the committed
# fixtures (tests/fixtures/*.heapsnapshot.gz), with Chrome DevTools' own code:
#
#   NAME.edges.ID.json            oracle `edges SNAP ID` (all rows): an object's contents, for
#                                 the root (the Containment view's top), each of the root's
#                                 children, each object of the retainers goldens and its
#                                 nearest retainer; NAME.edges-all.ID.json with `--all`
#   NAME.named.FILTER.summary.json  oracle `summary --named-filter FILTER` (the presets)
#   leak-final.allocated-before.summary.json  `summary --id-range 0..max(leak-base)`
#   NAME.ignore.ID.json           oracle `retainers SNAP ID --depth 2 --ignore R…`: ignoring
#                                 the first retainer on ID's path to the roots (and, for the
#                                 leaked request, the first two)
#   NAME.dominated.json           scripts/fixtures/dominated-oracle.mjs: DevTools' dominator
#                                 tree children of the root, its largest children and the
#                                 retainers goldens' objects
#   index.json                    what each golden is and the arguments that made it
#
# The fixtures are not regenerated (scripts/gen-fixtures.sh does that, and calls this script
# after it), so the existing goldens, insta snapshots and tapes stay as they are.
#
# usage: scripts/gen-view-goldens.sh
# env:   ORACLE_DIR=DIR  an installed oracle (has dist/devtools-heap.mjs); default: copy
#                        ../shared/oracle to a temp dir and `npm ci` there
set -euo pipefail
umask 077

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="$ROOT/scripts/fixtures/golden-tools.cjs"
DOMINATED="$ROOT/scripts/fixtures/dominated-oracle.mjs"
OUT_DIR="$ROOT/tests/golden/views"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/heaptui-view-goldens.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log() { echo "gen-view-goldens: $*" >&2; }

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
[[ -f "$ORACLE/dist/devtools-heap.mjs" ]] || { log "$ORACLE/dist/devtools-heap.mjs missing"; exit 1; }
oracle() { node "$ORACLE/devtools-oracle.mjs" "$@"; }

STAGE="$WORK/out"
mkdir -p "$STAGE"
: > "$WORK/index.tsv"

# golden KIND FIXTURE ID OUT-NAME -- COMMAND ARGS... (SNAP in ARGS is the decompressed fixture)
golden() {
  local kind="$1" fixture="$2" id="$3" out="$4"; shift 5
  "$@" > "$WORK/raw.json"
  node "$TOOLS" normalize "$WORK/raw.json" "$STAGE/$out" "$fixture.heapsnapshot"
  local made="$*"
  made="${made//$WORK\/snap\//}"
  made="${made//$ROOT\//}"
  made="${made//$ORACLE/ORACLE}"
  printf '%s\t%s\t%s\t%s\t%s\n' "$out" "$kind" "$fixture" "$id" "$made" >> "$WORK/index.tsv"
}

# json FILE EXPRESSION: evaluates a JS expression over the parsed file (`d`).
json() { node -e "const d = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); const v = ($2); console.log(Array.isArray(v) ? v.join(' ') : v)" "$1"; }

mkdir -p "$WORK/snap"
for name in leak-final internals chromium-detached; do
  snap="$WORK/snap/$name.heapsnapshot"
  gzip -d -c "tests/fixtures/$name.heapsnapshot.gz" > "$snap"
  picks=$(node -e "
    const ix = require('$ROOT/tests/golden/index.json');
    console.log(ix.goldens.filter(g => g.kind === 'retainers' && g.fixture === '$name').map(g => g.nodeId).join(' '));")

  log "$name: dominator tree"
  # shellcheck disable=SC2086
  golden dominated "$name" root "$name.dominated.json" -- node "$DOMINATED" "$ORACLE" "$snap" $picks
  root=$(json "$STAGE/$name.dominated.json" 'd.rootId')

  log "$name: contents of the root and its children"
  golden edges "$name" "$root" "$name.edges.$root.json" -- oracle edges "$snap" "$root" --limit 1000000 --pretty
  golden edges-all "$name" "$root" "$name.edges-all.$root.json" -- oracle edges "$snap" "$root" --limit 1000000 --all --pretty
  ids=$(json "$STAGE/$name.edges.$root.json" 'd.edges.map(e => e.node.id)')
  for id in $picks; do
    ids="$ids $id $(json "tests/golden/$name.retainers.$id.json" 'd.autoExpandedChain.length ? d.autoExpandedChain[0].id : ""')"
  done
  for id in $(tr ' ' '\n' <<< "$ids" | awk 'NF && !seen[$0]++'); do
    [[ -f "$STAGE/$name.edges.$id.json" ]] && continue
    log "$name: contents of @$id"
    golden edges "$name" "$id" "$name.edges.$id.json" -- oracle edges "$snap" "$id" --limit 1000000 --pretty
  done

  for filter in duplicatedStrings objectsRetainedByDetachedDomNodes objectsRetainedByContexts \
                objectsRetainedByConsole objectsRetainedByEventHandlers; do
    log "$name: summary --named-filter $filter"
    golden named-filter "$name" "" "$name.named.$filter.summary.json" -- \
      oracle summary "$snap" --named-filter "$filter" --pretty
  done

  for id in $picks; do
    chain=$(json "tests/golden/$name.retainers.$id.json" 'd.autoExpandedChain.map(s => s.id).slice(0, 2)')
    set -- $chain
    [[ $# -ge 1 ]] || continue
    log "$name: retainers @$id --ignore @$1"
    golden ignore "$name" "$id" "$name.ignore.$id.json" -- \
      oracle retainers "$snap" "$id" --depth 2 --ignore "$1" --pretty
    role=$(node -e "const ix = require('$ROOT/tests/golden/index.json'); console.log(ix.goldens.find(g => g.kind === 'retainers' && g.fixture === '$name' && g.nodeId === $id).role)")
    if [[ "$role" == leaked-first && $# -ge 2 ]]; then
      log "$name: retainers @$id --ignore @$1 --ignore @$2"
      golden ignore "$name" "$id" "$name.ignore2.$id.json" -- \
        oracle retainers "$snap" "$id" --depth 2 --ignore "$1" --ignore "$2" --pretty
    fi
  done
done

log "leak-final: objects allocated before leak-base"
base_max=$(json tests/golden/leak-base.summary.json 'd.totals.maxJSObjectId')
gzip -d -c tests/fixtures/leak-final.heapsnapshot.gz > "$WORK/snap/leak-final.heapsnapshot"
golden id-range leak-final "" leak-final.allocated-before.summary.json -- \
  oracle summary "$WORK/snap/leak-final.heapsnapshot" --id-range "0..$base_max" --pretty

for f in "$STAGE"/*.json; do
  if (( $(stat -c %s "$f") > 1048576 )); then
    gzip -9 -n "$f"
  fi
done
node "$TOOLS" views-index "$WORK/index.tsv" "$STAGE" "$STAGE/index.json"
mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/*.json "$OUT_DIR"/*.json.gz
cp "$STAGE"/* "$OUT_DIR"/
log "$(ls "$OUT_DIR" | wc -l) files in tests/golden/views ($(du -sh "$OUT_DIR" | cut -f1))"
