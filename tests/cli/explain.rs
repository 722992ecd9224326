//! The explain page (`--explain FILE PAGE`) and the run report (`--report FILE`), read back
//! with `scraper` the way a browser would parse them.

use scraper::{ElementRef, Html, Selector};

use crate::{assert_cli, fixture, zhclean};

const SEED: &str = "fixtures/seed/000_f764d41b789eb620.txt";

/// Runs `zhclean ARGS --explain OUT` and returns the parsed page.
fn explain_page(args: &[&str]) -> Html {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("explain.html");
    let mut all = vec!["--explain", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = zhclean(&all, b"");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Html::parse_document(&std::fs::read_to_string(out).unwrap())
}

/// The article `zhclean ARGS` writes (the same flags as the explain run).
fn article(args: &[&str]) -> serde_json::Value {
    let (_, lines) = assert_cli!(args, stdin = b"", exit = 0, lines = 1);
    lines.into_iter().next().unwrap()
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

/// The text an element shows after repair: its text without the `del` (before) of repairs,
/// their arrows and the kind tags.
fn after_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    for child in element.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
        } else if let Some(child) = ElementRef::wrap(child) {
            if child.value().name() == "br" {
                out.push('\n');
                continue;
            }
            let skip = matches!(child.value().name(), "del")
                || child
                    .value()
                    .classes()
                    .any(|c| c == "arrow" || c == "tag" || c == "ln");
            if !skip {
                out.push_str(&after_text(child));
            }
        }
    }
    out
}

/// Every `removed` entry of `article` is on the page, line by line, with its kind: the text
/// stage's as `span.part[data-removed]` in the text, the HTML extractor's as
/// `div.dom-removed[data-removed]`.
fn assert_removed_shown(page: &Html, article: &serde_json::Value) {
    let shown: Vec<(String, String)> = select(page, "[data-removed]")
        .into_iter()
        .map(|e| {
            let kind = e.value().attr("data-removed").unwrap().to_string();
            (kind, after_text(e))
        })
        .collect();
    let removed = article["removed"].as_array().unwrap();
    assert!(!removed.is_empty());
    for r in removed {
        let kind = r["kind"].as_str().unwrap();
        for line in r["text"].as_str().unwrap().lines() {
            let line = line.trim();
            assert!(
                shown
                    .iter()
                    .any(|(k, text)| k == kind && text.contains(line)),
                "removed {kind} line {line:?} not shown as {kind}: {shown:#?}"
            );
        }
    }
    // ... and nothing is shown as removed that was not.
    for (kind, text) in &shown {
        assert!(
            removed.iter().any(|r| r["kind"] == kind.as_str()
                && text
                    .trim()
                    .lines()
                    .all(|l| r["text"].as_str().unwrap().contains(l.trim()))),
            "{kind} {text:?} shown as removed but not in `removed`"
        );
    }
}

/// The kept parts of the text are the article's body.
fn assert_body_shown(page: &Html, article: &serde_json::Value) {
    let body: Vec<String> = select(page, "span.part[data-body]")
        .into_iter()
        .filter(|e| {
            e.ancestors().any(|a| {
                ElementRef::wrap(a).is_some_and(|a| a.value().classes().any(|c| c == "text"))
            })
        })
        .map(after_text)
        .collect();
    assert_eq!(body.join("\n"), article["body"].as_str().unwrap());
}

/// `(data-repair kinds, before, after)` of every repair on the page.
fn repairs(page: &Html) -> Vec<(String, String, String)> {
    let del = Selector::parse("del").unwrap();
    let ins = Selector::parse("ins").unwrap();
    select(page, ".text span.fix")
        .into_iter()
        .map(|e| {
            let text = |s: &Selector| {
                e.select(s)
                    .next()
                    .map_or(String::new(), |x| x.text().collect())
            };
            (
                e.value().attr("data-repair").unwrap().to_string(),
                text(&del),
                text(&ins),
            )
        })
        .collect()
}

