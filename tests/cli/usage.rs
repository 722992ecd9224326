//! Exit codes, stdin, error records and `--help`.

use crate::{assert_cli, fixture};

#[test]
fn stdin_is_read_when_no_file_is_given() {
    let page = "據(jù)悉,會議在北京舉行。".as_bytes();
    let (_, lines) = assert_cli!(&[], stdin = page, exit = 0, lines = 1);
    assert_eq!(lines[0]["body"], "据悉，会议在北京举行。");
    assert_eq!(lines[0]["input"]["path"], serde_json::Value::Null);
}

#[test]
fn failed_inputs_give_error_records_and_exit_1() {
    let seed = fixture("seed/000_f764d41b789eb620.txt");
    let dir = std::env::temp_dir().join(format!("zhclean-usage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let png = dir.join("image.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let missing = dir.join("missing.txt");
    let args = [
        seed.to_str().unwrap(),
        empty.to_str().unwrap(),
        png.to_str().unwrap(),
        missing.to_str().unwrap(),
    ];
    let (output, lines) = assert_cli!(&args, stdin = b"", exit = 1, lines = 4);
    assert!(lines[0]["body"].is_string());
    let kinds: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l["error"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["empty_input", "not_text", "io"]);
    assert_eq!(lines[2]["input"]["path"], png.to_str().unwrap());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("image.png: input is not text: PNG image signature"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2() {
    let output = crate::zhclean(&["--script", "klingon"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn help_shows_examples() {
    let output = crate::zhclean(&["--help"], b"");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("--script"), "{help}");
}

#[test]
fn min_quality_turns_low_articles_into_skip_records() {
    let seed = fixture("seed/000_f764d41b789eb620.txt");
    let junk = "?？??？ 。。。 ... ,,, ；；".as_bytes();
    let args = [
        seed.to_str().unwrap(),
        "-",
        "--min-quality",
        "0.5",
        "--quiet",
    ];
    let (_, lines) = assert_cli!(&args, stdin = junk, exit = 0, lines = 2);
    assert!(lines[0]["quality"]["score"].as_f64().unwrap() >= 0.5);
    assert!(lines[0]["body"].is_string());
    assert_eq!(lines[1]["skipped"], "low_quality");
    assert!(lines[1]["quality"]["score"].as_f64().unwrap() < 0.5);
    assert!(lines[1]["detail"]
        .as_str()
        .unwrap()
        .contains("--min-quality 0.5"));
}
