#!/usr/bin/env bash
# Forensics checks that need ../shared or a fuzzer; not part of `cargo test`.
#   scripts/ci-forensics.sh eval        recovery + mojibake evaluations over ../shared
#   scripts/ci-forensics.sh fuzz [SECS] each cargo-fuzz target for SECS seconds (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-eval}" in
  eval)
    cargo run --release --example recover_eval
    cargo run --release --example mojibake_eval
    ;;
  fuzz)
    secs="${2:-60}"
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
    mkdir -p fuzz/corpus/clean_bytes fuzz/corpus/clean_html
    cp fixtures/seed/*.txt fixtures/encodings/* fuzz/corpus/clean_bytes/
    cp fixtures/html/*.html fuzz/corpus/clean_html/
    for target in clean_bytes clean_html; do
      RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$secs" -max_len=65536 -rss_limit_mb=4096 -timeout=30
    done
    ;;
esac