#[test]
fn seed_explain_page_shows_every_removal_and_repair_with_its_kind() {
    let page = explain_page(&[SEED]);
    let article = article(&[SEED]);
    assert_removed_shown(&page, &article);
    assert_body_shown(&page, &article);
    let fixes = repairs(&page);
    let with = |kind: &str| {
        fixes
            .iter()
            .filter(|(kinds, ..)| kinds.split(' ').any(|k| k == kind))
            .collect::<Vec<_>>()
    };
    // Each pinyin annotation is one repair of its own: `(jù)` → nothing.
    let pinyin = with("pinyin");
    assert_eq!(
        pinyin.len() as u64,
        article["repairs"]["pinyin_annotations"].as_u64().unwrap()
    );
    assert!(pinyin
        .iter()
        .any(|(_, before, after)| before == "(jù)" && after.is_empty()));
    // Both byte-shift spans, inside the text and in the spans table, with their kind.
    let spans = article["repaired"].as_array().unwrap();
    assert_eq!(spans.len(), 2);
    let recovered = with("recovered");
    assert_eq!(recovered.len(), spans.len());
    for (span, (_, before, _)) in spans.iter().zip(&recovered) {
        assert_eq!(span["kind"], "byte_shift");
        assert!(span["before"].as_str().unwrap().contains(before.as_str()));
    }
    assert_eq!(select(&page, "tr[data-span=\"byte_shift\"]").len(), 2);
    // Traditional → simplified and punctuation, inline.
    assert!(with("to_simplified")
        .iter()
        .any(|(_, before, after)| before == "據" && after == "据"));
    assert!(with("punctuation")
        .iter()
        .any(|(_, before, after)| before == "," && after == "，"));
    // The garbled debris the forensics left.
    assert_eq!(with("garbled").len(), 1);
    // Header: encoding with its evidence, quality, the counts; fields with their evidence.
    let text: String = page.root_element().text().collect();
    for expected in [
        "UTF-8",
        "valid_utf8",
        "质量 (quality)",
        "标签 (tags) = 生活垃圾分类",
        "作者 (authors) = 孙红丽",
        "署名 (byline)",
        "拼音注音 (pinyin annotation)",
    ] {
        assert!(text.contains(expected), "{expected:?} missing");
    }
    assert!(!select(&page, "table.candidates tr.chosen").is_empty());
    // The first paragraphs' words, as segmented.
    assert!(select(&page, "p.words span.w").len() > 50);
}

#[test]
fn html_explain_page_shows_containers_and_every_removal() {
    let input = "fixtures/html/news_related_footer.html";
    let page = explain_page(&[input]);
    let article = article(&[input]);
    assert_removed_shown(&page, &article);
    assert_body_shown(&page, &article);
    let chosen = select(&page, "table.containers tr[data-chosen]");
    assert_eq!(chosen.len(), 1);
    assert!(!select(&page, "div.dom-removed[data-removed=\"title\"]").is_empty());
    let text: String = page.root_element().text().collect();
    assert!(text.contains("来源 (source) = 示例日报"), "{text}");
    assert!(text.contains("og:title") || text.contains("h1"), "{text}");
}

#[test]
fn page_text_stays_inert() {
    for args in [
        &["fixtures/explain/hostile.html"][..],
        &["--format", "text", "fixtures/explain/hostile.txt"][..],
    ] {
        let page = explain_page(args);
        for tag in [
            "script",
            "img",
            "iframe",
            "svg[onload]",
            "a",
            "link",
            "object",
            "embed",
        ] {
            assert_eq!(select(&page, tag).len(), 0, "{tag} in the page of {args:?}");
        }
        for element in select(&page, "*") {
            for (name, value) in element.value().attrs() {
                assert!(
                    !name.starts_with("on") && !value.contains("javascript:"),
                    "{name}={value:?} on <{}>",
                    element.value().name()
                );
            }
        }
        // The text is shown, as text.
        let text: String = page.root_element().text().collect();
        assert!(text.contains("onerror=alert("), "{args:?}");
        assert!(text.contains("<script>alert("), "{args:?}");
        let article = article(args);
        assert_removed_shown(&page, &article);
        // Markup shown as text is never a field value (`作者：<img onerror=…>`); the
        // text page's byline `(記者孫紅麗)` still is.
        let authors = if args.contains(&"--format") {
            serde_json::json!(["孙红丽"])
        } else {
            serde_json::json!([])
        };
        assert_eq!(article["authors"], authors, "{args:?}");
    }
}

#[test]
fn explain_picks_a_record_of_a_jsonl_file_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("pages.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\":\"a\",\"text\":\"第一篇，据悉会议在北京举行，讨论了很多事情。\"}\n\
         {\"id\":\"b\",\"text\":\"據(jù)悉,第二篇在上海舉行。\\n標簽: 會議\"}\n",
    )
    .unwrap();
    let page = explain_page(&[jsonl.to_str().unwrap(), "--id", "b"]);
    let text: String = page.root_element().text().collect();
    assert!(text.contains("第二篇"));
    assert!(!text.contains("第一篇"));
    assert_eq!(select(&page, "[data-removed=\"tag_line\"]").len(), 1);

    let out = dir.path().join("x.html");
    let output = zhclean(
        &["--explain", out.to_str().unwrap(), jsonl.to_str().unwrap()],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds 2 records; pick one with --id"),
        "{stderr}"
    );
    let output = zhclean(
        &[
            "--explain",
            out.to_str().unwrap(),
            jsonl.to_str().unwrap(),
            "--id",
            "zz",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no record with id, URL or number \"zz\"")
    );
    assert!(!out.exists());
    // Records without an id are picked by number.
    let page = explain_page(&[jsonl.to_str().unwrap(), "--id", "@2"]);
    let text: String = page.root_element().text().collect();
    assert!(text.contains("第二篇"));
}

#[test]
fn explain_never_overwrites_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    std::fs::write(&page, "据悉，会议在北京举行。").unwrap();
    let path = page.to_str().unwrap();
    let output = zhclean(&["--explain", path, path], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("would overwrite the page"));
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        "据悉，会议在北京举行。"
    );
}

