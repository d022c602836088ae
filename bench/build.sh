#!/usr/bin/env bash
# Benchmark: time `advocate build` on N synthetic partners (default 1000) and report the median
# wall time and the peak memory. Usage: bench/build.sh [N]
# Needs hyperfine and GNU time (`apt-get install hyperfine time`).
set -euo pipefail
n=${1:-1000}
cd "$(dirname "$0")/.."
site=$(mktemp -d)/synth
cargo build --release --quiet --bin advocate --example synth
./target/release/examples/synth "$n" "$site"
echo "input: $(cat "$site"/content/partners/*.yaml | wc -c) bytes of partner YAML"
./target/release/advocate build --root "$site" >/dev/null
echo "output: $(find "$site/output" -type f | wc -l) files, $(du -sh "$site/output" | cut -f1)"
hyperfine --warmup 2 --runs 15 --export-json "$site/hyperfine.json" \
  "./target/release/advocate build --root $site"
python3 - "$site/hyperfine.json" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"][0]
print(f"median {statistics.median(r['times'])*1000:.0f} ms over {len(r['times'])} runs")
PY
/usr/bin/time -f "peak memory %M KB" ./target/release/advocate build --root "$site" >/dev/null
rm -rf "$(dirname "$site")"
