//! JSONL inputs: fields, passthrough `meta`, bad lines, gzip cut short, stdin streaming.

use crate::assert_cli;
use crate::gen::{gzip, kinds, page, s};

fn dump() -> String {
    [
        format!(r#"{{"id":"a1","url":"http://news.example.cn/1.html","html":"{}","site":"example","n":1}}"#, page(1)),
        String::new(),
        "this line is not JSON".to_string(),
        r#"{"id":"a3","url":"http://news.example.cn/3.html","title":"no page field"}"#.to_string(),
        format!(r#"{{"url":"http://news.example.cn/4.html","content":"{}"}}"#, page(4)),
        format!(r#"{{"id":5,"text":"{}"}}"#, page(5)),
    ]
    .join("\n")
}

#[test]
fn each_line_gives_one_record_and_bad_lines_name_their_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl");
    std::fs::write(&path, dump()).unwrap();
    let (output, lines) = assert_cli!(
        &[s(&path), "--no-segment"],
        stdin = b"",
        exit = 1,
        lines = 5
    );
    assert_eq!(
        kinds(&lines),
        ["ok", "not_json", "missing_field", "ok", "ok"]
    );
    assert_eq!(lines[0]["id"], "a1");
    assert_eq!(lines[0]["body"], page(1));
    assert_eq!(lines[0]["input"]["url"], "http://news.example.cn/1.html");
    assert_eq!(lines[0]["input"]["line"], 1);
    assert_eq!(
        lines[0]["meta"],
        serde_json::json!({"id": "a1", "url": "http://news.example.cn/1.html", "site": "example", "n": 1})
    );
    assert_eq!(lines[1]["input"]["line"], 3);
    assert_eq!(lines[2]["id"], "a3");
    assert_eq!(lines[2]["meta"]["title"], "no page field");
    assert_eq!(
        lines[3]["id"], "http://news.example.cn/4.html",
        "id falls back to the URL"
    );
    assert_eq!(lines[3]["body"], page(4));
    assert_eq!(lines[4]["id"], "5");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("dump.jsonl:3: line is not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dump.jsonl:4: line has no string field"),
        "{stderr}"
    );
}

#[test]
fn named_fields_and_stdin_streaming() {
    let input = format!(
        "{{\"key\":\"k1\",\"link\":\"http://b.cn/x\",\"body\":\"{}\"}}\n{{\"key\":\"k2\",\"body\":\"{}\"}}\n",
        page(7),
        page(8)
    );
    let args = [
        "--jsonl",
        "-",
        "--field",
        "body",
        "--id-field",
        "key",
        "--url-field",
        "link",
        "--no-segment",
    ];
    let (_, lines) = assert_cli!(&args, stdin = input.as_bytes(), exit = 0, lines = 2);
    assert_eq!(lines[0]["id"], "k1");
    assert_eq!(lines[0]["input"]["url"], "http://b.cn/x");
    assert_eq!(lines[0]["input"]["path"], serde_json::Value::Null);
    assert_eq!(lines[1]["body"], page(8));
}

#[test]
fn a_truncated_jsonl_gz_keeps_the_lines_before_the_cut_and_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.jsonl.gz");
    let text: String = (0..200)
        .map(|n| format!("{{\"id\":\"r{n}\",\"text\":\"{}\"}}\n", page(n)))
        .collect();
    let mut data = gzip(text.as_bytes());
    // Cut inside the deflate stream: the lines decoded before the cut come out, then one
    // error record. How many lines survive depends on where the cut falls, so count them.
    data.truncate(data.len() * 3 / 4);
    std::fs::write(&path, &data).unwrap();
    let output = crate::zhclean(&[s(&path), "--no-segment"], b"");
    assert_eq!(output.status.code(), Some(1));
    let lines = crate::json_lines(&output);
    let good = lines.len() - 1;
    assert!(good > 50 && good < 200, "{good}");
    assert_eq!(kinds(&lines[..good]), vec!["ok"; good]);
    for (n, line) in lines[..good].iter().enumerate() {
        assert_eq!(line["id"], format!("r{n}"));
        assert_eq!(line["body"], page(n));
    }
    let last = &lines[good];
    assert_eq!(last["error"]["kind"], "gzip");
    assert_eq!(last["input"]["line"], good as u64 + 1);
    assert_eq!(
        last["error"]["message"],
        "gzip stream is truncated (cut off before its end)"
    );
}

#[test]
fn a_line_that_is_not_utf8_says_so_and_how_to_fix_it() {
    let mut dump = format!("{{\"id\":1,\"text\":\"{}\"}}\n", page(1)).into_bytes();
    let gbk = encoding_rs::GBK.encode(&page(2)).0.into_owned();
    dump.extend(b"{\"id\":2,\"text\":\"");
    dump.extend(&gbk);
    dump.extend(b"\"}\n");
    let (_, lines) = assert_cli!(
        &["--jsonl", "-", "--no-segment"],
        stdin = &dump,
        exit = 1,
        lines = 2
    );
    assert_eq!(kinds(&lines), ["ok", "not_json"]);
    let message = lines[1]["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("line is not UTF-8 (byte 0x"),
        "{message}"
    );
    assert!(message.contains("JSON Lines must be UTF-8"), "{message}");
}

#[test]
fn a_byte_order_mark_starting_a_later_line_is_not_part_of_the_json() {
    // Two files with byte-order marks, joined by `cat`.
    let dump = format!(
        "\u{FEFF}{{\"id\":1,\"text\":\"{}\"}}\n\u{FEFF}{{\"id\":2,\"text\":\"{}\"}}\n",
        page(1),
        page(2)
    );
    let (_, lines) = assert_cli!(
        &["--jsonl", "-", "--no-segment"],
        stdin = dump.as_bytes(),
        exit = 0,
        lines = 2
    );
    assert_eq!(lines[1]["body"], page(2));
    assert_eq!(lines[1]["input"]["line"], 2);
}
