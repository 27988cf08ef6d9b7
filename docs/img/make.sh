#!/usr/bin/env bash
# Draws every picture in docs/img/ from the built-in model (the copy of
# it in models/iraq-2023.toml) with the dinarflow binary: the charts are
# the binary's own PNG output (drawn with the font it carries, so the
# same on every machine); the briefing is Debian's headless Chromium's
# screenshot of the HTML page, which is kept beside it (brief.html), and
# the what-if page's picture (docs/serve.png) is its screenshot of `serve`.
#
#   docs/img/make.sh                 # with the release binary, built first
#   DINARFLOW=path/to/dinarflow docs/img/make.sh
#
# tests/pictures.rs runs each "$bin" line below and fails when a picture
# (or brief.html) differs from what the binary draws now: run this script
# after a change to the model or to the charts, and commit the pictures.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DINARFLOW:-}" ]; then
  cargo build --release --quiet
fi
bin=${DINARFLOW:-target/release/dinarflow}

"$bin" run models/iraq-2023.toml --size 1280x720 --out docs/img/run-rates.png
"$bin" trace models/iraq-2023.toml --size 1280x720 --out docs/img/trace-flow.png
"$bin" tornado models/iraq-2023.toml --metric parallel_rate --quiet --size 1280x720 --out docs/img/tornado.png
"$bin" mc models/iraq-2023.toml -n 4000 --metric parallel_rate --quiet --size 1280x720 --out docs/img/mc-fan.png
"$bin" diff models/iraq-2023.toml --scenario-b models/scenarios/stricter-screening.toml --quiet --size 1280x720 --out docs/img/diff-waterfall.png
"$bin" brief models/iraq-2023.toml --out docs/img/brief.html

# The briefing as a reader sees it: the first 1,600 pixels of the page.
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --hide-scrollbars --window-size=1280,1600 \
  --screenshot="$PWD/docs/img/brief-html.png" "file://$PWD/docs/img/brief.html" 2>/dev/null
# The what-if page (docs/serve.png, shown in README.md and the guide) as a
# reader sees it: the server on a free port, oil at $65 and the rejection
# rate at 40% from July 2023 in the page's link, the first 1,500 pixels.
log=$(mktemp)
"${bin}" serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do
  url=$(grep -o 'http://[0-9.:]*/' "$log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --hide-scrollbars --virtual-time-budget=8000 --window-size=1280,1500 \
  --screenshot="$PWD/docs/serve.png" \
  "${url}#exports.price_usd_per_bbl=65&auction.rejection_rate@2023-07..=0.4" 2>/dev/null
echo "drew docs/img/: run-rates, trace-flow, tornado, mc-fan, diff-waterfall, brief-html; and docs/serve.png"
