#!/usr/bin/env bash
# Benchmark: the search index of N synthetic partners (default 1000): its size, raw and
# gzip-compressed, on each site, and the time from a keystroke to the results shown in
# headless Chromium, for a few words (median of 15 each). Usage: bench/search.sh [N]
# Needs Chromium and PAGES_TOOLS, a folder with puppeteer-core installed (see .ci/run).
set -euo pipefail
n=${1:-1000}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cargo build --release --quiet --bin advocate --example synth
./target/release/examples/synth "$n" "$tmp" >/dev/null
./target/release/advocate build --no-workbooks --root "$tmp" >/dev/null
for site in private site; do
  index="$tmp/output/$site/search-index.js"
  echo "$site index: $(wc -c <"$index") bytes, $(gzip -9 -c "$index" | wc -c) gzip-compressed, $(grep -o '"u":' "$index" | wc -l) sections"
done
NODE_PATH="$PAGES_TOOLS/node_modules" node .ci/search.mjs time "$tmp/output/private" \
  the referral smith "year end" zzqqxx
rm -rf "$tmp"
