//! The rules every stored field value must follow: [`junk`] lists the values of a
//! [`Prediction`] that break one of them, whether or not the page has labels.

use super::Prediction;

/// One field value that breaks the rules every stored value must follow (see [`junk`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Junk {
    /// The field (`authors`, `source`, …).
    pub field: &'static str,
    /// The value.
    pub value: String,
    /// Which rule it breaks.
    pub rule: &'static str,
}

/// The values of `p` no person would store: the rules of issue 17, written here on their
/// own (not with the extractor's code) so that the count checks the extractor.
///
/// * every field: no markup (`<…>`, `=`, `"`, `&…;` entities) and no labels left in
///   (`来源：`, `作者:`, `责任编辑` …);
/// * `title`: at most 200 characters; not a breadcrumb trail (`A>B`, `A » B`, three or more
///   `_`-joined parts);
/// * `published_at`: ISO 8601 (`YYYY[-MM[-DD[THH:MM:SS±HH:MM|Z]]]`), year 1990 to next year;
/// * `authors`: at most 10 of them; each at most 20 characters, no digits, brackets, quotes,
///   sentence punctuation, and not a UI string (阅读, 评论, 点击, 收藏, 字号, 分享, 举报,
///   关注 followed by nothing but counts);
/// * `source`, `editor`: at most 30 characters, no sentence punctuation; an editor has no
///   digits (staff codes such as `SF099`), a source no date or time;
/// * `tags`: at most 20 characters each, not a bare number;
/// * `original_title`: at most 200 characters.
pub fn junk(p: &Prediction) -> Vec<Junk> {
    let mut values: Vec<(&'static str, &str)> = Vec::new();
    values.extend(p.title.as_deref().map(|v| ("title", v)));
    values.extend(p.published_at.as_deref().map(|v| ("published_at", v)));
    values.extend(p.authors.iter().map(|v| ("authors", v.as_str())));
    values.extend(p.source.as_deref().map(|v| ("source", v)));
    values.extend(p.editor.as_deref().map(|v| ("editor", v)));
    values.extend(p.tags.iter().map(|v| ("tags", v.as_str())));
    values.extend(p.original_title.as_deref().map(|v| ("original_title", v)));
    let mut out: Vec<Junk> = values
        .into_iter()
        .filter_map(|(field, value)| {
            broken_rule(field, value).map(|rule| Junk {
                field,
                value: value.to_string(),
                rule,
            })
        })
        .collect();
    if p.authors.len() > 10 {
        out.push(Junk {
            field: "authors",
            value: p.authors.join("|"),
            rule: "too many",
        });
    }
    out
}

/// Labels that must not be left in a value (see [`junk`]).
const LABELS: &[&str] = &[
    "来源：",
    "来源:",
    "稿源：",
    "稿源:",
    "出处：",
    "出处:",
    "作者：",
    "作者:",
    "责任编辑",
    "责编：",
    "责编:",
    "编辑：",
    "编辑:",
    "记者：",
    "记者:",
    "发布时间",
    "來源",
    "發布",
];

/// Page UI strings that are not an author when followed by nothing but counts.
const UI: &[&str] = &[
    "阅读", "閱讀", "评论", "評論", "点击", "點擊", "收藏", "字号", "字號", "分享", "举报", "舉報",
    "关注", "關注", "浏览", "瀏覽",
];

/// The first rule of [`junk`] that `value` of `field` breaks: a `published_at` has only the
/// date rule; any other field the rules every field follows, then its own.
fn broken_rule(field: &str, value: &str) -> Option<&'static str> {
    if field == "published_at" {
        return (!iso_date(value)).then_some("not ISO 8601 or out of range");
    }
    if has_markup(value) {
        return Some("markup");
    }
    if LABELS.iter().any(|l| value.contains(l)) {
        return Some("label kept");
    }
    let chars = value.chars().count();
    match field {
        "title" => broken_title_rule(value, chars),
        "authors" => broken_author_rule(value, chars),
        "source" | "editor" => broken_source_or_editor_rule(field, value, chars),
        "tags" => broken_tag_rule(value, chars),
        _ => (chars > 200).then_some("too long"),
    }
}

/// An HTML tag (`<a`, `</`), a character entity, `=` or `"`.
fn has_markup(value: &str) -> bool {
    let tag = value
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'));
    let entity = ["&nbsp", "&amp;", "&lt;", "&gt;", "&quot;"]
        .iter()
        .any(|e| value.contains(e));
    tag || entity || value.contains('=') || value.contains('"')
}

/// Sentence punctuation, which no name, source or editor has.
fn has_sentence_punctuation(value: &str) -> bool {
    value.chars().any(|c| "。！？；!?;".contains(c))
}

/// The title rules of [`junk`]; `chars` is the length of `value` in characters.
fn broken_title_rule(value: &str, chars: usize) -> Option<&'static str> {
    let parts = value.split('_').filter(|s| !s.trim().is_empty()).count();
    if chars > 200 {
        Some("too long")
    } else if value.contains(['>', '»', '›', '＞']) || parts >= 3 {
        Some("breadcrumb")
    } else {
        None
    }
}

