#!/usr/bin/env bash
# Benchmark: time `advocate build` on N synthetic partners (default 1000): the two websites alone
# (`--no-workbooks`), then everything (websites, N x 5 workbooks, handouts, guide.pdf).
# Reports median wall time and peak memory of each. Usage: bench/build.sh [N]
# Needs hyperfine and GNU time (`apt-get install hyperfine time`).
set -euo pipefail
n=${1:-1000}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cargo build --release --quiet --bin advocate --example synth
./target/release/examples/synth "$n" "$tmp/sites" >/dev/null
./target/release/examples/synth "$n" "$tmp/all" >/dev/null
echo "input: $n partners, $(cat "$tmp"/sites/content/partners/*.yaml | wc -c) bytes of partner YAML"
median() {
  python3 -c 'import json,statistics,sys; t=json.load(open(sys.argv[1]))["results"][0]["times"]; print("median %.0f ms over %d runs" % (statistics.median(t)*1000, len(t)))' "$1"
}
for mode in sites all; do
  flags=""; runs=15
  if [ "$mode" = sites ]; then flags="--no-workbooks"; else runs=5; fi
  cmd="./target/release/advocate build $flags --root $tmp/$mode"
  $cmd >/dev/null
  echo "== $mode: $(find "$tmp/$mode/output" -type f | wc -l) files, $(find "$tmp/$mode/output" -name '*.pdf' | wc -l) PDFs, $(du -sh "$tmp/$mode/output" | cut -f1)"
  hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/$mode.json" "$cmd" | grep -E "Time|Range"
  median "$tmp/$mode.json"
  /usr/bin/time -f "peak memory %M KB" $cmd >/dev/null
done
rm -rf "$tmp"