#[test]
fn a_file_named_explain_is_still_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("seed/000_f764d41b789eb620.txt"),
        dir.path().join("explain"),
    )
    .unwrap();
    let output = std::process::Command::new(crate::bin())
        .args(["-q", "explain", "--no-segment"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let article: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(article["tags"][0], "生活垃圾分类");
}

/// `data-count` of each row of the report's table `name`, by `data-key`.
fn report_counts(page: &Html, name: &str) -> std::collections::BTreeMap<String, u64> {
    select(page, &format!("table[data-table=\"{name}\"] tr[data-key]"))
        .into_iter()
        .map(|row| {
            let count = row
                .select(&Selector::parse("[data-count]").unwrap())
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            (
                row.value().attr("data-key").unwrap().to_string(),
                count.parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn report_counts_equal_stats() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("mixed.jsonl");
    // Pages, a line that is not JSON, one without a page, a hostile id.
    std::fs::write(
        &jsonl,
        "{\"id\":\"p1\",\"text\":\"據(jù)悉,會議在北京舉行。\\n標簽: 會議\"}\n\
         not json\n\
         {\"id\":\"\\\"><img src=x onerror=alert(1)>\",\"other\":1}\n\
         {\"id\":\"p2\",\"text\":\"\"}\n",
    )
    .unwrap();
    let warc = dir.path().join("crawl.warc");
    std::fs::write(&warc, crate::warc::crawl().concat()).unwrap();
    let report = dir.path().join("report.html");
    let stats = dir.path().join("stats.json");
    let output = zhclean(
        &[
            "-q",
            "-o",
            dir.path().join("out.jsonl").to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--stats",
            stats.to_str().unwrap(),
            SEED,
            "fixtures/html",
            "fixtures/damaged",
            jsonl.to_str().unwrap(),
            warc.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1), "some records fail");
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(stats).unwrap()).unwrap();
    let page = Html::parse_document(&std::fs::read_to_string(report).unwrap());
    let as_map = |value: &serde_json::Value| -> std::collections::BTreeMap<String, u64> {
        value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect()
    };
    let records = report_counts(&page, "records");
    for key in ["records_in", "ok", "errors", "skipped"] {
        assert_eq!(records[key], stats[key].as_u64().unwrap(), "{key}");
    }
    assert!(records["errors"] >= 3);
    assert_eq!(
        report_counts(&page, "encodings"),
        as_map(&stats["by_encoding"])
    );
    assert_eq!(
        report_counts(&page, "removed"),
        as_map(&stats["removed_by_kind"])
    );
    assert_eq!(report_counts(&page, "repairs"), as_map(&stats["repairs"]));
    assert_eq!(
        report_counts(&page, "errors"),
        as_map(&stats["errors_by_kind"])
    );
    assert_eq!(
        report_counts(&page, "skipped"),
        as_map(&stats["skipped_by_reason"])
    );
    assert!(records["skipped"] >= 2);
    assert!(!as_map(&stats["warc_not_pages"]).is_empty());
    assert_eq!(
        report_counts(&page, "warc_not_pages"),
        as_map(&stats["warc_not_pages"])
    );
    // Up to 5 example ids per error kind, escaped.
    let text: String = page.root_element().text().collect();
    assert!(text.contains("onerror=alert(1)"));
    assert_eq!(select(&page, "img").len(), 0);
    assert_eq!(select(&page, "script").len(), 0);
    assert!(select(&page, "svg").len() >= 4);
}

#[test]
fn help_shows_both_commands_with_an_example() {
    let output = zhclean(&["--help"], b"");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("zhclean --explain explain.html fixtures/seed/"),
        "{help}"
    );
    assert!(help.contains("--report report.html"), "{help}");
}

#[test]
fn explain_picks_a_warc_response_by_record_id_or_url() {
    use crate::gen::{page, warc_id};
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc");
    std::fs::write(&warc, crate::warc::crawl().concat()).unwrap();
    let warc = warc.to_str().unwrap();
    // A chunked, gzipped UTF-8 response, by its WARC-Record-ID.
    let explained = explain_page(&[warc, "--id", &warc_id(3)]);
    let text: String = explained.root_element().text().collect();
    assert!(text.contains(&page(3)), "{text}");
    assert!(text.contains("http://a.cn/2"));
    // A GBK one, by its URL: decoded with the HTTP charset.
    let explained = explain_page(&[warc, "--id", "http://a.cn/1"]);
    let text: String = explained.root_element().text().collect();
    assert!(text.contains(&page(2)));
    assert!(text.contains("GBK") && text.contains("content_type"));
    // An image is not a page.
    let out = dir.path().join("x.html");
    let output = zhclean(
        &[
            "--explain",
            out.to_str().unwrap(),
            warc,
            "--id",
            "http://a.cn/logo.png",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not a page to clean (not_html: image/png)"),
        "{stderr}"
    );
}
