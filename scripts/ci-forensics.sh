#!/usr/bin/env bash
# Forensics checks that need ../shared, a fuzzer or a release build; not part of `cargo test`.
#   scripts/ci-forensics.sh eval              recovery, mojibake and damaged-page evaluations
#                                             over ../shared (the last needs python3, java)
#   scripts/ci-forensics.sh fuzz [SECS] [T..] each cargo-fuzz target (or the ones named) for
#                                             SECS seconds (default 60), one after the other
#   scripts/ci-forensics.sh robustness        the heavy (#[ignore]d) pathological tests, release
# See docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-eval}" in
  eval)
    cargo run --release -p zhclean-tools --example recover_eval
    cargo run --release -p zhclean-tools --example mojibake_eval
    bash scripts/damage-eval.sh
    ;;
  fuzz)
    secs="${2:-60}"
    shift $(( $# < 2 ? $# : 2 ))
    targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=(clean_bytes clean_html jsonl_reader warc_reader)
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
    python3 fuzz/seeds.py
    for target in "${targets[@]}"; do
      RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$secs" -max_len=65536 -rss_limit_mb=4096 -timeout=30 \
        -print_final_stats=1
    done
    ;;
  robustness)
    cargo test --release --test cli -- --ignored
    ;;
  *)
    echo "usage: $0 [eval | fuzz [SECS] [TARGET...] | robustness]" >&2
    exit 2
    ;;
esac
