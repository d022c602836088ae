#!/usr/bin/env bash
# Benchmark: advocate's websites (--no-workbooks) for N synthetic partners (default 1000)
# against Hugo building N plain Markdown pages (each a bundled guide page's text, with a
# minimal theme), back to back in one hyperfine run. Usage: bench/hugo.sh [N]
# Needs hyperfine and hugo (`apt-get install hyperfine hugo`).
set -euo pipefail
n=${1:-1000}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet --bin advocate --example synth
./target/release/examples/synth "$n" "$tmp/advocate" >/dev/null
mkdir -p "$tmp/hugo/content/pages" "$tmp/hugo/layouts/_default"
printf 'baseURL = "https://example.org/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS"]\n' >"$tmp/hugo/hugo.toml"
printf '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>\n' >"$tmp/hugo/layouts/_default/baseof.html"
printf '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n' >"$tmp/hugo/layouts/_default/single.html"
printf '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n' >"$tmp/hugo/layouts/_default/list.html"
body=$(sed '1,/^---$/d' content/guide/03-briefings.md)
for i in $(seq 1 "$n"); do
  printf -- '---\ntitle: "Page %s"\n---\n%s\n' "$i" "$body" >"$tmp/hugo/content/pages/page-$i.md"
done
echo "input: $n partners ($(cat "$tmp"/advocate/content/partners/*.yaml | wc -c) bytes of YAML); $n Markdown pages for Hugo ($(cat "$tmp"/hugo/content/pages/*.md | wc -c) bytes)"
hyperfine --warmup 1 --runs "${RUNS:-15}" \
  -n "advocate build --no-workbooks" "./target/release/advocate build --no-workbooks --root $tmp/advocate" \
  -n "hugo $(hugo version | cut -d' ' -f2)" "hugo --quiet --source $tmp/hugo --destination $tmp/hugo-out" |
  grep -E "Time|±|faster"
