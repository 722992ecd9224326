"""Clean a crawl with zhclean on Spark: one ``zhclean.Cleaner`` per partition, one output row
per input record.

Usage (local, or with ``spark-submit`` on a cluster whose executors have ``zhclean``
installed)::

    python examples/spark_clean.py pages.jsonl --output out/ --output-format jsonl
    spark-submit examples/spark_clean.py 'dump/*.jsonl.gz' --output out.parquet --output-format parquet
    spark-submit examples/spark_clean.py crawl.warc.gz --input-format warc --output out/

Inputs (``--input-format``):

* ``jsonl`` (default): one page per line, the page under the first of ``html``, ``content``,
  ``text``, ``raw``; ``id`` (else ``url``), ``url`` and ``content_type`` are used when
  present. Read with ``textFile``, so ``.gz`` works and files split across partitions.
* ``files``: every file is one page (HTML or text, any encoding), read whole with
  ``binaryFiles``; the path becomes ``input.path``.
* ``warc``: WARC / WARC.gz files, read whole with ``binaryFiles`` and parsed with the
  ``warcio`` package (``pip install warcio``); ``response`` records with a text or HTML
  payload are cleaned, with ``WARC-Target-URI`` as url, ``WARC-Record-ID`` as id and the
  HTTP ``Content-Type`` as charset evidence (and ``text/html`` / ``text/plain`` as the page
  format). Other records (requests, metadata, images)
  are not pages and produce no row. A WARC file is not splittable, so one file is one task.

Outputs (``--output-format``):

* ``jsonl``: the full JSON object of each record, exactly what ``zhclean --jsonl`` prints
  (articles and ``{"id", "input", "error"}`` records), via ``saveAsTextFile``.
* ``parquet``: the fixed schema ``SCHEMA`` below (``words``/``removed`` are left to JSONL).

Every input record yields exactly one output row: failures are rows with ``error_kind`` set,
never dropped. Each partition builds one ``Cleaner`` (loading the dictionaries once per
task; cheap next to a partition of pages) and cleans with ``clean_many``, which releases the
GIL. ``--threads`` is per task: Spark already runs one task per core, so the default is 1.

The same job without Python on the executors, using only the ``zhclean`` binary there::

    rdd.map(json.dumps).pipe("zhclean --jsonl -").map(json.loads)

(see docs/python.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, Iterable, Iterator, List, Optional

#: Columns of the Parquet output, in order. Kept fixed so that partitions and runs agree.
SCHEMA_FIELDS = [
    ("id", "string"),
    ("url", "string"),
    ("path", "string"),
    ("encoding", "string"),
    ("title", "string"),
    ("published_at", "string"),
    ("authors", "array<string>"),
    ("source", "string"),
    ("editor", "string"),
    ("tags", "array<string>"),
    ("keywords", "array<string>"),
    ("body", "string"),
    ("error_kind", "string"),
    ("error_message", "string"),
]

def spark_schema():
    """``SCHEMA_FIELDS`` as a Spark ``StructType``."""
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    def spark_type(name: str):
        return ArrayType(StringType()) if name == "array<string>" else StringType()

    return StructType([StructField(n, spark_type(t), True) for n, t in SCHEMA_FIELDS])


#: Key under which a reader marks a record it could not parse (see ``clean_partition``).
READ_ERROR = "_zhclean_read_error"


def jsonl_items(lines: Iterable[str]) -> Iterator[Dict[str, Any]]:
    """JSONL lines as ``clean_many`` items (dicts). A line that is not a JSON object becomes a
    dict with no page field and the reason under ``READ_ERROR``: it still yields its row."""
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError as e:
            yield {READ_ERROR: f"line is not JSON ({e}): {line[:80]!r}"}
            continue
        if not isinstance(record, dict):
            yield {READ_ERROR: f"line is not a JSON object: {line[:80]!r}"}
            continue
        yield record


def warc_items(path: str, data: bytes) -> Iterator[Dict[str, Any]]:
    """The text/HTML ``response`` records of one WARC file as ``clean_many`` items."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response" or record.http_headers is None:
            continue
        content_type = record.http_headers.get_header("Content-Type") or ""
        if content_type and not content_type.lower().startswith(("text/", "application/xhtml")):
            continue
        mime = content_type.split(";")[0].strip().lower()
        page_format = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
        yield {
            "format": page_format.get(mime),  # None: let zhclean sniff
            "id": record.rec_headers.get_header("WARC-Record-ID"),
            "url": record.rec_headers.get_header("WARC-Target-URI"),
            "content_type": content_type or None,
            "path": path,
            "raw": record.content_stream().read(),
        }


