//! Batch runs over files and folders: gzip, damaged and unreadable inputs, output files,
//! order, exit codes, broken pipes and Ctrl-C.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::symlink;
use std::process::{Command, Stdio};

use crate::assert_cli;
use crate::gen::{gzip, json_file, kinds, page, run, s};

/// A folder with good pages (plain, gzip, multi-member gzip, nested), a truncated `.gz`, an
/// unreadable file, a dangling link, a symlink loop and a file the glob leaves out.
fn messy_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), page(1)).unwrap();
    std::fs::write(d.join("b.txt.gz"), gzip(page(2).as_bytes())).unwrap();
    // Two gzip members that together make one page.
    let text = page(3);
    let (first, second) = text.as_bytes().split_at(text.len() / 2 + 1);
    let mut multi = gzip(first);
    multi.extend(gzip(second));
    std::fs::write(d.join("c.txt.gz"), multi).unwrap();
    let mut cut = gzip(page(4).repeat(50).as_bytes());
    cut.truncate(cut.len() - 20);
    std::fs::write(d.join("d.txt.gz"), cut).unwrap();
    // Root can read any file whatever its mode, so unreadability is made real another way:
    // /proc/self/mem opens fine and fails on read (EIO at address 0).
    symlink("/proc/self/mem", d.join("e.txt")).unwrap();
    symlink(d.join("nowhere.txt"), d.join("f.txt")).unwrap();
    std::fs::create_dir(d.join("g")).unwrap();
    std::fs::write(d.join("g").join("h.txt"), page(5)).unwrap();
    symlink(d, d.join("g").join("loop")).unwrap();
    std::fs::write(d.join("notes.md"), "# not a page").unwrap();
    dir
}

#[test]
fn a_messy_folder_gives_one_line_per_file_in_name_order() {
    let dir = messy_folder();
    let args = [
        s(dir.path()),
        "--glob",
        "*.txt",
        "--glob",
        "*.gz",
        "--no-segment",
    ];
    let (output, lines) = assert_cli!(&args, stdin = b"", exit = 1, lines = 8);
    assert_eq!(
        kinds(&lines),
        ["ok", "ok", "ok", "gzip", "io", "io", "ok", "symlink_loop"]
    );
    for (line, n) in [(0, 1), (1, 2), (2, 3), (6, 5)] {
        assert_eq!(lines[line]["body"], page(n), "line {line}");
    }
    let path = |line: usize| lines[line]["input"]["path"].as_str().unwrap().to_string();
    assert!(path(2).ends_with("c.txt.gz"));
    assert!(path(7).ends_with("g/loop"), "{}", path(7));
    assert_eq!(
        lines[3]["error"]["message"],
        "gzip stream is truncated (cut off before its end)"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("d.txt.gz: gzip stream is truncated"),
        "{stderr}"
    );
    assert!(
        stderr.contains("8 records in = 4 ok + 4 errors + 0 skipped"),
        "{stderr}"
    );
}

#[test]
fn output_and_errors_files_appear_whole_with_a_stats_summary() {
    let dir = messy_folder();
    let out = tempfile::tempdir().unwrap();
    let (articles, errors, stats) = (
        out.path().join("articles.jsonl.gz"),
        out.path().join("errors.jsonl"),
        out.path().join("stats.json"),
    );
    let args = [
        s(dir.path()),
        "--glob",
        "*.txt",
        "--glob",
        "*.gz",
        "--no-segment",
        "-o",
        s(&articles),
        "--errors",
        s(&errors),
        "--stats",
        s(&stats),
        "--quiet",
    ];
    let (output, _) = assert_cli!(&args, stdin = b"", exit = 1, lines = 0);
    assert!(
        output.stderr.is_empty(),
        "--quiet: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&articles).unwrap()),
        &mut text,
    )
    .unwrap();
    let bodies: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["body"].to_string())
        .collect();
    assert_eq!(bodies.len(), 4);
    assert_eq!(
        kinds(&json_file(&errors)),
        ["gzip", "io", "io", "symlink_loop"]
    );
    let stats: serde_json::Value = serde_json::from_slice(&std::fs::read(&stats).unwrap()).unwrap();
    assert_eq!(stats["records_in"], 8);
    assert_eq!(stats["ok"], 4);
    assert_eq!(stats["errors"], 4);
    assert_eq!(stats["skipped"], 0);
    assert_eq!(stats["errors_by_kind"]["io"], 2);
    assert_eq!(stats["by_encoding"]["UTF-8"], 4);
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(left.len(), 3, "no temporary files left behind");
}

