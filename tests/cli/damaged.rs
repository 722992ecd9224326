//! Damaged text (issue 13): our own page, `fixtures/damaged/source.txt`, laid out like the seed
//! (`clean.txt`) and damaged by the real codecs that damage pages in the wild
//! (`scripts/gen_damaged_fixtures.py`): UTF-8 read as GBK with replacement by CPython, Java and
//! WHATWG's decoder; Big5 with `?` for the tone vowels; GBK with cut characters and no
//! declaration; a UTF-8 BOM on GBK; CJK UTF-16 without a BOM; GBK read as UTF-8. Each is pinned
//! as golden JSON, and the tests below say what a user checks: the decoded text.
//!
//! To regenerate the goldens deliberately after an intended change:
//! `ZHCLEAN_BLESS=1 cargo test --test cli damaged` and review the diff of the `.json` files.

use crate::seed::assert_golden;
use crate::{assert_cli, fixture};

const FIXTURES: [&str; 10] = [
    "clean.txt",
    "python_gbk.txt",
    "java_gbk.txt",
    "whatwg_gbk.txt",
    "big5_tone.txt",
    "gbk_cut.html",
    "bom_gbk.txt",
    "utf16le.txt",
    "utf16be.txt",
    "gbk_as_utf8.txt",
];

/// The record the CLI writes for `fixtures/damaged/NAME`, with the path made relative.
fn record(name: &str, extra: &[&str]) -> serde_json::Value {
    let path = fixture(&format!("damaged/{name}"));
    let mut args = vec![path.to_str().unwrap(), "--no-segment"];
    args.extend(extra);
    let (_, lines) = assert_cli!(&args, stdin = b"", exit = 0, lines = 1);
    let mut record = lines[0].clone();
    record["input"]["path"] = format!("damaged/{name}").into();
    record
}

fn body(name: &str) -> String {
    record(name, &[])["body"].as_str().unwrap().to_string()
}

/// The body of the undamaged page: the source text, in full-width punctuation.
fn source_body() -> String {
    std::fs::read_to_string(fixture("damaged/source.txt"))
        .unwrap()
        .trim_end()
        .to_string()
}

/// No replacement character, no question mark and no `X(py)` annotation left.
fn assert_no_marks_of_damage(name: &str, body: &str) {
    assert!(!body.contains(['?', '？', '\u{FFFD}']), "{name}: {body}");
    assert!(!body.contains(['(', '（']), "{name}: {body}");
}

#[test]
fn every_damaged_fixture_matches_its_golden() {
    for name in FIXTURES {
        let golden = format!("damaged/{}.json", name.split('.').next().unwrap());
        assert_golden(&golden, &record(name, &[]));
    }
}

#[test]
fn the_undamaged_page_cleans_to_the_source_text() {
    assert_eq!(body("clean.txt"), source_body());
}

/// UTF-8 read as GBK with replacement: most characters come back, the lost ones are left out
/// (a character whose candidates the model cannot tell apart, such as a full stop at the end
/// of a line, or `一` among `丁丂七…`), never as `?` or `�`, and every pinyin annotation is
/// removed: the pinyin step saw the repaired `(dǎng)`, not `(d菐ng)`.
#[test]
fn utf8_read_as_gbk_with_replacement_is_decoded() {
    let source = source_body();
    for name in ["python_gbk.txt", "java_gbk.txt", "whatwg_gbk.txt"] {
        let record = record(name, &[]);
        let body = record["body"].as_str().unwrap();
        assert_no_marks_of_damage(name, body);
        for sentence in [
            "据介绍，新线路全部使用纯电动车辆，首末班时间与地铁衔接，高峰时段发车间隔不超过",
            "交通部门表示，此次调整是在广泛征求市民意见的基础上作出的，共收到建议三千多条",
            "乘客满意度调查结果显示，准点率和车厢环境两项指标明显改善",
        ] {
            assert!(body.contains(sentence), "{name}: {body}");
        }
        // Every character of the body is in the source text (or in the page, in traditional
        // script: `瞭` stays `瞭` once the `解` of `瞭解` is lost): nothing guessed wrong.
        let page = std::fs::read_to_string(fixture("damaged/clean.txt")).unwrap();
        let wrong: Vec<char> = body
            .chars()
            .filter(|&c| c != '\n' && !source.contains(c) && !page.contains(c))
            .collect();
        assert!(wrong.is_empty(), "{name}: {wrong:?} in {body}");
        // What was lost is counted, not hidden. Python's convention loses the most (it
        // rejects the byte 0x80, which ends `一`, `局`, `最`: `月一日` and `月中日` both
        // read well), still less than one character in ten of this short page.
        let lost = record["repairs"]["dropped_chars"].as_u64().unwrap();
        assert_eq!(record["quality"]["lost"], lost, "{name}");
        let missing = source.chars().count() - body.chars().count();
        assert!(missing <= source.chars().count() / 10, "{name}: {body}");
        assert_eq!(record["repairs"]["pinyin_annotations"], 82, "{name}");
    }
}

