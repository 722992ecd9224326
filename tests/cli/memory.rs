//! Memory: a record of tens of megabytes is cleaned within a small multiple of its size, and
//! when a record cannot be cleaned within the memory there is, the records before it are not
//! lost. Each run is limited with `ulimit -v` (address space) in a shell of its own.
//!
//! Heavy (seconds of CPU on a 30 MB page even in a release build): `#[ignore]`d, run by
//! `scripts/ci-forensics.sh robustness` (`cargo test --release --test cli -- --ignored`).
//! The peak figures themselves come from `scripts/bench-memory.sh`, not from tests.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::gen::{page, s};
use crate::{bin, wait_or_kill};

/// Flat text (no line breaks) of about `mb` megabytes: ordinary sentences, one paragraph.
fn flat_page(mb: usize) -> String {
    let sentence =
        "住房和城乡建设部有关负责人表示，各地要按照完全自愿的原则，因地制宜推进垃圾分类。";
    sentence.repeat(mb * 1024 * 1024 / sentence.len())
}

/// Runs `zhclean args` with its address space limited to `limit_mb` megabytes.
fn run_limited(limit_mb: usize, args: &[&str]) -> Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {} && exec \"$0\" \"$@\"",
            limit_mb * 1024
        ))
        .arg(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let status = wait_or_kill(&mut child, 600).expect("finishes");
    let read = |pipe: Option<std::process::ChildStdout>| {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            std::io::Read::read_to_end(&mut pipe, &mut bytes).unwrap();
        }
        bytes
    };
    let mut err = Vec::new();
    if let Some(mut pipe) = stderr {
        std::io::Read::read_to_end(&mut pipe, &mut err).unwrap();
    }
    Output {
        status,
        stdout: read(stdout),
        stderr: err,
    }
}

/// A JSONL dump: two small records, one of `big_mb` megabytes of flat text, two small ones.
fn dump_with_a_big_record(dir: &Path, big_mb: usize) -> String {
    let path = dir.join("dump.jsonl");
    let mut text = String::new();
    for n in [1, 2] {
        text.push_str(&format!("{{\"id\":{n},\"text\":\"{}\"}}\n", page(n)));
    }
    text.push_str(&format!(
        "{{\"id\":3,\"text\":\"{}\"}}\n",
        flat_page(big_mb)
    ));
    for n in [4, 5] {
        text.push_str(&format!("{{\"id\":{n},\"text\":\"{}\"}}\n", page(n)));
    }
    std::fs::write(&path, text).unwrap();
    s(&path).to_string()
}

#[test]
#[ignore]
fn a_thirty_megabyte_record_is_cleaned_within_ten_times_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dump_with_a_big_record(dir.path(), 30);
    let out = dir.path().join("out.jsonl");
    // 10 × 30 MB + 200 MB of resident memory, plus room for thread stacks and the
    // allocator's reservations: address space is not resident memory.
    let output = run_limited(
        1000,
        &[&dump, "--jsonl", "--jobs", "2", "-o", s(&out), "--quiet"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"1\"", "\"2\"", "\"3\"", "\"4\"", "\"5\""]);
}

#[test]
#[ignore]
fn the_records_before_one_that_cannot_fit_in_memory_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dump_with_a_big_record(dir.path(), 60);
    let out = dir.path().join("out.jsonl");
    // Too little for a 60 MB record: the run dies in it, but not the two records before.
    let output = run_limited(
        500,
        &[&dump, "--jsonl", "--jobs", "1", "-o", s(&out), "--quiet"],
    );
    assert_ne!(output.status.code(), Some(0));
    assert!(!out.exists());
    let kept = std::fs::read_to_string(dir.path().join("out.jsonl.partial")).unwrap();
    let bodies: Vec<String> = kept
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["body"].to_string())
        .collect();
    assert_eq!(bodies, [format!("{:?}", page(1)), format!("{:?}", page(2))]);
}
