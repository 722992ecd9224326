//! Integration tests: one test binary, a module per topic. Each test runs the built `zhclean`
//! binary (or the library) on inputs from `fixtures/` and compares exact output.

mod batch;
mod encodings;
mod fields;
mod gen;
mod html;
mod jsonl;
mod properties;
mod robustness;
mod schema;
mod seed;
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

/// Runs `zhclean` with `args`, feeding `stdin`, and returns its output.
pub fn zhclean(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhclean"))
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
