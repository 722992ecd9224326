#!/usr/bin/env python3
"""Generates fixtures/encodings/: the seed page encoded in each encoding zhclean must read.

Run from the repository root: python3 scripts/gen_encoding_fixtures.py
Characters an encoding cannot represent (pinyin tone letters in Big5) become HTML numeric
character references, which zhclean's repair stage decodes, so every file cleans to the same
article as the UTF-8 seed.
"""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
seed = (root / "fixtures/seed/000_f764d41b789eb620.txt").read_text(encoding="utf-8")
out = root / "fixtures/encodings"
out.mkdir(parents=True, exist_ok=True)
for name, codec, bom in [
    ("seed.gbk.txt", "gbk", b""),
    ("seed.gb18030.txt", "gb18030", b""),
    ("seed.big5.txt", "big5", b""),
    ("seed.utf16le-bom.txt", "utf-16-le", b"\xff\xfe"),
    ("seed.utf16be-bom.txt", "utf-16-be", b"\xfe\xff"),
    ("seed.utf8-bom.txt", "utf-8", b"\xef\xbb\xbf"),
]:
    (out / name).write_bytes(bom + seed.encode(codec, errors="xmlcharrefreplace"))
    print("wrote", out / name)
