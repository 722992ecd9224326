"""Cleaner.clean_many: worker threads, input order, exactly one dict per item."""

from __future__ import annotations

import datetime
import itertools
import json
import subprocess

import pytest

from conftest import cli_path

PAGES = [
    "據(jù)悉,生活垃圾分類工作取得進(jìn)展。",
    "我来到北京清华大学。",
    "住房和城乡建设部官网消息，按照完全自愿原则推进工作。",
    "标签：生活垃圾分类\n据悉，工作取得进展。",
]


def many_pages(n):
    return [f"{PAGES[i % len(PAGES)]}第{i}条。".encode("gb18030") for i in range(n)]


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_same_results_as_clean_in_input_order(cleaner, threads):
    pages = many_pages(60)
    expected = [cleaner.clean(p) for p in pages]
    assert list(cleaner.clean_many(pages, threads=threads)) == expected


def test_default_threads_and_empty_input(cleaner):
    assert list(cleaner.clean_many([])) == []
    assert len(list(cleaner.clean_many(iter(many_pages(9))))) == 9


def test_one_output_per_item_errors_included(cleaner):
    items = [
        "我来到北京清华大学。",
        b"",
        5,
        {"id": "a", "html": "据悉，工作取得进展。", "url": "http://x/a"},
        {"url": "http://x/b", "content": "据悉，工作取得进展。".encode("gbk")},
        {"id": "c"},
        {"id": "d", "text": 3.5},
        b"\x89PNG\r\n\x1a\n....",
        {"id": 42, "raw": "数字编号"},
    ]
    out = list(cleaner.clean_many(items, threads=2))
    assert len(out) == len(items)
    assert [r.get("error", {}).get("kind") for r in out] == [
        None,
        "empty_input",
        "invalid_input",
        None,
        None,
        "invalid_input",
        "invalid_input",
        "not_text",
        None,
    ]
    assert out[2]["error"]["message"] == "expected bytes, str or dict, not int"
    assert [r["id"] for r in out[3:]] == ["a", "http://x/b", "c", "d", None, "42"]
    assert out[3]["input"]["url"] == "http://x/a"
    assert out[4]["input"]["encoding"] == "GBK"
    assert "html" in out[5]["error"]["message"]
    assert out[6]["error"]["message"] == 'field "text" must be bytes or str, not float'
    assert set(out[1]) == {"id", "input", "error"}


def test_source_is_pulled_lazily(cleaner):
    pulled = []

    def source():
        for i in itertools.count():
            pulled.append(i)
            yield f"第{i}条新闻。"

    it = cleaner.clean_many(source(), threads=2)
    first = [next(it) for _ in range(3)]
    assert [a["body"] for a in first] == ["第0条新闻。", "第1条新闻。", "第2条新闻。"]
    # Bounded window: sixteen items per thread in flight (handed over in batches of four),
    # never the whole (infinite) source.
    assert len(pulled) <= 3 + 2 * 16


