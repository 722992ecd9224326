#!/usr/bin/env bash
# Damaged-text evaluation (issue 13), not part of `cargo test`: needs ../shared, python3 and
# java 11+. Builds seed-like pages from ../shared/corpus, damages them with the real codecs
# (tools/examples/damage_pages.rs, scripts/damage_pages.py) and prints body F1 per damage kind for
# BINARY (default: this checkout's release build). Deterministic.
#   scripts/damage-eval.sh [BINARY] [PAGES_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-target/release/zhclean}"
pages="${2:-target/damage-pages}"
cargo build --release --quiet --bin zhclean
cargo build --release --quiet -p zhclean-tools --example damage_pages --example damage_eval
rm -rf "$pages"
target/release/examples/damage_pages "$pages"
python3 scripts/damage_pages.py "$pages"
target/release/examples/damage_eval "$pages" "$binary"
