"""Cleaner.clean: one page in, the CLI's JSON object out as a dict; bad input raises."""

from __future__ import annotations

import json
import pickle
import subprocess
import warnings
from pathlib import Path

import pytest

import zhclean
from conftest import FIXTURES, SEED, cli_path


def test_seed_round_trip(cleaner, seed_bytes):
    article = cleaner.clean(seed_bytes)
    assert article["tags"] == ["生活垃圾分类"]
    assert article["authors"] == ["孙红丽"]
    assert article["input"]["encoding"] == "UTF-8"
    assert article["input"]["bytes"] == len(seed_bytes)
    assert article["body"].startswith("据住房和城乡建设部官网消息，按照完全自愿原则，")
    assert "jù" not in article["body"]
    assert [r["kind"] for r in article["removed"]] == [
        "byline",
        "tag_line",
        "disclaimer",
        "related_headlines",
    ]
    assert len(article["words"]) == len(article["body"].split("\n"))
    assert article["repairs"]["pinyin_annotations"] > 0
    assert "pos" not in article


def test_seed_matches_cli_output(cleaner, seed_bytes):
    cli = cli_path()
    if cli is None:
        pytest.skip("no zhclean binary (set ZHCLEAN_CLI or cargo build)")
    out = subprocess.run([cli, str(SEED)], capture_output=True, check=True).stdout
    assert cleaner.clean(seed_bytes, path=str(SEED)) == json.loads(out)


def test_seed_matches_golden_file(cleaner, seed_bytes):
    golden = SEED.with_suffix(".json")
    if not golden.exists():
        pytest.skip(f"{golden.name} not in this checkout")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    actual = cleaner.clean(seed_bytes, path=expected["input"]["path"])
    assert actual == expected


def test_every_encoding_fixture_gives_the_seed_body(cleaner, seed_bytes):
    expected = cleaner.clean(seed_bytes)["body"]
    encodings = sorted((FIXTURES / "encodings").glob("seed.*.txt"))
    assert encodings, "encoding fixtures missing"
    for path in encodings:
        article = cleaner.clean(path.read_bytes())
        assert article["body"] == expected, path.name


def test_str_input_equals_utf8_bytes(cleaner, seed_bytes):
    text = seed_bytes.decode("utf-8")
    from_str = cleaner.clean(text)
    from_bytes = cleaner.clean(seed_bytes)
    assert from_str == from_bytes
    assert cleaner.clean(bytearray(seed_bytes)) == from_bytes


def test_meta_is_copied_to_the_output(cleaner):
    page = "据悉，生活垃圾分类工作取得进展。".encode("gbk")
    article = cleaner.clean(
        page,
        id="r-1",
        url="http://example.com/a.html",
        path="a.html",
        content_type="text/plain; charset=gbk",
    )
    assert article["id"] == "r-1"
    assert article["input"] == {
        "path": "a.html",
        "url": "http://example.com/a.html",
        "encoding": "GBK",
        "charset_evidence": "content_type",
        "format": "text",
        "malformed": 0,
        "bytes": len(page),
    }
    assert article["body"] == "据悉，生活垃圾分类工作取得进展。"


@pytest.mark.parametrize(
    "data, kind, message",
    [
        (b"", "empty_input", "input is empty"),
        ("   \n ", "empty_input", "input is empty"),
        (b"\x89PNG\r\n\x1a\n....", "not_text", "input is not text: PNG image signature"),
    ],
)
def test_bad_input_raises_clean_error(cleaner, data, kind, message):
    with pytest.raises(zhclean.CleanError) as caught:
        cleaner.clean(data)
    error = caught.value
    assert (error.kind, error.message) == (kind, message)
    assert str(error) == f"{message} [{kind}]"
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.kind, copy.message) == (kind, message)


def test_wrong_type_raises_type_error(cleaner):
    with pytest.raises(TypeError, match="data must be bytes, bytearray or str, not int"):
        cleaner.clean(5)
    with pytest.raises(TypeError):
        cleaner.clean(b"x", "positional meta is not allowed")


def test_lone_surrogate_is_a_clean_error(cleaner):
    with pytest.raises(zhclean.CleanError) as caught:
        cleaner.clean("坏\ud800")
    assert caught.value.kind == "invalid_input"


def test_options_keep_script_and_no_segment():
    page = "據(jù)悉,生活垃圾分類工作取得進(jìn)展。"
    keep = zhclean.Cleaner(script="keep", segment=False).clean(page)
    assert keep["body"] == "據悉，生活垃圾分類工作取得進展。"
    assert keep["words"] == [] and keep["keywords"] == []
    simplified = zhclean.Cleaner(segment=False).clean(page)
    assert simplified["body"] == "据悉，生活垃圾分类工作取得进展。"


def test_pos_and_keyword_count():
    cleaner = zhclean.Cleaner(pos=True, keywords=2)
    article = cleaner.clean("我来到北京清华大学。清华大学在北京。")
    assert [len(p) for p in article["pos"]] == [len(p) for p in article["words"]]
    assert article["words"][0][:4] == ["我", "来到", "北京", "清华大学"]
    assert len(article["keywords"]) == 2


