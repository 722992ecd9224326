#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the project's own fixtures.

    python3 fuzz/seeds.py            # fills fuzz/corpus/<target>/ (git-ignored)

Every seed starts with the target's mode byte (see the doc of each target in fuzz_targets/).
clean_bytes and clean_html get the fixtures as they are; jsonl_reader and warc_reader get
small JSONL files and WARC archives built here around pieces of the fixtures. No third-party
data: only fixtures/ is read.
"""
import gzip
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
FIX = ROOT / "fixtures"


def head(path, limit=1200):
    """The first `limit` bytes of a fixture, whole characters only when it is UTF-8."""
    data = path.read_bytes()[:limit]
    return data.decode("utf-8", "ignore").encode("utf-8") if path.suffix == ".html" else data


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def seed_plain_targets():
    for path in sorted((FIX / "seed").glob("*.txt")) + sorted((FIX / "encodings").iterdir()):
        write("clean_bytes", path.name, path.read_bytes())
    for path in sorted((FIX / "html").glob("*.html")):
        write("clean_html", path.name, path.read_bytes())


def seed_jsonl():
    pages = sorted((FIX / "html").glob("*.html"))
    seed_text = (FIX / "seed" / "000_f764d41b789eb620.txt").read_bytes()[:900]
    seed_text = seed_text.decode("utf-8", "ignore")
    lines = []
    for i, path in enumerate(pages[:3]):
        html = head(path, 600).decode("utf-8", "replace")
        lines.append(json.dumps({"id": i, "url": f"http://a.cn/{i}", "html": html, "site": "a"},
                                ensure_ascii=i % 2 == 0))
    lines.append(json.dumps({"url": "http://a.cn/t", "content": seed_text}, ensure_ascii=False))
    lines += ["", "not json", "[1,2]", '{"url":"http://a.cn/n","title":"无正文"}',
              '{"html":3}', '{"text":"据悉，会议在北京举行。","id":true}']
    body = ("\ufeff" + "\r\n".join(lines[:2]) + "\n" + "\n".join(lines[2:]) + "\n").encode()
    for mode in (0, 1, 4, 5):
        write("jsonl_reader", f"mixed_mode{mode}", bytes([mode]) + body)
    write("jsonl_reader", "gzip_cut", bytes([3, 120]) + body[1:])
    write("jsonl_reader", "raw_gzip", b"\0" + gzip.compress(body))
    write("jsonl_reader", "one_line", b"\0" + b'{"raw":"<p>\\u4e2d\\u6587</p>"}')


def warc_record(kind, n, content_type, block, uri=True):
    head = f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{n}>\r\n"
    if uri:
        head += f"WARC-Target-URI: http://a.cn/{n}\r\n"
    head += f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def http(status, headers, body):
    out = f"HTTP/1.1 {status}\r\n".encode()
    for name, value in headers:
        out += f"{name}: {value}\r\n".encode()
    return out + b"\r\n" + body


def chunked(body, size=16):
    out = b""
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def seed_warc():
    resp = "application/http; msgtype=response"
    html = head(FIX / "html" / "bylines.html")
    gbk = head(FIX / "html" / "charset_gbk_undeclared.html")
    text = (FIX / "seed" / "000_f764d41b789eb620.txt").read_bytes()[:600]
    text = text.decode("utf-8", "ignore").encode()
    records = [
        warc_record("warcinfo", 0, "application/warc-fields", b"software: seeds.py\r\n", uri=False),
        warc_record("request", 1, "application/http; msgtype=request",
                    b"GET /1 HTTP/1.1\r\nHost: a.cn\r\n\r\n"),
        warc_record("response", 2, resp,
                    http("200 OK", [("Content-Type", "text/html; charset=utf-8")], html)),
        warc_record("response", 3, resp,
                    http("200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"),
                                    ("Content-Encoding", "gzip")], chunked(gzip.compress(gbk)))),
        warc_record("metadata", 4, "application/warc-fields", b"via: x\r\n"),
        warc_record("response", 5, resp,
                    http("200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n")),
        warc_record("response", 6, resp, http("301 Moved Permanently", [("Location", "/n")], b"")),
        warc_record("resource", 7, "text/html; charset=gbk", gbk),
        warc_record("conversion", 8, "text/plain", text),
        warc_record("revisit", 9, resp, b""),
    ]
    whole = b"".join(records)
    write("warc_reader", "crawl_raw", b"\0" + whole)
    write("warc_reader", "crawl_gzip_members", b"\0" + b"".join(gzip.compress(r) for r in records))
    write("warc_reader", "crawl_gzip_whole", b"\x02" + whole)
    write("warc_reader", "crawl_cut", b"\x04" + whole)
    write("warc_reader", "crawl_small_limit", b"\x08" + whole)
    # Build mode: parts split at 0xFF, each a pick byte then the block.
    parts = [bytes([pick]) + body for pick, body in [
        (0, http("200 OK", [("Content-Type", "text/plain")], text[:200])),
        (8 | 0x10, text[:300]), (8 | 0x20, html[:300]), (1, html[:200]), (9, text[:120]),
        (2, text[:200]), (3, b"GET / HTTP/1.1\r\n\r\n"), (4, b"a: b\r\n"), (5, b""), (6, b""),
    ]]
    built = b"\xff".join(parts)
    for mode in (1, 3, 5, 9, 11):
        write("warc_reader", f"built_mode{mode}", bytes([mode]) + built)


if __name__ == "__main__":
    seed_plain_targets()
    seed_jsonl()
    seed_warc()