/// The rules of [`junk`] for one author.
fn broken_author_rule(value: &str, chars: usize) -> Option<&'static str> {
    let ui = UI.iter().any(|w| {
        value.strip_prefix(w).is_some_and(|rest| {
            rest.chars()
                .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
        })
    });
    if chars > 20 {
        Some("too long")
    } else if value.chars().any(char::is_numeric) {
        Some("digits")
    } else if value
        .chars()
        .any(|c| "()（）[]【】<>《》{}'‘’“”".contains(c))
    {
        Some("brackets or quotes")
    } else if has_sentence_punctuation(value) || value.chars().any(|c| "，,：:、".contains(c)) {
        Some("punctuation")
    } else if ui {
        Some("UI string")
    } else {
        None
    }
}

/// The rules of [`junk`] for a source or an editor (`field`).
fn broken_source_or_editor_rule(field: &str, value: &str, chars: usize) -> Option<&'static str> {
    if chars > 30 {
        Some("too long")
    } else if field == "editor" && value.chars().any(|c| c.is_ascii_digit()) {
        Some("digits")
    } else if field == "source"
        && value.contains(['年', '月', ':', '：'])
        && value.chars().any(|c| c.is_ascii_digit())
    {
        Some("a date or time")
    } else if has_sentence_punctuation(value) {
        Some("punctuation")
    } else {
        None
    }
}

/// The rules of [`junk`] for one tag.
fn broken_tag_rule(value: &str, chars: usize) -> Option<&'static str> {
    if chars > 20 {
        Some("too long")
    } else if value.chars().all(|c| c.is_ascii_digit()) {
        Some("a number")
    } else {
        None
    }
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` + `Z`/`±HH:MM`, with a real month,
/// day and time and a year from 1990 to next year.
fn iso_date(d: &str) -> bool {
    let num = |s: Option<&str>, lo: u32, hi: u32| {
        s.is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()))
            && s.and_then(|s| s.parse::<u32>().ok())
                .is_some_and(|n| (lo..=hi).contains(&n))
    };
    let this_year = 1970
        + std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_secs() / 31_556_952) as u32;
    let (date, time) = match d.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (d, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = match parts.as_slice() {
        [y] => y.len() == 4 && num(Some(y), 1990, this_year + 1),
        [y, m] => {
            y.len() == 4 && num(Some(y), 1990, this_year + 1) && m.len() == 2 && num(Some(m), 1, 12)
        }
        [y, m, day] => {
            y.len() == 4
                && num(Some(y), 1990, this_year + 1)
                && m.len() == 2
                && num(Some(m), 1, 12)
                && day.len() == 2
                && num(Some(day), 1, 31)
        }
        _ => false,
    };
    let time_ok = time.is_none_or(|t| {
        let (clock, zone) = if let Some(c) = t.strip_suffix('Z') {
            (c, "Z")
        } else if t.len() > 6 {
            t.split_at(t.len() - 6)
        } else {
            return false;
        };
        let zone_ok = zone == "Z"
            || (zone.len() == 6 && zone.starts_with(['+', '-']) && zone.as_bytes()[3] == b':');
        let c: Vec<&str> = clock.split(':').collect();
        zone_ok
            && c.len() == 3
            && num(c.first().copied(), 0, 23)
            && num(c.get(1).copied(), 0, 59)
            && num(c.get(2).copied(), 0, 59)
    });
    date_ok && (time.is_none() || (parts.len() == 3 && time_ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Prediction {
        Prediction::default()
    }

    #[test]
    fn junk_values_are_flagged_by_rule() {
        let bad = Prediction {
            title: Some("站名>栏目".into()),
            published_at: Some("2024-13-01".into()),
            authors: vec![
                "105092".into(),
                "size=\"20".into(),
                "阅读（1660".into(),
                "评论13".into(),
                "王明".into(),
            ],
            source: Some("来源：新华网".into()),
            editor: Some("支全明 SF099".into()),
            tags: vec!["1".into()],
            ..p()
        };
        let rules: Vec<(&str, &str)> = junk(&bad).iter().map(|j| (j.field, j.rule)).collect();
        assert_eq!(
            rules,
            [
                ("title", "breadcrumb"),
                ("published_at", "not ISO 8601 or out of range"),
                ("authors", "digits"),
                ("authors", "markup"),
                ("authors", "digits"),
                ("authors", "digits"),
                ("source", "label kept"),
                ("editor", "digits"),
                ("tags", "a number"),
            ]
        );
        let good = Prediction {
            title: Some("新华视界｜河北遵化：数字农机服务助力农业生产".into()),
            published_at: Some("2024-05-15T08:58:52+08:00".into()),
            authors: vec!["王乐文".into(), "Jeremy Tsheng".into(), "私~川流".into()],
            source: Some("人民网－人民日报".into()),
            editor: Some("胡永秋、杨光宇".into()),
            tags: vec!["LPR".into()],
            ..p()
        };
        assert_eq!(junk(&good), []);
        for d in ["1998-03", "2005-09-15", "2024-05-15T08:58:52Z", "2005"] {
            assert!(iso_date(d), "{d}");
        }
        for d in [
            "1989-01-01",
            "2024-5-1",
            "2024-05-15T08:58",
            "2024-05-15 08:58:52+08:00",
        ] {
            assert!(!iso_date(d), "{d}");
        }
    }
}
