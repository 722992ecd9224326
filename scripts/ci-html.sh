#!/bin/sh
# HTML evaluation over ../shared/devset (not part of `cargo test`; needs ../shared).
# Exits non-zero when a title, date or snippet check fails.
set -e
cargo run --release --example eval -- ../shared/devset/magic-html ../shared/devset/readability ../shared/devset/trafilatura
