#!/usr/bin/env bash
# Loads the service's web pages in headless Debian chromium: starts `dossier serve` on a free
# loopback port over a fresh store, posts a few reports (one with markup in its text), loads `/`,
# follows the link to the story with markup in a report and saves screenshots of both pages. Fails when a page does not
# render, the story link is missing, or report markup reaches the page unescaped.
#
#   bench/serve/browser-check.sh [OUT_DIR]      (needs: apt-get install -y chromium)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/browser-check}
mkdir -p "$out"
cargo build --quiet -p dossier-cli
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

./target/debug/dossier serve --data "$work/data" --listen 127.0.0.1:0 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q 'serving http://' "$work/log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$work/log" | head -1)
[ -n "$base" ] || { echo "browser-check: server did not start" >&2; cat "$work/log" >&2; exit 1; }

curl -sf -X POST --data-binary @- "$base/reports" >/dev/null <<'JSONL'
{"id":"valencia-1","title":"Floods hit Valencia","published":"2024-10-30","source":"Wire","text":"Floods hit Valencia after record rainfall on Tuesday night. Rescuers searched flooded towns near Valencia as the water rose. <img src=x onerror=alert(1)> The regional government opened shelters for thousands of residents."}
{"id":"valencia-2","title":"Rescuers search Valencia towns","published":"2024-10-31","source":"Daily","text":"Rescuers in Valencia searched towns flooded by record rainfall as the floods receded. The regional government opened shelters for thousands of residents. Officials said the death toll was expected to rise."}
{"id":"chess-1","title":"Chess title decided in Singapore","published":"2024-12-12","text":"The chess champion won the world title in a tiebreak match in Singapore. The match went to a final game after thirteen draws."}
JSONL
for _ in $(seq 100); do curl -sf "$base/health" | grep -q '"queued":0' && break; sleep 0.1; done

browser() {
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
}
browser --dump-dom "$base/" >"$work/index.html"
# The flood story: the one whose report carries markup.
story=$(grep -o 'href="/stories/[^"]*\.html">Floods hit Valencia' "$work/index.html" | head -1 |
  sed 's/href="//; s/">.*$//')
[ -n "$story" ] || { echo "browser-check: no link to the flood story on /" >&2; exit 1; }
browser --dump-dom "$base$story" >"$work/story.html"
if grep -q '<img src="x"' "$work/story.html"; then
  echo "browser-check: report markup reached the page unescaped" >&2; exit 1
fi
grep -q '&lt;img src=x onerror=alert(1)&gt;' "$work/story.html" ||
  { echo "browser-check: the report's markup is not shown as text" >&2; exit 1; }
grep -q 'Summary' "$work/story.html" || { echo "browser-check: story page has no summary" >&2; exit 1; }
browser --screenshot="$out/index.png" --window-size=1200,700 "$base/"
browser --screenshot="$out/story.png" --window-size=1200,1400 "$base$story"
echo "browser-check: ok: $base/ and $base$story; screenshots in $out/index.png and $out/story.png"