#[test]
fn order_follows_the_input_with_many_jobs_and_unordered_keeps_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for n in 0..40 {
        let path = dir.path().join(format!("p{n:02}.txt"));
        // Uneven sizes so that workers finish out of order.
        std::fs::write(&path, format!("{}\n", page(n)).repeat(1 + (n % 5) * 20)).unwrap();
        names.push(path);
    }
    let mut args: Vec<&str> = names.iter().map(|p| s(p)).collect();
    args.extend(["--jobs", "3", "--no-segment"]);
    let (_, lines) = assert_cli!(&args, stdin = b"", exit = 0, lines = 40);
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(line["input"]["path"], s(&names[n]));
    }
    args.push("--unordered");
    let (_, lines) = assert_cli!(&args, stdin = b"", exit = 0, lines = 40);
    let mut seen: Vec<&str> = lines
        .iter()
        .map(|l| l["input"]["path"].as_str().unwrap())
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, names.iter().map(|p| s(p)).collect::<Vec<_>>());
}

#[test]
fn a_bad_output_folder_is_a_usage_error() {
    let output = run(&["-o", "/nonexistent-folder/x.jsonl", "--no-segment"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot create /nonexistent-folder/x.jsonl"),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_ends_the_run_quietly_with_success() {
    let input: String = (0..3000)
        .map(|n| format!("{{\"id\":{n},\"text\":\"{}\"}}\n", page(n)))
        .collect();
    let mut child = Command::new(crate::bin())
        .args(["--jsonl", "-", "--no-segment", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("\"id\":\"0\""), "{first}");
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn ctrl_c_stops_cleanly_says_how_far_it_got_and_keeps_the_output_in_the_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.jsonl");
    let mut child = Command::new(crate::bin())
        .args(["--jsonl", "-", "--no-segment", "-o", s(&target)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for n in 0..3 {
        writeln!(stdin, "{{\"text\":\"{}\"}}", page(n)).unwrap();
    }
    stdin.flush().unwrap();
    // Wait until the run has started (its partial output file exists), then interrupt.
    while std::fs::read_dir(dir.path()).unwrap().count() == 0 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    crate::signal(child.id(), "INT");
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("zhclean: interrupted by SIGINT: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("are in ") && stderr.contains("out.jsonl.partial"),
        "{stderr}"
    );
    assert!(
        !target.exists(),
        "the output file is not made from a cut run"
    );
    let partial = std::fs::read_to_string(dir.path().join("out.jsonl.partial")).unwrap();
    assert!(partial.lines().count() <= 3);
    for line in partial.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("whole JSON lines");
    }
}

#[test]
fn a_fifo_inside_a_folder_is_skipped_and_the_files_around_it_come_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), page(1)).unwrap();
    crate::mkfifo(&dir.path().join("b.txt"));
    std::fs::write(dir.path().join("c.txt"), page(3)).unwrap();
    let mut child = Command::new(crate::bin())
        .args([s(dir.path()), "--no-segment", "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let status = crate::wait_or_kill(&mut child, 60).expect("the walk does not hang on a FIFO");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
    assert_eq!(status.code(), Some(0), "{text}");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(kinds(&lines), ["ok", "skipped:not_regular_file", "ok"]);
    assert_eq!(lines[0]["body"], page(1));
    assert_eq!(lines[1]["detail"], "FIFO");
    assert!(lines[1]["input"]["path"]
        .as_str()
        .unwrap()
        .ends_with("b.txt"));
    assert_eq!(lines[2]["body"], page(3));
}

#[test]
fn a_fifo_named_as_an_input_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    crate::mkfifo(&fifo);
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        std::fs::write(&writer_path, page(7)).unwrap();
    });
    let (_, lines) = assert_cli!(
        &[s(&fifo), "--no-segment"],
        stdin = b"",
        exit = 0,
        lines = 1
    );
    writer.join().unwrap();
    assert_eq!(lines[0]["body"], page(7));
}

/// Pages whose site-template fate depends on the order they reach that stage: ten sites
/// with a footer on three pages each, 10, 20 and 266 records after the site's first, the last
/// one long (so that a worker finishes it late). The first footer page leaves the 256-record
/// look-ahead window just as the third arrives; 990 other pages on a site of their own.
fn sites_dump() -> String {
    let mut lines = String::new();
    for n in 0..1000usize {
        let site = (0..10).find(|k| [10, 20, 266].contains(&n.wrapping_sub(70 * k)));
        let host = site.map_or("a.cn".to_string(), |k| format!("s{k}.cn"));
        // Digits are folded when paragraphs are compared: number the pages in words.
        let number: String = n
            .to_string()
            .bytes()
            .map(|d| {
                "零一二三四五六七八九"
                    .chars()
                    .nth(usize::from(d - b'0'))
                    .unwrap()
            })
            .collect();
        let mut body = format!("第{number}次会议讨论了城市垃圾分类的具体方案。");
        if site.is_some() && n % 70 == 56 {
            body = format!("{body}\\n{}", "长段落的正文内容。".repeat(5000));
        }
        if site.is_some() {
            body = format!("{body}\\n欢迎各位读者继续关注城市环境的后续报道。");
        }
        lines.push_str(&format!(
            "{{\"url\":\"http://{host}/{n}.html\",\"text\":\"{body}\"}}\n"
        ));
    }
    lines
}

