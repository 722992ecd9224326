"""Cleaner.clean_many: worker threads, input order, exactly one dict per item."""

from __future__ import annotations

import itertools

import pytest

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
    # Bounded window: a few items per thread in flight, never the whole (infinite) source.
    assert len(pulled) <= 3 + 2 * 4


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
