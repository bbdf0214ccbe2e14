#!/usr/bin/env bash
# Renders a sweep's report.html in headless Chromium (Debian's package: apt-get install chromium) and checks
# that it renders offline and that its frontier plot has one point per quant of summary.json.
# Usage: scripts/check-report-in-chromium.sh DIR   (DIR holds report.html and summary.json)
set -euo pipefail
dir="${1:?usage: $0 SWEEP_DIR}"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "chromium not found: apt-get install chromium" >&2; exit 2; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile")
dom="$(timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$(cd "$dir" && pwd)/report.html" 2>/dev/null)"
timeout 60 "$browser" "${flags[@]}" --window-size=1200,1600 --screenshot="$dir/report.png" \
  "file://$(cd "$dir" && pwd)/report.html" >/dev/null 2>&1
points="$(grep -o '<g class="point[^"]*" data-quant="[^"]*"' <<<"$dom" | sed 's/.*data-quant="//; s/"$//' | sort | tr '\n' ' ')"
quants="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(sorted(r["quant_tag"] for f in d["frontiers"] for r in f["rows"] if r["quality"] is not None and r["generation_tokens_per_second"] is not None)))' "$dir/summary.json")"
echo "rendered: $(wc -c <<<"$dom") bytes of DOM; screenshot $dir/report.png"
echo "plot points: $points"
echo "summary quants: $quants"
[ "$(echo $points)" = "$(echo $quants)" ] || { echo "FAIL: plot points differ from the summary's quants" >&2; exit 1; }
echo "OK: one plot point per quant"