def test_invalid_options():
    with pytest.raises(ValueError, match="script must be"):
        zhclean.Cleaner(script="traditional")
    with pytest.raises(ValueError, match="format must be"):
        zhclean.Cleaner(format="pdf")
    with pytest.raises(ValueError, match="format must be"):
        zhclean.Cleaner().clean("x", format="pdf")
    with pytest.raises(ValueError, match="pos=True needs segment=True"):
        zhclean.Cleaner(segment=False, pos=True)
    with pytest.raises(zhclean.CleanError) as caught:
        zhclean.Cleaner(user_dict="/nonexistent/zhclean.dict")
    assert caught.value.kind == "user_dict"
    assert "/nonexistent/zhclean.dict" in caught.value.message


def test_user_dict(tmp_path):
    page = "垃圾分类新时尚正在推广。"
    default_words = zhclean.Cleaner().clean(page)["words"][0]
    assert "垃圾分类新时尚" not in default_words
    dictionary = tmp_path / "user.dict"
    dictionary.write_text("垃圾分类新时尚 100000 n\n", encoding="utf-8")
    cleaner = zhclean.Cleaner(user_dict=dictionary)
    assert "垃圾分类新时尚" in cleaner.clean(page)["words"][0]
    # Picklable with its user dictionary (the path must exist where it is unpickled).
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.clean(page) == cleaner.clean(page)


def test_user_dict_warnings_become_python_warnings(tmp_path):
    dictionary = tmp_path / "user.dict"
    dictionary.write_text("垃圾分类新时尚\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        zhclean.Cleaner(user_dict=str(dictionary))
    assert any("zhclean:" in str(w.message) for w in caught)


def test_pickle_keeps_options():
    cleaner = zhclean.Cleaner(script="keep", segment=True, pos=True, keywords=3)
    copy = pickle.loads(pickle.dumps(cleaner))
    assert type(copy) is zhclean.Cleaner
    assert (copy.script, copy.segment, copy.pos, copy.user_dict, copy.keywords) == (
        "keep",
        True,
        True,
        None,
        3,
    )
    assert repr(copy) == repr(cleaner) == (
        "Cleaner(script='keep', segment=True, pos=True, user_dict=None, keywords=3, "
        "format='auto')"
    )
    html = zhclean.Cleaner(format="html", segment=False)
    assert pickle.loads(pickle.dumps(html)).format == "html"
    page = "據悉,生活垃圾分類工作取得進展。"
    assert copy.clean(page) == cleaner.clean(page)


def test_defaults_mirror_the_cli():
    cleaner = zhclean.Cleaner()
    assert repr(cleaner) == (
        "Cleaner(script='simplified', segment=True, pos=False, user_dict=None, keywords=10, "
        "format='auto')"
    )
    assert zhclean.SCHEMA_VERSION == 1


HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="gbk">
<title>垃圾分类取得进展_新闻中心</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>
<div class="article"><h1>垃圾分类取得进展</h1>
<p>据悉，生活垃圾分类工作在各地取得明显进展，居民参与度不断提高。</p>
<p>住房和城乡建设部表示，将继续因地制宜推进这项工作，不搞一刀切。</p>
</div><div class="footer">版权所有 &copy; 新闻网</div></body></html>"""


def test_html_page_and_format_override():
    cleaner = zhclean.Cleaner(segment=False)
    page = HTML_PAGE.encode("gbk")
    article = cleaner.clean(page)
    assert article["input"]["format"] == "html"
    assert article["input"]["encoding"] == "GBK"
    assert article["title"] == "垃圾分类取得进展"
    assert "据悉，生活垃圾分类工作在各地取得明显进展" in article["body"]
    assert "首页" not in article["body"] and "版权所有" not in article["body"]
    as_text = cleaner.clean(page, format="text")
    assert as_text["input"]["format"] == "text"
    many = list(cleaner.clean_many([{"html": page, "format": "text"}, {"html": page}]))
    assert [a["input"]["format"] for a in many] == ["text", "html"]


FIXTURE_PAGES = sorted(
    [SEED, *(FIXTURES / "encodings").glob("*.txt"), *(FIXTURES / "html").glob("*.html")]
)


@pytest.mark.parametrize(
    "flags, options", [([], {}), (["--pos", "--keywords", "3"], {"pos": True, "keywords": 3})]
)
def test_fixture_dicts_equal_json_loads_of_the_cli(flags, options):
    """Each dict is exactly what json.loads gives for the CLI's line: every key, every
    optional field present or absent alike, floats (quality scores) to the last bit, and the
    keys in the same order."""
    cli = cli_path()
    if cli is None:
        pytest.skip("no zhclean binary (set ZHCLEAN_CLI or cargo build)")
    paths = [str(p) for p in FIXTURE_PAGES]
    out = subprocess.run([cli, "--quiet", *flags, *paths], capture_output=True, check=True)
    lines = out.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(paths)
    cleaner = zhclean.Cleaner(**options)
    for path, line in zip(paths, lines):
        expected = json.loads(line)
        actual = cleaner.clean(Path(path).read_bytes(), path=path)
        assert actual == expected, path
        assert json.dumps(actual) == json.dumps(expected), path  # key order too
