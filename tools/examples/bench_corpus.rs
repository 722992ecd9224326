//! Generates the benchmark batch of `scripts/bench.sh` from `../shared/corpus/` (never
//! committed: the corpus is third-party text for evaluation only).
//!
//! ```text
//! cargo run --release -p zhclean-tools --example bench_corpus -- DIR PAGES     # DIR/files/, DIR/pages.jsonl, DIR/pages.warc.gz
//! cargo run --release -p zhclean-tools --example bench_corpus -- --stream BYTES  # JSONL on stdout, about BYTES long
//! ```
//!
//! Pages: People's Daily 1998 paragraphs in pages of 12 lines with a site footer (UTF-8), the
//! Sohu records (UTF-8, full-width alphanumerics) and the Sogou GBK records (GBK bytes in
//! files and WARC with `charset=gbk`; decoded to UTF-8 in JSONL, which must be UTF-8). The
//! list is cycled until PAGES pages exist, each with its own URL and id.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

struct Page {
    url: String,
    bytes: Vec<u8>,
    gbk: bool,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// `<url>…</url>` and `<content>…</content>` pairs of a Sogou `.dat` file (as bytes).
fn sogou(name: &str, gbk: bool) -> io::Result<Vec<Page>> {
    let data = std::fs::read(corpus_dir().join(name))?;
    let mut pages = Vec::new();
    let mut rest = data.as_slice();
    while let Some(start) = find(rest, b"<url>") {
        rest = &rest[start + 5..];
        let Some(end) = find(rest, b"</url>") else {
            break;
        };
        let url = String::from_utf8_lossy(&rest[..end]).into_owned();
        let Some(c) = find(rest, b"<content>") else {
            break;
        };
        rest = &rest[c + 9..];
        let Some(e) = find(rest, b"</content>") else {
            break;
        };
        if e > 200 {
            pages.push(Page {
                url,
                bytes: rest[..e].to_vec(),
                gbk,
            });
        }
        rest = &rest[e..];
    }
    Ok(pages)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn base_pages() -> io::Result<Vec<Page>> {
    let text = std::fs::read_to_string(corpus_dir().join("peoples_daily_199801.txt"))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut pages: Vec<Page> = lines
        .chunks(12)
        .enumerate()
        .map(|(i, chunk)| {
            let mut body = chunk.join("\n");
            body.push_str("\n欢迎访问人民网，更多精彩新闻请关注人民日报客户端");
            Page {
                url: format!("http://www.people.com.cn/1998/01/{i}.html"),
                bytes: body.into_bytes(),
                gbk: false,
            }
        })
        .collect();
    pages.extend(sogou("sogoucs_mini_utf8.dat", false)?);
    pages.extend(sogou("sogouca_mini_gbk.dat", true)?);
    Ok(pages)
}

fn text(page: &Page) -> String {
    if page.gbk {
        encoding_rs::GBK.decode(&page.bytes).0.into_owned()
    } else {
        String::from_utf8_lossy(&page.bytes).into_owned()
    }
}

fn jsonl_line(page: &Page, n: usize) -> String {
    let record = serde_json::json!({
        "id": format!("p{n}"),
        "url": format!("{}?n={n}", page.url),
        "text": text(page),
    });
    format!("{record}\n")
}

fn warc_record(kind: &str, n: usize, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{n}>\r\nWARC-Date: 2018-12-24T08:37:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gzip_member(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(data)?;
    gz.finish()
}

fn write_batch(dir: &Path, count: usize) -> io::Result<()> {
    let pages = base_pages()?;
    let files = dir.join("files");
    std::fs::create_dir_all(&files)?;
    let mut jsonl = BufWriter::new(std::fs::File::create(dir.join("pages.jsonl"))?);
    let mut warc = BufWriter::new(std::fs::File::create(dir.join("pages.warc.gz"))?);
    for n in 0..count {
        let page = &pages[n % pages.len()];
        std::fs::write(files.join(format!("{n:06}.txt")), &page.bytes)?;
        jsonl.write_all(jsonl_line(page, n).as_bytes())?;
        let uri = format!("{}?n={n}", page.url);
        let request = format!("GET /?n={n} HTTP/1.1\r\nHost: example\r\n\r\n");
        warc.write_all(&gzip_member(&warc_record(
            "request",
            n,
            &uri,
            "application/http; msgtype=request",
            request.as_bytes(),
        ))?)?;
        let charset = if page.gbk { "gbk" } else { "utf-8" };
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset={charset}\r\nContent-Length: {}\r\n\r\n",
            page.bytes.len()
        )
        .into_bytes();
        response.extend_from_slice(&page.bytes);
        warc.write_all(&gzip_member(&warc_record(
            "response",
            n,
            &uri,
            "application/http; msgtype=response",
            &response,
        ))?)?;
    }
    jsonl.flush()?;
    warc.flush()
}

fn write_stream(bytes: u64) -> io::Result<()> {
    let pages = base_pages()?;
    let mut out = BufWriter::new(io::stdout().lock());
    let (mut written, mut n) = (0u64, 0usize);
    while written < bytes {
        let line = jsonl_line(&pages[n % pages.len()], n);
        written += line.len() as u64;
        n += 1;
        if let Err(e) = out.write_all(line.as_bytes()) {
            // The reader went away: stop quietly.
            return if e.kind() == io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            };
        }
    }
    out.flush()
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, bytes] if flag == "--stream" => write_stream(bytes.parse().unwrap_or(0)),
        [dir, count] => write_batch(Path::new(dir), count.parse().unwrap_or(3000)),
        _ => {
            eprintln!("usage: bench_corpus DIR PAGES | bench_corpus --stream BYTES");
            std::process::exit(2);
        }
    }
}
