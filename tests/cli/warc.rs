//! WARC inputs: responses cleaned (charset, chunked, gzip), non-pages skipped or ignored,
//! a record cut off at the end reported, `.warc.gz` per-record members, stdin.

use crate::assert_cli;
use crate::gen::{chunked, gzip, http, kinds, page, s, warc_id, warc_record};

const HTTP: &str = "application/http; msgtype=response";

/// Records of a small crawl; the last one is cut off in the middle.
pub(crate) fn crawl() -> Vec<Vec<u8>> {
    let gbk = encoding_rs::GBK.encode(&page(2)).0.into_owned();
    vec![
        warc_record(
            "warcinfo",
            0,
            None,
            "application/warc-fields",
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            1,
            Some("http://a.cn/1"),
            "application/http; msgtype=request",
            b"GET /1 HTTP/1.1\r\nHost: a.cn\r\n\r\n",
        ),
        warc_record(
            "response",
            2,
            Some("http://a.cn/1"),
            HTTP,
            &http(
                "200 OK",
                &[("Content-Type", "text/plain; charset=gbk")],
                &gbk,
            ),
        ),
        warc_record(
            "response",
            3,
            Some("http://a.cn/2"),
            HTTP,
            &http(
                "200 OK",
                &[
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Transfer-Encoding", "chunked"),
                    ("Content-Encoding", "gzip"),
                ],
                &chunked(&gzip(page(3).as_bytes()), 16),
            ),
        ),
        warc_record(
            "metadata",
            4,
            Some("http://a.cn/2"),
            "application/warc-fields",
            b"via: x\r\n",
        ),
        warc_record(
            "response",
            5,
            Some("http://a.cn/logo.png"),
            HTTP,
            &http(
                "200 OK",
                &[("Content-Type", "image/png")],
                b"\x89PNG\r\n\x1a\n",
            ),
        ),
        warc_record(
            "response",
            6,
            Some("http://a.cn/old"),
            HTTP,
            &http("301 Moved Permanently", &[("Location", "/new")], b""),
        ),
        warc_record(
            "conversion",
            7,
            Some("http://a.cn/3"),
            "text/plain",
            page(7).as_bytes(),
        ),
        {
            let mut cut = warc_record(
                "response",
                8,
                Some("http://a.cn/4"),
                HTTP,
                &http(
                    "200 OK",
                    &[("Content-Type", "text/plain")],
                    page(8).repeat(20).as_bytes(),
                ),
            );
            cut.truncate(cut.len() - 100);
            cut
        },
    ]
}

fn check(lines: &[serde_json::Value], path: Option<&str>) {
    assert_eq!(
        kinds(lines),
        [
            "ok",
            "ok",
            "skipped:not_html",
            "skipped:http_status",
            "ok",
            "warc_truncated"
        ]
    );
    assert_eq!(lines[0]["body"], page(2));
    assert_eq!(lines[0]["input"]["encoding"], "GBK");
    assert_eq!(lines[0]["id"], warc_id(2));
    assert_eq!(lines[0]["input"]["url"], "http://a.cn/1");
    assert_eq!(lines[0]["input"]["record"], 3);
    assert_eq!(lines[1]["body"], page(3));
    assert_eq!(lines[2]["detail"], "image/png");
    assert_eq!(lines[3]["detail"], "301");
    assert_eq!(lines[4]["body"], page(7));
    assert_eq!(lines[5]["input"]["record"], 9);
    assert_eq!(
        lines[5]["error"]["message"],
        "record is cut off (file ends before its Content-Length); the rest of this file was not read"
    );
    for line in lines {
        assert_eq!(line["input"]["path"].as_str(), path);
    }
}

#[test]
fn a_warc_file_gives_pages_skips_and_one_error_for_the_cut_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc");
    std::fs::write(&path, crawl().concat()).unwrap();
    let stats = dir.path().join("stats.json");
    let args = [s(&path), "--no-segment", "--stats", s(&stats)];
    let (output, lines) = assert_cli!(&args, stdin = b"", exit = 1, lines = 6);
    check(&lines, Some(s(&path)));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("6 records in = 3 ok + 1 errors + 2 skipped"),
        "{stderr}"
    );
    let stats: serde_json::Value = serde_json::from_slice(&std::fs::read(&stats).unwrap()).unwrap();
    assert_eq!(
        stats["warc_not_pages"],
        serde_json::json!({"metadata": 1, "request": 1, "warcinfo": 1})
    );
    assert_eq!(
        stats["skipped_by_reason"],
        serde_json::json!({"http_status": 1, "not_html": 1})
    );
}

