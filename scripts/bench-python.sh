#!/usr/bin/env bash
# Benchmark of the Python binding against the CLI on the same pages (release builds of both,
# a fresh virtualenv with the wheel). Needs ../shared/corpus (or pass --corpus FILE).
#
#   bash scripts/bench-python.sh [--pages N] [--corpus FILE] [--repeat R]
#   bash scripts/bench-python.sh --instructions     # per-record instructions (valgrind)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/zhclean-bench-python.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check maturin==1.16.0
cargo build --release --quiet --bin zhclean
"$work/venv/bin/maturin" build --release --quiet -m python/Cargo.toml \
    --interpreter "$work/venv/bin/python" --out "$work/wheels"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$work"/wheels/zhclean-*.whl
"$work/venv/bin/python" scripts/bench_python.py --cli "$repo/target/release/zhclean" "$@"