#[test]
fn big5_with_question_marks_for_tone_vowels_is_clean() {
    let record = record("big5_tone.txt", &[]);
    assert_eq!(record["input"]["encoding"], "Big5");
    assert_eq!(record["body"], source_body());
    assert_eq!(record["repairs"]["pinyin_annotations"], 82);
}

/// The real page behind the issue: GBK, no declaration, characters cut in a `title="…"`
/// attribute and in a truncated headline. Read as GBK, the bad sequences counted.
#[test]
fn gbk_with_cut_characters_and_no_declaration_is_read_as_gbk() {
    let record = record("gbk_cut.html", &[]);
    assert_eq!(record["input"]["encoding"], "GBK");
    assert_eq!(record["input"]["charset_evidence"], "weighed");
    assert_eq!(record["input"]["malformed"], 4);
    assert_eq!(record["body"], source_body());
}

#[test]
fn a_utf8_bom_in_front_of_gbk_bytes_is_outweighed() {
    let record = record("bom_gbk.txt", &[]);
    assert_eq!(record["input"]["encoding"], "GBK");
    assert_eq!(record["input"]["malformed"], 0);
    assert_eq!(record["body"], source_body());
}

#[test]
fn cjk_utf16_without_a_bom_either_way() {
    for (name, encoding) in [("utf16le.txt", "UTF-16LE"), ("utf16be.txt", "UTF-16BE")] {
        let record = record(name, &[]);
        assert_eq!(record["input"]["encoding"], encoding);
        assert_eq!(record["input"]["charset_evidence"], "utf16_pattern");
        assert_eq!(record["body"], source_body());
    }
}

/// GBK read as UTF-8 with replacement cannot be recovered (the bytes are gone): the quality
/// score says so, and `--min-quality` turns it into a skip record.
#[test]
fn gbk_read_as_utf8_is_scored_as_damaged() {
    let record = record("gbk_as_utf8.txt", &[]);
    assert!(
        record["quality"]["score"].as_f64().unwrap() < 0.05,
        "{record}"
    );
    let path = fixture("damaged/gbk_as_utf8.txt");
    let args = [path.to_str().unwrap(), "--min-quality", "0.5"];
    let (_, lines) = assert_cli!(&args, stdin = b"", exit = 0, lines = 1);
    assert_eq!(lines[0]["skipped"], "low_quality", "{}", lines[0]);
    // Repaired pages stay above it; the undamaged one scores near 1.
    for name in ["python_gbk.txt", "java_gbk.txt", "whatwg_gbk.txt"] {
        let score = self::record(name, &[])["quality"]["score"]
            .as_f64()
            .unwrap();
        assert!((0.5..0.99).contains(&score), "{name}: {score}");
    }
    assert!(
        self::record("clean.txt", &[])["quality"]["score"]
            .as_f64()
            .unwrap()
            > 0.99
    );
}

/// 1 MB of random bytes is no article (it was a windows-1252 one, with exit 0).
#[test]
fn random_bytes_are_not_text() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let bytes: Vec<u8> = (0..1 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let (_, lines) = assert_cli!(&["--no-segment"], stdin = &bytes, exit = 1, lines = 1);
    assert_eq!(lines[0]["error"]["kind"], "not_text", "{}", lines[0]);
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("control bytes"), "{message}");
}

/// 4 KB of NUL padding after a valid 50 KB page is not part of it (it rejected the page).
#[test]
fn nul_padding_after_a_page_is_ignored() {
    let source = source_body();
    let paragraphs: Vec<String> = (1..)
        .map(|n| format!("第{n}条：{}", source.lines().next().unwrap()))
        .scan(0, |size, line| {
            *size += line.len() + 1;
            (*size <= 50 * 1024).then_some(line)
        })
        .collect();
    let page = paragraphs.join("\n");
    let mut bytes = page.clone().into_bytes();
    bytes.extend_from_slice(&[0; 4096]);
    let (_, lines) = assert_cli!(&["--no-segment"], stdin = &bytes, exit = 0, lines = 1);
    assert_eq!(lines[0]["input"]["encoding"], "UTF-8");
    assert_eq!(lines[0]["input"]["bytes"], bytes.len());
    assert_eq!(lines[0]["body"], page);
}
