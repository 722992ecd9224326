#!/usr/bin/env python3
"""Generates fixtures/damaged/: one small page of our own text, damaged each way issue 13 names,
by the real codecs that damage pages in the wild (CPython's, Java's and encoding_rs's).

Run from the repository root (needs python3, java 11+ and cargo):
    python3 scripts/gen_damaged_fixtures.py
then bless the goldens deliberately: ZHCLEAN_BLESS=1 cargo test --test cli damaged

fixtures/damaged/source.txt is the text (simplified, written for these fixtures); clean.txt is
the seed-like page made from it by tools/examples/damage_pages.rs (traditional script, pinyin after
every converted character, half-width punctuation, byline, tags, disclaimer, headlines).
"""
import pathlib
import subprocess
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fixtures" / "damaged"
example = ["cargo", "run", "-q", "--release", "-p", "zhclean-tools", "--example", "damage_pages", "--"]
java = ["java", str(root / "scripts" / "DecodeAs.java")]

subprocess.run(example + ["--seed-like", str(out / "source.txt"), str(out / "clean.txt")],
               check=True, cwd=root)
clean = (out / "clean.txt").read_text(encoding="utf-8")
source = (out / "source.txt").read_text(encoding="utf-8")


def write(name: str, data: bytes) -> None:
    (out / name).write_bytes(data)
    print("wrote", out / name)


# UTF-8 read as GBK with replacement, saved as UTF-8: CPython, Java, WHATWG (encoding_rs).
write("python_gbk.txt", clean.encode("utf-8").decode("gbk", "replace").encode("utf-8"))
with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    (tmp / "in").mkdir()
    (tmp / "in" / "page.txt").write_text(clean, encoding="utf-8")
    subprocess.run(java + ["GBK", str(tmp / "in"), str(tmp / "java")], check=True)
    write("java_gbk.txt", (tmp / "java" / "page.txt").read_bytes())
    subprocess.run(example + ["--decode", "gbk", str(tmp / "in" / "page.txt"),
                              str(tmp / "whatwg.txt")], check=True, cwd=root)
    write("whatwg_gbk.txt", (tmp / "whatwg.txt").read_bytes())

# Big5 from an encoder that writes `?` for what Big5 lacks: the tone vowels of the pinyin.
write("big5_tone.txt", clean.encode("big5", "replace"))

# GBK, no charset declaration, two characters cut in half where truncation cuts them: in a
# link's title attribute and at the end of a truncated headline.
headline = "市交通運輸局：二十條新公交線路下月一日起運營"
paragraphs = "".join(f"<p>{line}</p>\n" for line in clean.splitlines()[:3])
page = (f"<html><head><title>{headline}</title></head><body>\n<h1>{headline}</h1>\n"
        f"{paragraphs}<ul>\n").encode("gbk")
for title, text in [("全市公交客運量同比增長百分之六", "全市公交客運量同比增長"),
                    ("乘客滿意度調查結果顯示準點率改善", "乘客滿意度調查")]:
    cut_title = title.encode("gbk")[:-1]  # the last character loses its second byte
    cut_text = text.encode("gbk")[:-1]
    page += b'<li><a href="/news/1.html" title="' + cut_title + b'">' + cut_text + b"</a></li>\n"
page += "</ul></body></html>\n".encode("gbk")
write("gbk_cut.html", page)

# A UTF-8 byte-order mark in front of GBK bytes.
write("bom_gbk.txt", b"\xef\xbb\xbf" + clean.encode("gbk"))

# CJK text in UTF-16 without a byte-order mark (no ASCII, so no NUL pattern).
write("utf16le.txt", source.encode("utf-16-le"))
write("utf16be.txt", source.encode("utf-16-be"))

# GBK read as UTF-8 with replacement: the bytes are gone; the quality score must say so.
write("gbk_as_utf8.txt", clean.encode("gbk").decode("utf-8", "replace").encode("utf-8"))
