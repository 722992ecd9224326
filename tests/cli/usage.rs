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

#[test]
fn min_quality_must_be_a_score_from_0_to_1() {
    for bad in ["nan", "2", "inf", "-0.5", "x"] {
        let flag = format!("--min-quality={bad}");
        let output = crate::zhclean(&[&flag], "正文。".as_bytes());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--min-quality"), "{bad}: {stderr}");
        assert!(output.stdout.is_empty(), "{bad}");
    }
    for good in ["0", "0.35", "1"] {
        let output = crate::zhclean(&["--min-quality", good, "--quiet"], "正文。".as_bytes());
        assert_eq!(output.status.code(), Some(0), "{good}");
    }
}

#[test]
fn the_error_kinds_the_readme_lists_are_ones_the_code_writes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let sentence = readme
        .split("names the problem (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the README lists error kinds");
    let kinds: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
    assert!(kinds.len() >= 5, "{kinds:?}");
    let mut source = String::new();
    for entry in walk(&root.join("src")) {
        source.push_str(&std::fs::read_to_string(entry).unwrap());
    }
    for kind in kinds {
        assert!(
            source.contains(&format!("\"{kind}\"")),
            "README lists `{kind}`, which no code writes"
        );
    }
}

/// Every `.rs` file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