#[test]
fn a_warc_gz_with_one_member_per_record_reads_the_same_also_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    let records = crawl();
    // The good records as gzip members; the cut record is cut inside its gzip member.
    let (last, good) = records.split_last().unwrap();
    let mut data: Vec<u8> = good.iter().flat_map(|r| gzip(r)).collect();
    let mut whole = records.last().map(|_| gzip(last)).unwrap();
    whole.truncate(whole.len() / 2);
    data.extend(whole);
    std::fs::write(&path, &data).unwrap();
    let (_, lines) = assert_cli!(
        &[s(&path), "--no-segment"],
        stdin = b"",
        exit = 1,
        lines = 6
    );
    assert_eq!(
        kinds(&lines)[..5],
        ["ok", "ok", "skipped:not_html", "skipped:http_status", "ok"]
    );
    assert_eq!(lines[5]["error"]["kind"], "gzip");
    assert_eq!(lines[0]["body"], page(2));
    assert_eq!(lines[1]["body"], page(3));

    // Uncompressed, through stdin: detected by its `WARC/` start.
    let (_, lines) = assert_cli!(
        &["--no-segment"],
        stdin = &records.concat(),
        exit = 1,
        lines = 6
    );
    check(&lines, None);
}

/// Seen while writing the `warc_reader` fuzz target: the `warc` crate's reader panicked on a
/// `Content-Length` near `usize::MAX`, which killed the whole run (the page named after the
/// archive got no line). Now it is that record's error, and the run goes on.
#[test]
fn a_warc_record_claiming_an_enormous_length_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a.warc");
    std::fs::write(
        &archive,
        b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 18446744073709551614\r\n\r\n\r\n",
    )
    .unwrap();
    let text = dir.path().join("b.txt");
    std::fs::write(&text, page(1)).unwrap();
    let (_, lines) = assert_cli!(
        &[s(&archive), s(&text), "--no-segment"],
        stdin = b"",
        exit = 1,
        lines = 2
    );
    assert_eq!(kinds(&lines), ["warc_truncated", "ok"]);
    assert_eq!(lines[0]["input"]["record"], 1);
    assert_eq!(lines[1]["body"], page(1));
}

/// A page record over `--max-page-bytes` is skipped by its length, so the records after it
/// are still read; records that are not pages are skipped unread, even ones holding
/// `WARC/1.0` lines.
#[test]
fn an_oversized_record_is_an_error_and_the_next_records_are_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc");
    let records = [
        warc_record(
            "conversion",
            1,
            None,
            "text/plain",
            &vec![b'a'; 1024 * 1024 + 1],
        ),
        warc_record(
            "metadata",
            2,
            None,
            "application/warc-fields",
            &warc_record("conversion", 9, None, "text/plain", b"x"),
        ),
        warc_record("conversion", 3, None, "text/plain", page(3).as_bytes()),
    ];
    std::fs::write(&path, records.concat()).unwrap();
    let args = [s(&path), "--no-segment", "--max-page-mib", "1"];
    let (_, lines) = assert_cli!(&args, stdin = b"", exit = 1, lines = 2);
    assert_eq!(kinds(&lines), ["too_large", "ok"]);
    assert_eq!(
        lines[0]["error"]["message"],
        "record is larger than the page limit of 1048576 bytes"
    );
    assert_eq!(lines[0]["input"]["record"], 1);
    assert_eq!(lines[1]["input"]["record"], 3);
    assert_eq!(lines[1]["body"], page(3));
}

/// `record` with its `Content-Length` header replaced by `length`.
fn with_length(record: &[u8], length: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(record);
    let at = text.find("Content-Length: ").unwrap();
    let end = at + text[at..].find("\r\n").unwrap();
    let mut out = record[..at].to_vec();
    out.extend(format!("Content-Length: {length}").as_bytes());
    out.extend(&record[end..]);
    out
}

#[test]
fn a_lying_content_length_costs_one_record_not_the_rest_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let pages: Vec<Vec<u8>> = (1..=5)
        .map(|n| {
            let uri = format!("http://a.cn/{n}");
            warc_record(
                "conversion",
                n,
                Some(&uri),
                "text/plain",
                page(n).as_bytes(),
            )
        })
        .collect();
    let mut records = pages.clone();
    records[1] = with_length(&pages[1], 5000); // too long: swallows the next records
    records[3] = with_length(&pages[3], 7); // too short
    for gz in [false, true] {
        let (name, data) = if gz {
            (
                "lies.warc.gz",
                records.iter().flat_map(|r| gzip(r)).collect(),
            )
        } else {
            ("lies.warc", records.concat())
        };
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let (output, lines) = assert_cli!(
            &[s(&path), "--no-segment"],
            stdin = b"",
            exit = 1,
            lines = 5
        );
        assert_eq!(
            kinds(&lines),
            ["ok", "warc_format", "ok", "warc_format", "ok"],
            "{name}"
        );
        for n in [0, 2, 4] {
            assert_eq!(lines[n]["body"], page(n + 1), "{name}");
        }
        assert_eq!(lines[1]["id"], warc_id(2));
        let offset = pages[0].len();
        let message = lines[1]["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("WARC record at byte {offset}")),
            "{message}"
        );
        assert!(
            message.contains("\"Content-Length: 5000\" is wrong"),
            "{message}"
        );
        let message = lines[3]["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("\"Content-Length: 7\" is wrong"),
            "{message}"
        );
        if gz {
            assert!(message.contains("next gzip member"), "{message}");
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("2 errors"), "{stderr}");
    }
}