#[test]
fn output_is_the_same_records_whatever_jobs_and_unordered_say() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.jsonl");
    std::fs::write(&path, sites_dump()).unwrap();
    let sorted = |extra: &[&str]| {
        let mut args = vec![
            s(&path),
            "--no-segment",
            "--site-boilerplate",
            "on",
            "--quiet",
        ];
        args.extend(extra);
        let output = crate::zhclean(&args, b"");
        assert_eq!(output.status.code(), Some(0));
        let mut lines: Vec<String> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        lines.sort();
        lines
    };
    let reference = sorted(&["--jobs", "1"]);
    assert_eq!(reference.len(), 1000);
    assert!(
        reference.iter().any(|l| l.contains("site_template")),
        "the footers are found"
    );
    for extra in [
        &["--jobs", "2"][..],
        &["--jobs", "3", "--unordered"],
        &["--jobs", "2", "--unordered"],
        &["--jobs", "3", "--unordered"],
    ] {
        assert!(sorted(extra) == reference, "{extra:?} changed the records");
    }
}

#[test]
fn more_jobs_than_the_limit_is_a_usage_error() {
    let output = run(&["-j", "100000", "--no-segment"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("must be from 1 to 1024"), "{stderr}");
}

#[test]
fn trailing_zeros_after_a_gzip_member_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.txt.gz");
    let mut data = gzip(page(1).as_bytes());
    data.extend(vec![0u8; 4096]);
    std::fs::write(&path, data).unwrap();
    let (_, lines) = assert_cli!(
        &[s(&path), "--no-segment"],
        stdin = b"",
        exit = 0,
        lines = 1
    );
    assert_eq!(lines[0]["body"], page(1));
}

/// The body of page `n` of [`footer_site_dump`] without its footer: long enough that its
/// length takes nothing off the score.
fn footer_site_body(n: &str) -> String {
    format!("第{n}次会议讨论了城市垃圾分类的具体方案。").repeat(6)
}

/// Pages of one site, each a paragraph of its own and the same long English footer (which
/// halves the share of Han characters, and so the score).
fn footer_site_dump() -> String {
    let footer = "Follow us on WeChat and Weibo for more news every day. ".repeat(4);
    ["一", "二", "三", "四", "五", "六"]
        .iter()
        .map(|n| {
            let body = footer_site_body(n);
            format!("{{\"url\":\"http://a.cn/{n}.html\",\"text\":\"{body}\\n{footer}\"}}\n")
        })
        .collect()
}

#[test]
fn quality_and_min_quality_describe_the_body_left_by_the_site_template_stage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site.jsonl");
    std::fs::write(&path, footer_site_dump()).unwrap();
    let records = |templates: &str, min_quality: Option<&str>| {
        let mut args = vec![s(&path), "--no-segment", "--site-boilerplate", templates];
        if let Some(min) = min_quality {
            args.extend(["--min-quality", min]);
        }
        let (_, lines) = assert_cli!(&args, stdin = b"", exit = 0, lines = 6);
        lines
    };
    let with_footer = records("off", None);
    let without = records("on", None);
    assert_eq!(without[0]["body"], footer_site_body("一"));
    assert_eq!(without[0]["removed"][0]["kind"], "site_template");
    // The score written is the one of the body written, as if that body were the page.
    let (_, alone) = assert_cli!(
        &["--no-segment"],
        stdin = footer_site_body("一").as_bytes(),
        exit = 0,
        lines = 1
    );
    assert_eq!(without[0]["quality"], alone[0]["quality"]);
    let (before, after) = (
        with_footer[0]["quality"]["score"].as_f64().unwrap(),
        without[0]["quality"]["score"].as_f64().unwrap(),
    );
    assert!(before < after, "{before} < {after}");
    // So the --min-quality decision is made on the body written too.
    let min = format!("{:.3}", (before + after) / 2.0);
    let kept = records("on", Some(&min));
    assert!(kept.iter().all(|l| l["body"].is_string()), "{kept:?}");
    let skipped = records("off", Some(&min));
    assert!(
        skipped.iter().all(|l| l["skipped"] == "low_quality"),
        "{skipped:?}"
    );
}
