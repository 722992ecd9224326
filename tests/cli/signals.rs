//! Signals and streaming, as schedulers and pipes use the command: SIGTERM and SIGHUP stop a
//! run like Ctrl-C (summary, exit code, the records written so far kept in `FILE.partial`),
//! a first Ctrl-C stops a run waiting on idle stdin, and records come out of a pipe while
//! its input is still open. Signals go to a child process only.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

use crate::gen::{page, s};
use crate::{bin, eventually, signal, wait_or_kill};

/// `zhclean --jsonl -` with `extra` arguments, stdin, stdout and stderr piped.
fn streaming(extra: &[&str]) -> Child {
    Command::new(bin())
        .args(["--jsonl", "-", "--no-segment"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn jsonl_record(n: usize) -> String {
    format!("{{\"id\":{n},\"text\":\"{}\"}}\n", page(n))
}

/// The lines of `child`'s stdout, as they come (read on a thread of their own).
fn lines_of(child: &mut Child) -> std::sync::mpsc::Receiver<String> {
    let (lines, got) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    got
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn sigterm_and_sighup_stop_like_ctrl_c_with_a_summary_and_the_records_kept() {
    for (name, code) in [("TERM", 143), ("HUP", 129)] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        let mut child = streaming(&["-o", s(&target)]);
        let mut stdin = child.stdin.take().unwrap();
        for n in 0..3 {
            stdin.write_all(jsonl_record(n).as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
        // The three records are written (and flushed) while stdin stays open.
        let partial = dir.path().join("out.jsonl.partial");
        let written = eventually(60, || {
            std::fs::read_to_string(&partial).is_ok_and(|text| text.lines().count() == 3)
        });
        assert!(
            written,
            "SIG{name}: records written while the input is open"
        );
        signal(child.id(), name);
        let status = wait_or_kill(&mut child, 30);
        drop(stdin);
        let stderr = stderr_of(&mut child);
        assert_eq!(status.and_then(|s| s.code()), Some(code), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "zhclean: interrupted by SIG{name}: 3 records written"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("out.jsonl.partial"), "{stderr}");
        // Nothing hidden left behind, the target not created, the records kept.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["out.jsonl.partial"]);
        let kept = std::fs::read_to_string(&partial).unwrap();
        for (n, line) in kept.lines().enumerate() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(record["body"], page(n));
        }
    }
}

#[test]
fn a_first_ctrl_c_stops_a_run_waiting_on_idle_stdin() {
    let mut child = streaming(&[]);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(jsonl_record(1).as_bytes()).unwrap();
    stdin.flush().unwrap();
    let lines = lines_of(&mut child);
    let first = lines.recv_timeout(std::time::Duration::from_secs(60));
    if first.is_err() {
        // (An older build wrote nothing before the input ended.)
        let _ = child.kill();
    }
    let first = first.expect("the first record comes out while the input is open");
    assert!(first.contains(&page(1)), "{first}");
    // The run now waits for more input; stdin stays open.
    signal(child.id(), "INT");
    let status = wait_or_kill(&mut child, 30);
    drop(stdin);
    let stderr = stderr_of(&mut child);
    assert_eq!(status.and_then(|s| s.code()), Some(130), "{stderr}");
    assert!(
        stderr.contains("zhclean: interrupted by SIGINT: 1 records written"),
        "{stderr}"
    );
}

#[test]
fn records_come_out_of_a_pipe_while_its_input_is_still_open() {
    // Default flags: in a pipe the site-template stage holds nothing back.
    let mut child = streaming(&["--quiet"]);
    let mut stdin = child.stdin.take().unwrap();
    let got = lines_of(&mut child);
    for n in 0..100 {
        stdin.write_all(jsonl_record(n).as_bytes()).unwrap();
    }
    stdin.flush().unwrap();
    for n in 0..100 {
        let line = got.recv_timeout(std::time::Duration::from_secs(60));
        if line.is_err() {
            let _ = child.kill();
        }
        let line = line.unwrap_or_else(|_| panic!("record {n} came out before the input ended"));
        let record: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(record["body"], page(n));
    }
    drop(stdin);
    assert_eq!(wait_or_kill(&mut child, 30).and_then(|s| s.code()), Some(0));
}
