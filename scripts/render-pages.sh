#!/usr/bin/env bash
# Renders the explain page of the seed and a run report to PNG with headless Chromium, and
# checks that both pages were written and drawn.
#
#   scripts/render-pages.sh [OUTDIR]      PNGs (and the HTML pages) in OUTDIR (default: a temp dir)
#   scripts/render-pages.sh --docs        the screenshots committed in docs/
#
# The report runs over ../shared/devset when it exists, else over fixtures/. Needs `chromium`
# (Debian's package) and, for readable Chinese, a CJK font (`fonts-wqy-microhei` or
# `fonts-noto-cjk`). .ci/run runs this only when `chromium` is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--docs" ]; then
    out=docs
else
    out=${1:-$(mktemp -d)}
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The test build (dependencies optimised, see Cargo.toml): already there after `cargo test`.
cargo build --quiet
bin=target/debug/zhclean

"$bin" -q --explain "$work/explain-seed.html" fixtures/seed/000_f764d41b789eb620.txt
if [ -d ../shared/devset ]; then
    corpus=../shared/devset
    report_png=report-devset.png
else
    corpus=fixtures
    report_png=report-fixtures.png
fi
# (Exit status 1 means some records failed: they are in the report.)
"$bin" -q "$corpus" -o "$work/out.jsonl" --report "$work/report.html" --stats "$work/stats.json" || [ $? -eq 1 ]

shoot() { # HTML PNG WIDTH HEIGHT
    # --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --window-size="$3,$4" --screenshot="$2" "file://$(realpath "$1")" >/dev/null 2>&1
    if [ ! -s "$2" ]; then
        echo "render-pages: no screenshot of $1" >&2
        exit 1
    fi
    echo "$2"
}
shoot "$work/explain-seed.html" "$out/explain-seed.png" 1100 2600
shoot "$work/report.html" "$out/$report_png" 1100 2800
# The committed screenshots are kept small (Debian's `pngquant`, when installed): 64 colours
# are plenty for tables and text.
if [ "$out" = docs ] && command -v pngquant >/dev/null; then
    pngquant --force --skip-if-larger --ext .png 64 "$out/explain-seed.png" "$out/$report_png"
fi
if [ "$out" != docs ]; then
    cp "$work/explain-seed.html" "$work/report.html" "$out/"
fi
