#!/usr/bin/env bash
# Benchmark against another commit, back to back in one run (these machines are noisy):
# the full build (websites, N x 5 workbooks, handouts, guide.pdf) of N synthetic partners
# (default 1000) by this tree's advocate and by REV's, alternately. Reports each median and
# the ratio. Usage: bench/compare.sh REV [N]. FLAGS=--no-workbooks times the websites alone;
# RUNS sets the number of runs (5). Needs hyperfine and git.
set -euo pipefail
rev=${1:?usage: bench/compare.sh REV [N]}
n=${2:-1000}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/old" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --quiet --detach "$tmp/old" "$rev"
cargo build --release --quiet --bin advocate --example synth
CARGO_TARGET_DIR="${OLD_TARGET:-$tmp/old-target}" cargo build --release --quiet \
  --manifest-path "$tmp/old/Cargo.toml" --bin advocate
old_bin="${OLD_TARGET:-$tmp/old-target}/release/advocate"
./target/release/examples/synth "$n" "$tmp/site" >/dev/null
# Each commit builds with its own theme and guide (theme.yaml and front matter gain settings
# over time, which an older build would refuse).
cp -r "$tmp/site" "$tmp/old-site"
rm -rf "$tmp/old-site/themes" && cp -r "$tmp/old/themes" "$tmp/old-site/themes"
rm -rf "$tmp/old-site/content/guide" && cp -r "$tmp/old/content/guide" "$tmp/old-site/content/guide"
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$tmp/times.json" \
  -n "$rev" "$old_bin build ${FLAGS:-} --root $tmp/old-site --out $tmp/out-old" \
  -n "this tree" "./target/release/advocate build ${FLAGS:-} --root $tmp/site --out $tmp/out-new" |
  grep -E "Time|±|faster" || true
python3 - "$tmp/times.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
old, new = (statistics.median(r["times"]) for r in results)
print(f"median {results[0]['command']}: {old:.2f} s, this tree: {new:.2f} s, ratio {new / old:.2f}")
PY
