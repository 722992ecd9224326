//! The seed page (the real dump users gave us) pinned as golden JSON.
//!
//! To regenerate deliberately after an intended change:
//! `ZHCLEAN_BLESS=1 cargo test --test cli seed` and review the diff of the `.json` file.

use crate::{assert_cli, fixture};

const SEED: &str = "seed/000_f764d41b789eb620.txt";
const GOLDEN: &str = "seed/000_f764d41b789eb620.json";

/// Compares `actual` with the golden file, or rewrites it when `ZHCLEAN_BLESS` is set.
pub fn assert_golden(golden: &str, actual: &serde_json::Value) {
    let path = fixture(golden);
    let pretty = serde_json::to_string_pretty(actual).expect("serialisable") + "\n";
    if std::env::var_os("ZHCLEAN_BLESS").is_some() {
        std::fs::write(&path, &pretty).expect("golden file writable");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with ZHCLEAN_BLESS=1 to create)",
            path.display()
        )
    });
    let expected: serde_json::Value = serde_json::from_str(&expected).expect("golden is JSON");
    assert_eq!(
        &expected,
        actual,
        "output differs from {}; actual:\n{pretty}",
        path.display()
    );
}

#[test]
fn seed_page_matches_golden_json() {
    let path = fixture(SEED);
    let (_, lines) = assert_cli!(&[path.to_str().unwrap()], stdin = b"", exit = 0, lines = 1);
    let mut article = lines[0].clone();
    // The path is machine-specific; the golden file records it relative to fixtures/.
    article["input"]["path"] = serde_json::Value::String(SEED.into());
    assert_golden(GOLDEN, &article);
}

#[test]
fn seed_page_facts() {
    let bytes = std::fs::read(fixture(SEED)).unwrap();
    let cleaner = zhclean::Cleaner::new(zhclean::Options::default()).unwrap();
    let article = cleaner
        .clean(&bytes, &zhclean::InputMeta::default())
        .unwrap();
    let paragraphs: Vec<&str> = article.body.lines().collect();
    assert_eq!(paragraphs.len(), 6);
    assert!(paragraphs[0].starts_with("据住房和城乡建设部官网消息，按照完全自愿原则，"));
    assert!(paragraphs[5].ends_with("更不能搞形象工程、政绩工程。"));
    assert!(
        !article.body.contains('('),
        "no half-width parentheses left"
    );
    assert!(!article.body.contains("jù"), "no pinyin left");
    assert_eq!(article.authors, ["孙红丽"]);
    assert_eq!(article.tags, ["生活垃圾分类"]);
    assert_eq!(article.title, None);
    assert_eq!(article.published_at, None);
    let kinds: Vec<&str> = article.removed.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["byline", "tag_line", "disclaimer", "related_headlines"]
    );
    let related = &article.removed[3].text;
    assert_eq!(
        related.lines().count(),
        20,
        "ten headline + timestamp pairs"
    );
    assert_eq!(article.words.len(), 6);
}

#[test]
fn seed_page_keeps_its_script_with_script_keep() {
    let path = fixture(SEED);
    let args = [path.to_str().unwrap(), "--script", "keep", "--no-segment"];
    let (_, lines) = assert_cli!(&args, stdin = b"", exit = 0, lines = 1);
    let body = lines[0]["body"].as_str().unwrap();
    assert!(body.starts_with("據住房和城鄉建設部官網消息，"), "{body}");
    assert_eq!(lines[0]["authors"], serde_json::json!(["孫紅麗"]));
    assert_eq!(lines[0]["words"], serde_json::json!([]));
    assert_eq!(lines[0]["repairs"]["to_simplified"], 0);
}
