#!/usr/bin/env python3
"""Damages the seed-like pages of `tools/examples/damage_pages.rs` the ways real pipelines do.

Run from the repository root, after the example (scripts/damage-eval.sh runs both):
    python3 scripts/damage_pages.py OUT_DIR

Reads OUT_DIR/clean/*.txt (UTF-8) and writes one folder per damage kind next to it. Every
kind is made by the real codec that makes it in the wild, not by a simulation:

* python_gbk    UTF-8 bytes decoded by Python's GBK codec with errors='replace', saved as
                UTF-8 (each invalid pair loses its first byte; the user-defined area and
                the GB18030 additions are invalid, so they become U+FFFD too).
* java_gbk      the same with Java's `new String(bytes, "GBK")` (scripts/DecodeAs.java):
                the user-defined area decodes to private use instead.
* python_big5   UTF-8 bytes decoded by Python's Big5 codec with replacement (one byte lost
                per U+FFFD; half of all pairs are invalid).
* java_big5     the same with Java (both bytes of an invalid pair lost).
* big5_tone     the page encoded to Big5 by Python with errors='replace': the pinyin tone
                vowels (and the few characters Big5 lacks) become `?`: `飽(b?o)`.
* java_big5_tone  the same with Java's `String.getBytes("Big5")` (also `?`).
* gbk_cut       the page in GBK, no declaration, with 1-5 double-byte characters cut in
                half where a truncation leaves them: at the end of a truncated headline or
                before ASCII punctuation (the lead byte stays, the trail byte is lost).
* bom_gbk       a UTF-8 byte-order mark in front of GBK bytes (a converter that added the
                BOM without converting).
* utf16le, utf16be  UTF-16 without a byte-order mark (the pages are a third ASCII, from
                the annotations: a NUL in most code units).
* utf16le_cjk, utf16be_cjk  the gold body alone (CJK text with full-width punctuation) in
                UTF-16 without a byte-order mark: almost no NUL byte.
* gbk_as_utf8   GBK bytes decoded as UTF-8 with replacement (not recoverable: the bytes
                are gone; measured to show what the quality score says about it).

Deterministic: the cut positions come from random.Random seeded with the page number.
"""
import pathlib
import random
import subprocess
import sys


def cut_characters(page: str, seed: int) -> bytes:
    """GBK bytes of `page` with 1-5 characters cut in half before an ASCII byte."""
    rng = random.Random(seed)
    data = bytearray(page.encode("gbk"))
    # Offsets of double-byte characters directly followed by an ASCII byte (a line end, a
    # half-width comma or parenthesis, a quote): where truncation cuts characters.
    candidates = []
    i = 0
    while i < len(data):
        if data[i] >= 0x81:
            if i + 2 < len(data) and data[i + 2] < 0x80:
                candidates.append(i)
            i += 2
        else:
            i += 1
    cuts = sorted(rng.sample(candidates, min(len(candidates), rng.randint(1, 5))))
    for at in reversed(cuts):
        del data[at + 1]  # the trail byte; the lead byte now meets the ASCII byte
    return bytes(data)


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    clean = sorted((out / "clean").glob("*.txt"))
    kinds = {
        "python_gbk": lambda t, n: t.encode("utf-8").decode("gbk", "replace").encode("utf-8"),
        "python_big5": lambda t, n: t.encode("utf-8").decode("big5", "replace").encode("utf-8"),
        "big5_tone": lambda t, n: t.encode("big5", "replace"),
        "gbk_cut": lambda t, n: cut_characters(t, n),
        "bom_gbk": lambda t, n: b"\xef\xbb\xbf" + t.encode("gbk"),
        "utf16le": lambda t, n: t.encode("utf-16-le"),
        "utf16be": lambda t, n: t.encode("utf-16-be"),
        "gbk_as_utf8": lambda t, n: t.encode("gbk").decode("utf-8", "replace").encode("utf-8"),
    }
    for kind, damage in kinds.items():
        (out / kind).mkdir(exist_ok=True)
        for n, path in enumerate(clean):
            text = path.read_text(encoding="utf-8")
            (out / kind / path.name).write_bytes(damage(text, n))
    for kind, codec in [("utf16le_cjk", "utf-16-le"), ("utf16be_cjk", "utf-16-be")]:
        (out / kind).mkdir(exist_ok=True)
        for path in clean:
            gold = (out / "gold" / path.name).read_text(encoding="utf-8")
            (out / kind / path.name).write_bytes(gold.encode(codec))
    # Java's decoders, on the UTF-8 pages as they are.
    java = pathlib.Path(__file__).with_name("DecodeAs.java")
    for kind, charset in [("java_gbk", "GBK"), ("java_big5", "Big5")]:
        subprocess.run(["java", str(java), charset, str(out / "clean"), str(out / kind)], check=True)
    # Java's Big5 encoder (unmappable characters become `?`), through a UTF-8 round trip of
    # the decoder tool: encode = decode the UTF-8 page as UTF-8, write as Big5.
    subprocess.run(
        ["java", str(java), "UTF-8", str(out / "clean"), str(out / "java_big5_tone"), "Big5"],
        check=True,
    )
    print(f"{len(clean)} pages x {len(kinds) + 5} damage kinds in {out}")


if __name__ == "__main__":
    main()
