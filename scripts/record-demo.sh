#!/usr/bin/env bash
# Records the README's demo from its tape, so the recording is remade whenever the tape changes
# (tests/tui_tapes.rs fails on a recording older than its tape):
#   1. the tape replayer (tests/tui_tapes.rs) plays assets/tapes/demo.tape against the release
#      binary in a pseudo-terminal, checking its "# expect:" lines, and writes what the terminal
#      received as an asciicast (assets/recordings/demo.cast);
#   2. svg-term-cli (pinned in scripts/demo/package.json) draws that as an animated SVG.
# VHS needs a browser and ffmpeg that this project does not assume; this needs node and cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/recordings
mkdir -p "$out"
HEAPTUI_RECORD="$PWD/$out" cargo test --release --test integration \
  tui_tapes::demo_tape_replays -- --exact
(cd scripts/demo && npm ci --silent --no-audit --no-fund)
scripts/demo/node_modules/.bin/svg-term --in "$out/demo.cast" --out "$out/demo.svg" --window
echo "wrote $out/demo.cast and $out/demo.svg"
