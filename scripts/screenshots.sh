#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real program: the `screenshots` PTY test
# (tests/tui_pty.rs) drives heaptui on the demo pair in a pseudo-terminal and writes each
# screen, colors included, as an HTML page; headless Chromium turns the pages into PNGs.
#
#   scripts/screenshots.sh            # needs cargo; installs chromium with apt-get if missing
set -euo pipefail
cd "$(dirname "$0")/.."

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "installing chromium (headless browser for the HTML → PNG step)" >&2
  apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  browser=$(command -v chromium)
fi
if ! fc-list 2>/dev/null | grep -q "DejaVu Sans Mono"; then
  apt-get install -y -qq fonts-dejavu-core >/dev/null
fi

pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
HEAPTUI_SCREENSHOT_DIR="$pages" cargo test --release --test integration -- --ignored --exact tui_pty::screenshots

mkdir -p screenshots
for page in "$pages"/*.html; do
  name=$(basename "$page" .html)
  size=$(cat "$pages/$name.size")
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$size" --screenshot="screenshots/$name.png" "file://$page" 2>/dev/null
  echo "screenshots/$name.png: $(stat -c %s "screenshots/$name.png") bytes"
done
