"""The Spark example (examples/spark_clean.py) in local[2] mode: every input record is in the
output, exactly once. Needs Java (skipped with a reason when `java` is absent) and PySpark."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, cli_path

if shutil.which("java") is None:
    pytest.skip("java not found: the Spark tests need a JVM (Java 17)", allow_module_level=True)
if os.environ.get("ZHCLEAN_REQUIRE_SPARK"):
    import pyspark  # noqa: F401  (CI: a missing PySpark is a failure, not a skip)
else:
    pytest.importorskip("pyspark", reason="pyspark not installed")

EXAMPLE = REPO / "examples" / "spark_clean.py"
SENTENCES = [
    "據(jù)住房和城鄉(xiāng)建設(shè)部官網(wǎng)消息,按照完全自愿原則。",
    "据悉，生活垃圾分类工作取得进展。",
    "我来到北京清华大学，参观了图书馆。",
    "各地因地制宜推进工作，取得明显成效。\n标签：生活垃圾分类",
]
PAGE_FIELDS = ["html", "content", "text", "raw"]


def load_example():
    spec = importlib.util.spec_from_file_location("spark_clean", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def spark_env():
    """Executors must run this interpreter (the one with zhclean installed)."""
    env = dict(os.environ)
    env["PYSPARK_PYTHON"] = sys.executable
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    env["SPARK_LOCAL_IP"] = "127.0.0.1"  # local mode: stay on loopback
    return env


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """Three JSONL files (one gzipped) with 150 good records, a non-JSON line and a record
    without a page field. Returns (paths, ids of good records, number of lines)."""
    root = tmp_path_factory.mktemp("jsonl")
    ids, paths, lines_total = [], [], 0
    for f in range(3):
        lines = []
        for i in range(50):
            n = f * 50 + i
            ids.append(f"doc-{n}")
            record = {
                "id": f"doc-{n}",
                "url": f"http://news.example.cn/{n}.html",
                PAGE_FIELDS[n % 4]: f"第{n}篇：{SENTENCES[n % len(SENTENCES)]}",
                "crawl": "2024-01",
            }
            lines.append(json.dumps(record, ensure_ascii=n % 2 == 0))
        if f == 1:
            lines.insert(10, "{not json")
            lines.insert(20, json.dumps({"id": "no-page", "title": "没有正文"}))
        text = "\n".join(lines) + "\n"
        path = root / (f"part{f}.jsonl.gz" if f == 2 else f"part{f}.jsonl")
        if f == 2:
            path.write_bytes(gzip.compress(text.encode("utf-8")))
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(str(path))
        lines_total += len(lines)
    return paths, ids, lines_total


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # local mode: stay on loopback
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("zhclean-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def read_jsonl_dir(path):
    rows = []
    for part in sorted(path.glob("part-*")):
        rows += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines()]
    return rows


def check_rows(rows, ids, lines_total):
    assert len(rows) == lines_total
    good = [r for r in rows if r.get("error") is None]
    assert sorted(r["id"] for r in good) == sorted(ids)
    errors = sorted((str(r["id"]), r["error"]["kind"]) for r in rows if r.get("error"))
    assert errors == [("None", "invalid_input"), ("no-page", "invalid_input")]


def test_example_script_jsonl_end_to_end(dataset, tmp_path):
    """The example as a user runs it: a separate driver process, local[2], JSONL out."""
    paths, ids, lines_total = dataset
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, str(EXAMPLE), *paths, "--output", str(out), "--master", "local[2]",
         "--partitions", "4", "--threads", "2"],
        check=True,
        env=spark_env(),
        timeout=600,
    )
    rows = read_jsonl_dir(out)
    check_rows(rows, ids, lines_total)
    by_id = {r["id"]: r for r in rows if r["id"]}
    assert by_id["doc-0"]["body"] == "第0篇：据住房和城乡建设部官网消息，按照完全自愿原则。"
    assert by_id["doc-3"]["tags"] == ["生活垃圾分类"]
    assert by_id["doc-5"]["input"]["url"] == "http://news.example.cn/5.html"
    not_json = [r for r in rows if r["id"] is None][0]
    assert not_json["error"]["message"].startswith("line is not JSON")


def test_parquet_output_has_the_fixed_schema(spark, dataset, tmp_path):
    example = load_example()
    paths, ids, lines_total = dataset
    out = str(tmp_path / "out.parquet")
    example.run(spark, paths, out, output_format="parquet", partitions=3)
    frame = spark.read.parquet(out)
    assert frame.columns == [name for name, _ in example.SCHEMA_FIELDS]
    rows = [row.asDict() for row in frame.collect()]
    assert len(rows) == lines_total
    assert sorted(r["id"] for r in rows if r["error_kind"] is None) == sorted(ids)
    doc3 = [r for r in rows if r["id"] == "doc-3"][0]
    assert doc3["tags"] == ["生活垃圾分类"]
    assert doc3["encoding"] == "UTF-8"


def test_files_input(spark, tmp_path):
    example = load_example()
    pages = tmp_path / "pages"
    pages.mkdir()
    text = "據悉,生活垃圾分類工作取得進展。"
    encodings = {"a.txt": "utf-8", "b.txt": "gb18030", "c.txt": "big5", "d.txt": "utf-16"}
    for name, encoding in encodings.items():
        (pages / name).write_bytes(text.encode(encoding))
    (pages / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    example.run(spark, [str(pages)], str(out), input_format="files")
    rows = read_jsonl_dir(out)
    assert len(rows) == 5
    by_name = {r["input"]["path"].rsplit("/", 1)[-1]: r for r in rows}
    for name in encodings:
        assert by_name[name]["body"] == "据悉，生活垃圾分类工作取得进展。", name
    assert by_name["empty.txt"]["error"]["kind"] == "empty_input"


def test_warc_input(spark, tmp_path):
    pytest.importorskip("warcio", reason="warcio not installed")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    example = load_example()
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        responses = [
            ("http://news.example.cn/1.html", "text/html; charset=gbk",
             "<html><body><p>据悉，生活垃圾分类工作取得进展。</p></body></html>".encode("gbk")),
            ("http://news.example.cn/2.txt", "text/plain; charset=utf-8",
             "我来到北京清华大学。".encode("utf-8")),
            ("http://news.example.cn/logo.png", "image/png", b"\x89PNG\r\n\x1a\n...."),
        ]
        for url, content_type, payload in responses:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                               http_headers=headers)
            writer.write_record(record)
        request = writer.create_warc_record("http://news.example.cn/1.html", "request",
                                            payload=io.BytesIO(b"GET /1.html HTTP/1.1\r\n\r\n"))
        writer.write_record(request)
    out = tmp_path / "out"
    example.run(spark, [str(path)], str(out), input_format="warc")
    rows = read_jsonl_dir(out)
    assert [r["input"]["url"] for r in rows] == [
        "http://news.example.cn/1.html",
        "http://news.example.cn/2.txt",
    ]
    assert rows[0]["input"]["encoding"] == "GBK"
    assert [r["input"]["format"] for r in rows] == ["html", "text"]
    assert "生活垃圾分类" in rows[0]["body"]
    assert rows[1]["body"] == "我来到北京清华大学。"
    assert all(r["id"].startswith("<urn:uuid:") for r in rows)


def test_rdd_pipe_through_the_cli(spark, dataset):
    """The documented alternative: no Python zhclean on executors, the CLI as a filter."""
    cli = cli_path()
    if cli is None:
        pytest.skip("no zhclean binary (set ZHCLEAN_CLI or cargo build)")
    help_text = subprocess.run([cli, "--help"], capture_output=True, text=True).stdout
    if "--jsonl" not in help_text:
        pytest.skip("this zhclean CLI has no --jsonl input yet")
    paths, ids, _ = dataset
    lines = spark.sparkContext.textFile(",".join(paths[:1]))
    good = lines.filter(lambda line: line.startswith("{\""))
    rows = good.pipe(f"{cli} --jsonl -").map(json.loads).collect()
    assert sorted(r["id"] for r in rows if r.get("id") in ids) == sorted(ids[:50])