def clean_partition(items: Iterable[Any], options: Dict[str, Any], threads: int):
    """Cleans one partition's items: one Cleaner, one output dict per item, in input order."""
    from collections import deque

    import zhclean

    cleaner = zhclean.Cleaner(**options)
    # clean_many yields result i only after it has pulled item i, so a FIFO of the readers'
    # error reasons lines up with the results.
    reasons: deque = deque()

    def feed() -> Iterator[Any]:
        for item in items:
            reasons.append(item.pop(READ_ERROR, None) if isinstance(item, dict) else None)
            yield item

    for result in cleaner.clean_many(feed(), threads=threads):
        reason = reasons.popleft()
        if reason is not None:
            result["error"] = {"kind": "invalid_input", "message": reason}
        yield result


def to_row(record: Dict[str, Any]) -> tuple:
    """One output dict (article or error record) as a tuple in ``SCHEMA_FIELDS`` order."""
    source = record.get("input") or {}
    error = record.get("error") or {}
    values = {
        "id": record.get("id"),
        "url": source.get("url"),
        "path": source.get("path"),
        "encoding": source.get("encoding") or None,
        "error_kind": error.get("kind"),
        "error_message": error.get("message"),
    }
    return tuple(values[n] if n in values else record.get(n) for n, _ in SCHEMA_FIELDS)


def run(
    spark,
    inputs: List[str],
    output: str,
    *,
    input_format: str = "jsonl",
    output_format: str = "jsonl",
    options: Optional[Dict[str, Any]] = None,
    threads: int = 1,
    partitions: Optional[int] = None,
) -> None:
    """Reads ``inputs``, cleans every record, writes ``output``. Used by ``main`` and tests."""
    sc = spark.sparkContext
    options = dict(options or {})
    paths = ",".join(inputs)
    if input_format == "jsonl":
        items = sc.textFile(paths, minPartitions=partitions or sc.defaultParallelism)
        items = items.mapPartitions(jsonl_items)
    elif input_format == "files":
        items = sc.binaryFiles(paths, minPartitions=partitions or sc.defaultParallelism)
        items = items.map(lambda pair: {"path": pair[0], "raw": pair[1]})
    elif input_format == "warc":
        items = sc.binaryFiles(paths).flatMap(lambda pair: warc_items(pair[0], pair[1]))
    else:
        raise ValueError(f"unknown input format {input_format!r}")
        if partitions:
            items = items.repartition(partitions)

    cleaned = items.mapPartitions(lambda part: clean_partition(part, options, threads))
    if output_format == "jsonl":
        cleaned.map(lambda r: json.dumps(r, ensure_ascii=False)).saveAsTextFile(output)
    elif output_format == "parquet":
        spark.createDataFrame(cleaned.map(to_row), spark_schema()).write.parquet(output)
    else:
        raise ValueError(f"unknown output format {output_format!r}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="input paths or globs (local, HDFS, S3, ...)")
    parser.add_argument("--output", required=True, help="output directory")
    parser.add_argument("--input-format", choices=["jsonl", "files", "warc"], default="jsonl")
    parser.add_argument("--output-format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument(
        "--page-format", choices=["auto", "html", "text"], default="auto",
        help="what the pages are (the CLI's --format): auto sniffs each page",
    )
    parser.add_argument("--master", help="Spark master, e.g. local[2] (spark-submit sets it)")
    parser.add_argument("--threads", type=int, default=1, help="clean_many threads per task")
    parser.add_argument("--partitions", type=int, help="minimum number of partitions")
    parser.add_argument("--script", choices=["simplified", "keep"], default="simplified")
    parser.add_argument("--no-segment", action="store_true", help="skip word segmentation")
    parser.add_argument("--user-dict", help="jieba user dictionary (must exist on executors)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("zhclean")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        run(
            spark,
            args.inputs,
            args.output,
            input_format=args.input_format,
            output_format=args.output_format,
            options={
                "script": args.script,
                "segment": not args.no_segment,
                "user_dict": args.user_dict,
                "format": args.page_format,
            },
            threads=args.threads,
            partitions=args.partitions,
        )
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
