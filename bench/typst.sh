#!/usr/bin/env bash
# Compares advocate with Typst on the same workbook content: one partner's all-stages workbook
# (time and size), and each stage workbook alone (size).
# Usage: bench/typst.sh [PARTNER-ID]   (default: the bundled zoe-lefevre)
# Needs the `typst` package from PyPI (`pip install typst`), which carries the compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
partner=${1:-zoe-lefevre}
dir=$(mktemp -d)
cargo build --release --quiet --bin advocate --example typst_compare
./target/release/examples/typst_compare . "$partner" "$dir"
python3 - "$dir" "$PWD/themes/default/fonts" <<'PY'
import os, statistics, subprocess, sys, time
import typst
d, fonts = sys.argv[1], sys.argv[2]
src, out = os.path.join(d, "workbook.typ"), os.path.join(d, "typst.pdf")
times = []
for _ in range(10):
    t = time.perf_counter(); typst.compile(src, output=out, font_paths=[fonts]); times.append((time.perf_counter() - t) * 1000)
startup = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import typst; typst.compile({src!r}, output={out!r}, font_paths=[{fonts!r}])"], check=True)
    startup.append((time.perf_counter() - t) * 1000)
pages = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout
pages = next((l.split()[-1] for l in pages.splitlines() if l.startswith("Pages:")), "?")
size = os.path.getsize(out)
ours = os.path.getsize(os.path.join(d, "advocate.pdf"))
med = statistics.median(times)
print(f"typst:    {pages} pages, {size} bytes, median {med:.1f} ms in-process (10 runs), {statistics.median(startup):.0f} ms with start-up (5 runs)")
print(f"size ratio typst/advocate: {size / ours:.2f}; time ratio typst/advocate (in-process): see the two medians above")
for n in range(1, 5):
    theirs = os.path.join(d, f"typst-stage-{n}.pdf")
    typst.compile(os.path.join(d, f"stage-{n}.typ"), output=theirs, font_paths=[fonts])
    a, t = os.path.getsize(os.path.join(d, f"stage-{n}.pdf")), os.path.getsize(theirs)
    print(f"stage {n} workbook: advocate {a} bytes, typst {t} bytes, typst/advocate {t / a:.2f}")
PY
echo "files in $dir"
