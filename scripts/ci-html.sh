#!/bin/sh
# HTML evaluation over ../shared/devset (not part of `cargo test`; needs ../shared).
# Exits non-zero when a gate fails: a junk field value on any devset page, a snippet check,
# or (magic-html's field labels) date same-day < 0.95 or authors found-all < 0.85.
set -e
cargo run --release -p zhclean-tools --example eval -- ../shared/devset/magic-html ../shared/devset/readability ../shared/devset/trafilatura ../shared/devset/encodings ../shared/devset/pinyin-dumps