def test_large_pages_in_flight_are_bounded_in_bytes():
    import zhclean

    cleaner = zhclean.Cleaner(segment=False)
    sentence = "据悉，生活垃圾分类工作在各地稳步推进，居民参与度明显提高。\n"
    # About 3 MB a page: the pool holds at most 8 MiB of pages (two of these) in flight.
    page = (sentence * (3_000_000 // len(sentence.encode()))).encode()
    pulled = []

    def source():
        for i in itertools.count():
            pulled.append(i)
            yield page

    it = cleaner.clean_many(source(), threads=2)
    first = next(it)
    assert first["body"].startswith("据悉，生活垃圾分类工作")
    assert first["body"].count("\n") == page.decode().count("\n") - 1
    # Two pages in flight, one read and held back: never the sixteen per thread that small
    # pages get.
    assert len(pulled) <= 4, pulled


def test_source_exception_is_raised_after_earlier_items(cleaner):
    def source():
        yield "第一条。"
        yield "第二条。"
        raise KeyError("broken source")

    it = cleaner.clean_many(source(), threads=2)
    assert next(it)["body"] == "第一条。"
    assert next(it)["body"] == "第二条。"
    with pytest.raises(KeyError, match="broken source"):
        next(it)


def test_bad_arguments(cleaner):
    with pytest.raises(ValueError, match="threads must be at least 1"):
        cleaner.clean_many([], threads=0)
    with pytest.raises(TypeError):
        cleaner.clean_many(5)


def test_abandoned_iterator_is_harmless(cleaner):
    it = cleaner.clean_many(many_pages(50), threads=2)
    next(it)
    del it
    assert cleaner.clean("仍然可用。")["body"] == "仍然可用。"


RECORDS = [
    {
        "id": "r1",
        "url": "http://news.example.cn/1.html",
        "html": "<html><head><title>垃圾分类取得进展</title></head><body><article>"
        "<p>据悉，生活垃圾分类工作在各地取得明显进展，居民参与度不断提高。</p></article></body></html>",
        "site": "example",
        "crawl": {"depth": 2, "ok": True, "tags": ["新闻", None, 1.5]},
    },
    {"url": "http://news.example.cn/2.html", "text": "我来到北京清华大学。", "rank": 7},
    {"id": 3, "content": "住房和城乡建设部官网消息。", "lang": "zh"},
    {"raw": "标签：生活垃圾分类\n据悉，工作取得进展。"},
]


def test_dict_records_give_what_the_cli_gives_for_the_same_jsonl(cleaner, tmp_path):
    """Same fields read the same way: id (or the URL), url, and every field but the page
    passed through under "meta". Only the CLI's input.path/input.line differ."""
    cli = cli_path()
    if cli is None:
        pytest.skip("no zhclean binary (set ZHCLEAN_CLI or cargo build)")
    source = tmp_path / "records.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8"
    )
    out = subprocess.run([cli, "--jsonl", str(source)], capture_output=True, check=True).stdout
    expected = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    for line, record in enumerate(expected, start=1):
        assert record["input"].pop("path") == str(source)
        assert record["input"].pop("line") == line
    actual = list(cleaner.clean_many(RECORDS, threads=2))
    for record in actual:
        assert record["input"].pop("path") is None
    assert actual == expected
    assert actual[0]["meta"] == {
        "id": "r1",
        "url": "http://news.example.cn/1.html",
        "site": "example",
        "crawl": {"depth": 2, "ok": True, "tags": ["新闻", None, 1.5]},
    }
    assert actual[2]["id"] == "3" and actual[2]["meta"] == {"id": 3, "lang": "zh"}
    assert "meta" not in actual[3]


def test_meta_passes_through_on_error_records_and_odd_values(cleaner):
    when = datetime.date(2024, 5, 1)
    items = [
        {"id": "a", "html": "据悉，工作取得进展。", "day": when, "blob": "新".encode(), "n": 2**70},
        {"id": "b", "site": "x"},
        {"id": "c", "text": 3.5, "site": "y"},
        {"id": "d", "content": b"", "path": "d.html", "content_type": "text/html"},
        {"id": "e", "text": "据悉。", "content_type": 5.5},
    ]
    out = list(cleaner.clean_many(items, threads=1))
    assert out[0]["meta"] == {"id": "a", "day": "2024-05-01", "blob": "新", "n": float(2**70)}
    assert "html" not in out[0]["meta"]
    assert out[1]["error"]["kind"] == "invalid_input"
    assert out[1]["meta"] == {"id": "b", "site": "x"}
    # A page field of the wrong type is not the page: it stays with the other fields.
    assert out[2]["error"]["message"] == 'field "text" must be bytes or str, not float'
    assert out[2]["meta"] == {"id": "c", "text": 3.5, "site": "y"}
    assert out[3]["error"]["kind"] == "empty_input"
    assert out[3]["input"]["path"] == "d.html"
    assert out[3]["meta"] == {"id": "d", "path": "d.html", "content_type": "text/html"}
    assert out[4]["error"] == {
        "kind": "invalid_input",
        "message": 'field "content_type" must be a str, not float',
    }


def test_short_strings_are_shared_between_results_without_changing_them(cleaner):
    first = cleaner.clean("我来到北京清华大学。")
    again = list(cleaner.clean_many(["我来到北京清华大学。"], threads=1))[0]
    assert again == first
    assert again["words"][0] == ["我", "来到", "北京", "清华大学", "。"]
    # The same str object (str is immutable: only `is` can tell).
    assert again["words"][0][2] is first["words"][0][2]
    assert again["body"] is not first["body"]
