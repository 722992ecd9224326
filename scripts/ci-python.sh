#!/usr/bin/env bash
# CI for the Python package (python/) and the Spark example: build the wheel with maturin,
# install it into a fresh virtualenv, run the binding's Rust unit tests and the pytest suite,
# including the Spark local[2] tests (skipped, with the reason printed, only when `java` is
# absent). Everything comes from PyPI at pinned versions; nothing installed by hand is used.
#
#   bash scripts/ci-python.sh            # from anywhere inside the repository
#   PYTHON=python3.12 bash scripts/ci-python.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

PYTHON="${PYTHON:-python3}"
MATURIN_VERSION=1.16.0
PYTEST_VERSION=9.2.0
PYSPARK_VERSION=4.3.0   # needs Python >= 3.11 and Java 17+
WARCIO_VERSION=1.8.1    # the Spark example's WARC reader

work="$(mktemp -d "${TMPDIR:-/tmp}/zhclean-ci-python.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "ci-python: fresh virtualenv in $work/venv ($("$PYTHON" --version))"
"$PYTHON" -m venv "$work/venv"
venv="$work/venv/bin"
"$venv/python" -m pip install --quiet --disable-pip-version-check \
    "maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION" \
    "pyspark==$PYSPARK_VERSION" "warcio==$WARCIO_VERSION"

echo "ci-python: Rust unit tests of the binding"
cargo test --quiet -p zhclean-python

echo "ci-python: building the wheel (release)"
"$venv/maturin" build --release --quiet -m python/Cargo.toml --interpreter "$venv/python" \
    --out "$work/wheels"
"$venv/python" -m pip install --quiet --disable-pip-version-check "$work"/wheels/zhclean-*.whl

# The acceptance check of the README, run from outside the source tree so that the installed
# wheel (not python/python/zhclean) is what gets imported.
tags="$(cd "$work" && "$venv/python" -c "import zhclean; print(zhclean.Cleaner().clean(open('$repo/fixtures/seed/000_f764d41b789eb620.txt','rb').read())['tags'])")"
echo "ci-python: seed tags from the installed wheel: $tags"
[ "$tags" = "['生活垃圾分类']" ] || { echo "ci-python: unexpected seed tags" >&2; exit 1; }

# The CLI, for the tests that compare with it and for the rdd.pipe test.
cargo build --quiet --bin zhclean
export ZHCLEAN_CLI="$repo/target/debug/zhclean"

if command -v java >/dev/null 2>&1; then
    export ZHCLEAN_REQUIRE_SPARK=1
else
    echo "ci-python: java not found: the Spark local-mode tests will be SKIPPED"
fi
echo "ci-python: pytest"
cd "$work"
"$venv/python" -m pytest -ra -p no:cacheprovider "$repo/python/tests"
