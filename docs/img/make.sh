#!/usr/bin/env bash
# Draws every picture in docs/img/ from the built-in model (the copy of
# it in models/iraq-2023.toml) with the dinarflow binary: the charts are
# the binary's own PNG output (drawn with the font it carries, so the
# same on every machine); the briefing is Debian's headless Chromium's
# screenshot of the HTML page, which is kept beside it (brief.html).
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
echo "drew docs/img/: run-rates, trace-flow, tornado, mc-fan, diff-waterfall, brief-html"
