//! Integration tests: one test binary, a module per topic. Each test runs the built `zhclean`
//! binary (or the library) on inputs from `fixtures/` and compares exact output.
//!
//! `ZHCLEAN_TEST_BIN=/path/to/zhclean cargo test --test cli` runs the command-line tests
//! against another build (an older release, to show that a new test fails there).

mod batch;
mod damaged;
mod encodings;
mod explain;
mod fields;
mod gen;
mod html;
mod jsonl;
mod memory;
mod outputs;
mod properties;
mod robustness;
mod schema;
mod seed;
mod signals;
mod usage;
mod warc;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Path of a file under `fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// The `zhclean` binary under test (`ZHCLEAN_TEST_BIN`, else the one cargo built).
pub fn bin() -> PathBuf {
    std::env::var_os("ZHCLEAN_TEST_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_zhclean")),
        PathBuf::from,
    )
}

/// Whether the tests run as root (some make device nodes or mount a small file system).
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

/// Runs `zhclean` with `args`, feeding `stdin`, and returns its output.
pub fn zhclean(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zhclean binary runs");
    if let Some(mut input) = child.stdin.take() {
        // The binary may exit before reading everything (usage errors); that is not a failure.
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("zhclean finishes")
}

/// The JSON lines `zhclean` wrote, parsed.
pub fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each output line is JSON"))
        .collect()
}

/// Runs the CLI on `$args` and asserts the exit code and the number of JSON lines written.
#[macro_export]
macro_rules! assert_cli {
    ($args:expr, stdin = $stdin:expr, exit = $code:expr, lines = $lines:expr) => {{
        let output = $crate::zhclean($args, $stdin);
        assert_eq!(
            output.status.code(),
            Some($code),
            "stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let lines = $crate::json_lines(&output);
        assert_eq!(
            lines.len(),
            $lines,
            "stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        (output, lines)
    }};
}

/// Waits up to `seconds` for `child` to exit; kills it (and returns `None`) if it does not.
pub fn wait_or_kill(
    child: &mut std::process::Child,
    seconds: u64,
) -> Option<std::process::ExitStatus> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().expect("child can be waited on") {
            return Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Sends signal `name` (`TERM`, `INT`, …) to the process `pid`.
pub fn signal(pid: u32, name: &str) {
    let sent = Command::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -{name} {pid}");
}

/// Makes a FIFO at `path` (with `mkfifo`).
pub fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Waits up to `seconds` until `done()` holds; `false` if it never did.
pub fn eventually(seconds: u64, mut done: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    done()
}
