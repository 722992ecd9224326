//! Input generators for the batch tests: pages, gzip members, WARC records, HTTP responses.
//! Everything is built at test time in a temporary folder; no third-party data.

use std::io::Write;
use std::path::Path;
use std::process::Output;

use flate2::write::GzEncoder;
use flate2::Compression;

/// A one-paragraph page whose cleaned body is exactly itself (already clean text).
pub fn page(n: usize) -> String {
    format!("会议在北京举行，代表们讨论了第{n}号城市垃圾分类方案。")
}

/// `data` as one gzip member.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// An HTTP/1.1 response with `status`, `headers` and `body`.
pub fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend(b"\r\n");
    out.extend(body);
    out
}

/// `body` in chunked transfer coding, cut into chunks of `size` bytes.
pub fn chunked(body: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(size) {
        out.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend(chunk);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    out
}

/// One WARC/1.0 record of type `kind` (id `<urn:uuid:n>`), with an optional target URI.
pub fn warc_record(
    kind: &str,
    n: usize,
    uri: Option<&str>,
    content_type: &str,
    block: &[u8],
) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{n:08}-0000-0000-0000-000000000000>\r\nWARC-Date: 2018-12-24T08:37:00Z\r\n"
    )
    .into_bytes();
    if let Some(uri) = uri {
        out.extend(format!("WARC-Target-URI: {uri}\r\n").as_bytes());
    }
    out.extend(
        format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .as_bytes(),
    );
    out.extend(block);
    out.extend(b"\r\n\r\n");
    out
}

/// The WARC id `warc_record` gives record `n`.
pub fn warc_id(n: usize) -> String {
    format!("<urn:uuid:{n:08}-0000-0000-0000-000000000000>")
}

/// Runs `zhclean` with `args` and a closed stdin.
pub fn run(args: &[&str]) -> Output {
    crate::zhclean(args, b"")
}

/// The lines of a file, parsed as JSON.
pub fn json_file(path: &Path) -> Vec<serde_json::Value> {
    let bytes = std::fs::read(path).unwrap();
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// `path` as a `&str` (test paths are UTF-8).
pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `error.kind`, `skipped`, or `"ok"` for each output line.
pub fn kinds(lines: &[serde_json::Value]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            if let Some(kind) = line["error"]["kind"].as_str() {
                kind.to_string()
            } else if let Some(reason) = line["skipped"].as_str() {
                format!("skipped:{reason}")
            } else {
                "ok".to_string()
            }
        })
        .collect()
}
