//! Value parsers of the extract stage: dates to ISO 8601, author lists, tag lists and
//! `label：value` metadata lines. Nothing here decides *whether* a line is metadata; that is
//! [`super::rules`] and [`super::lines`].
//!
//! ```
//! use zhclean::internals::extract::{rules::CompiledRules, values};
//! let rules = CompiledRules::new();
//! assert_eq!(values::parse_date(&rules.date, "2018年12月24日 08:37").as_deref(),
//!            Some("2018-12-24T08:37:00+08:00"));
//! assert_eq!(values::parse_names("记者 张三、李四 报道"), ["张三", "李四"]);
//! assert_eq!(values::split_tags(" 垃圾分类，环保|城市 "), ["垃圾分类", "环保", "城市"]);
//! ```
//!
//! Files: this one holds tags and `label：value` lines (fields, credits); `dates.rs` dates;
//! `names.rs` names, editors and sources.

use super::rules::{field_of, CompiledRules, Field};

pub use dates::{parse_date, parse_date_or_month, url_date};
use names::titled_name;
pub use names::{clean_source, parse_editors, parse_names};

mod dates;
mod names;

/// Splits a tag value on whitespace, `,` `，` `、` `;` `；` `|` `｜`; drops empties and
/// duplicates, keeps order.
pub fn split_tags(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in value.split(|c: char| c.is_whitespace() || ",，、;；|｜".contains(c)) {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// The text after the first `:` / `：` of a line (the whole line if there is none).
pub fn after_colon(line: &str) -> &str {
    line.split_once([':', '：']).map_or(line, |(_, v)| v).trim()
}

/// The values found on one metadata line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// Publication date, ISO 8601: a date label's value, or the first date on the line
    /// outside a `成文日期` value.
    pub date: Option<String>,
    /// `成文日期：` value (when a document was written, not published).
    pub written_date: Option<String>,
    /// `来源：` value, or the name after a leading date (`2024-05-09 22:30·新华社`).
    pub source: Option<String>,
    /// Names of `责任编辑：` / `编辑：` values (staff codes such as `SF099` dropped).
    pub editors: Vec<String>,
    /// `原标题：` value.
    pub original_title: Option<String>,
    /// Names from `作者：` / `记者：` fields, and from an old portal's `[ 王明 ] | 来源：…`.
    pub authors: Vec<String>,
    /// Names from `摄影：` fields.
    pub photographers: Vec<String>,
    /// Whether any label other than an author label was found (or a date).
    pub non_author: bool,
    /// A reporter's label opens speech (`记者：…？`, an interview's question): no credit.
    pub speech: bool,
}

fn push_new(list: &mut Vec<String>, names: Vec<String>) {
    for n in names {
        if !list.contains(&n) {
            list.push(n);
        }
    }
}

/// Parses a line of `label：value` fields field by field, e.g.
/// `2018-12-24 08:37 来源：人民网 作者：张三`. A value runs to the next label or date.
///
/// About 130 lines: one walk over the line's labels, with the forms real pages take (a
/// byline before the labels, a name after a leading date, a description after a label, an
/// interview's question) as commented cases.
pub fn parse_fields(rules: &CompiledRules, line: &str) -> Fields {
    let labels: Vec<_> = rules.field_label.captures_iter(line).collect();
    let dates: Vec<(usize, usize)> = rules
        .date
        .find_iter(line)
        .map(|m| (m.start(), m.end()))
        .collect();
    let mut f = Fields::default();
    let first_label = labels
        .first()
        .and_then(|c| c.get(0))
        .map_or(line.len(), |m| m.start());
    // An old portal's byline before the labels: `[ 王明 ] | 来源：[ 某报 ]`.
    let lead = line.trim_start();
    if let Some(inner) = lead.strip_prefix(['[', '【']) {
        if let Some(end) = inner.find([']', '】']) {
            if line.len() - inner.len() + end < first_label {
                push_new(&mut f.authors, parse_names(&inner[..end]));
            }
        }
    }
    // A name right after a leading date is the source (`2024-05-09 22:30·新华社`,
    // `2016年05月25日10:10 新浪财经`, `…17:02 新京报作者：新京报`).
    let starts_with_date = dates.first().is_some_and(|&(start, _)| {
        line[..start]
            .chars()
            .all(|c| c.is_whitespace() || "【[（(".contains(c))
    });
    if let (true, Some(&(_, end))) = (starts_with_date, dates.first()) {
        if end < first_label {
            f.source = line.get(end..first_label).and_then(clean_source);
        }
    }
    let mut written: Vec<(usize, usize)> = Vec::new();
    for (i, c) in labels.iter().enumerate() {
        let (Some(whole), Some(label)) = (c.get(0), c.name("label")) else {
            continue;
        };
        let Some(field) = field_of(label.as_str()) else {
            continue;
        };
        let next_label = labels
            .get(i + 1)
            .and_then(|n| n.get(0))
            .map_or(line.len(), |m| m.start());
        let next_date = dates
            .iter()
            .map(|&(start, _)| start)
            .find(|&d| d >= whole.end())
            .unwrap_or(line.len());
        let end = match field {
            Field::OriginalTitle | Field::Date | Field::WrittenDate => next_label,
            _ => next_label.min(next_date),
        };
        let raw = line.get(whole.end()..end).unwrap_or("");
        let value =
            raw.trim_matches(|c: char| c.is_whitespace() || "|｜丨/【】[]（）()".contains(c));
        if field != Field::Author {
            f.non_author = true;
        }
        match field {
            Field::Source => {
                if f.source.is_none() {
                    f.source = clean_source(value);
                }
            }
            Field::Editor => push_new(&mut f.editors, parse_editors(value)),
            Field::OriginalTitle => {
                if f.original_title.is_none() && !value.is_empty() {
                    f.original_title = Some(value.to_string());
                }
            }
            // A description after the label (`作者：某中心研究部部长，“一带一路”研究部…`) is
            // read up to its first bracket or quote: names are not written with them.
            // `记者：党中央为何…？` in an interview is the reporter's question, not a credit.
            Field::Author
                if matches!(label.as_str(), "记者" | "記者" | "通讯员" | "通訊員")
                    && (value.contains(['？', '?', '。', '！', '!', '，', ','])
                        || value.chars().count() > 20) =>
            {
                f.speech = true;
            }
            Field::Author => {
                let names = value
                    .split(['（', '(', '“', '"', '「', '。', '）', ')'])
                    .next()
                    .unwrap_or("");
                // … or, when the value describes the writer, the name after a title at its
                // end (`作者：某中心世界经济研究部部长、研究员徐占忱`).
                let described = value.split(['）', ')']).next().unwrap_or("");
                match titled_name(described) {
                    Some(name)
                        if names.contains(['，', ',', '、']) || names.len() < described.len() =>
                    {
                        push_new(&mut f.authors, vec![name])
                    }
                    _ => push_new(&mut f.authors, parse_names(names)),
                }
            }
            Field::Photographer => push_new(&mut f.photographers, parse_names(value)),
            Field::Date => {
                if f.date.is_none() {
                    f.date = parse_date_or_month(rules, value);
                }
            }
            Field::WrittenDate => {
                written.push((whole.end(), end));
                if f.written_date.is_none() {
                    f.written_date = parse_date_or_month(rules, value);
                }
            }
        }
    }
    if f.date.is_none() {
        // The first full date outside a `成文日期` value.
        f.date = rules.date.find_iter(line).find_map(|m| {
            let inside = written
                .iter()
                .any(|&(s, e)| m.start() >= s && m.start() < e);
            (!inside)
                .then(|| parse_date(&rules.date, m.as_str()))
                .flatten()
        });
    }
    f.non_author |= f.date.is_some() || f.written_date.is_some() || f.source.is_some();
    f
}

/// The writer and date of a blog's or forum's credit line (`X 发表于 2005-9-15`,
/// `X 于 2023-03-12 13:08:03 发布`, `史蒂文的家_藍天 發表在 痞客邦`, `由X张贴`,
/// `Posted by X at 7:16 PM`); `(None, None)` when the line is not one (a sentence that
/// only holds the verb).
///
/// About 80 lines: one case per form of credit above.
pub fn parse_blog_credit(rules: &CompiledRules, line: &str) -> (Option<String>, Option<String>) {
    let t = line.trim();
    let none = (None, None);
    let name_ok = |n: &str| {
        let n = n.trim();
        (2..=20).contains(&n.chars().count())
            && !n.contains(['，', '。', '！', '？', '：', ':', ',', '；'])
    };
    let date = || parse_date(&rules.date, t);
    // `由X张贴`, `由 X 張貼於 下午7:16`.
    if let Some(rest) = t.strip_prefix('由') {
        for verb in ["张贴", "張貼", "发表", "發表", "发布", "發佈"] {
            if let Some((name, _)) = rest.split_once(verb) {
                return if name_ok(name) {
                    (Some(name.trim().to_string()), date())
                } else {
                    none
                };
            }
        }
        return none;
    }
    // `Posted by X at 7:16 PM`.
    if let Some(rest) = t
        .get(..10)
        .filter(|p| p.eq_ignore_ascii_case("posted by "))
        .and_then(|_| t.get(10..))
    {
        let name = [" at ", " on ", " @ "]
            .iter()
            .filter_map(|s| rest.find(s))
            .min()
            .map_or(rest, |at| &rest[..at]);
        return if name_ok(name) {
            (Some(name.trim().to_string()), date())
        } else {
            none
        };
    }
    // `X 发表于 DATE`: nothing but the date after the verb.
    for verb in ["发表于", "發表於", "发布于", "發佈於", "發布於"] {
        if let Some((name, after)) = t.split_once(verb) {
            let d = parse_date(&rules.date, after);
            let rest = rules.date.replace(after, "");
            return if name_ok(name) && d.is_some() && rest.trim().chars().count() <= 2 {
                (Some(name.trim().to_string()), d)
            } else {
                none
            };
        }
    }
    // `X 發表在 痞客邦 PIXNET`: a site's name after the verb.
    for verb in ["发表在", "發表在"] {
        if let Some((name, after)) = t.split_once(verb) {
            let site = after.trim();
            return if name_ok(name)
                && name.ends_with(char::is_whitespace)
                && !site.is_empty()
                && site.chars().count() <= 30
                && !site.contains(['，', '。', '！', '？'])
            {
                (Some(name.trim().to_string()), date())
            } else {
                none
            };
        }
    }
    // `X 于 2023-03-12 13:08:03 发布`: a date between `于` and the verb, nothing after.
    for mark in [" 于 ", " 於 "] {
        if let Some((name, after)) = t.split_once(mark) {
            let ends = ["发布", "發布", "发表", "發表"]
                .iter()
                .any(|v| after.ends_with(v));
            let d = parse_date(&rules.date, after);
            return if name_ok(name) && ends && d.is_some() {
                (Some(name.trim().to_string()), d)
            } else {
                none
            };
        }
    }
    none
}

/// The credits of a line without colons: `作者 王之言 高孜然`, `编辑 周褶褶 ｜ 排版 魏蔚`.
/// Writers (`作者`, `撰文`, `记者`, `文字`) become authors, `编辑`/`责编` editors, `摄影`
/// photographers; other roles (layout, proofreading) are dropped.
pub fn parse_credit_line(line: &str) -> Fields {
    let mut f = Fields::default();
    for segment in line.split(['｜', '|', '/', '丨']) {
        let segment = segment.trim();
        let Some((role, names)) = segment.split_once([' ', '\u{3000}']) else {
            continue;
        };
        let names = parse_names(names);
        match role {
            "作者" | "撰文" | "文字" | "记者" | "記者" => push_new(&mut f.authors, names),
            "编辑" | "編輯" | "责编" | "責編" | "责任编辑" | "責任編輯" => {
                f.non_author = true;
                push_new(&mut f.editors, names);
            }
            "摄影" | "攝影" | "图片" | "圖片" => {
                f.non_author = true;
                push_new(&mut f.photographers, names);
            }
            _ => f.non_author = true,
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<String> {
        parse_date(&CompiledRules::new().date, s)
    }

    #[test]
    fn dates_to_iso() {
        let cases = [
            ("2018-12-24 08:37", "2018-12-24T08:37:00+08:00"),
            ("2018-12-24 08:37:05", "2018-12-24T08:37:05+08:00"),
            ("2018年12月24日 08:37", "2018-12-24T08:37:00+08:00"),
            ("2018年12月24日08:37", "2018-12-24T08:37:00+08:00"),
            ("2018/12/24", "2018-12-24"),
            ("2018.12.24", "2018-12-24"),
            ("2018-12-24T08:37:05+0100", "2018-12-24T08:37:05+01:00"),
            ("发布时间：2020-02-29", "2020-02-29"),
        ];
        for (i, o) in cases {
            assert_eq!(date(i).as_deref(), Some(o), "{i}");
        }
    }

    #[test]
    fn url_dates() {
        for (url, want) in [
            (
                "http://www.he.news.cn/20240515/d59c39d4/c.html",
                Some("2024-05-15"),
            ),
            (
                "https://news.youth.cn/gj/202405/t20240520_15263156.htm",
                Some("2024-05-20"),
            ),
            (
                "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html",
                Some("2024-05-10"),
            ),
            (
                "http://news.china.com.cn/2024-05/13/content_117184963.shtml",
                Some("2024-05-13"),
            ),
            (
                "https://news.sina.com.cn/o/2024-05-16/doc-inavmmfi1968342.shtml",
                Some("2024-05-16"),
            ),
            (
                "https://new.qq.com/rain/a/20240513A00GCM00",
                Some("2024-05-13"),
            ),
            ("http://www.people.com.cn/1998/01/0.html?n=0", None),
            ("http://www.xinhuanet.com/local/c_1125597921.htm", None),
            ("https://x.cn/a/?id=20240513", None),
            ("https://x.cn/2024-13-45/a.html", None),
            ("not a url", None),
        ] {
            assert_eq!(url_date(url).as_deref(), want, "{url}");
        }
    }

    #[test]
    fn invalid_dates_rejected() {
        for s in [
            "2018-13-01",
            "2018-02-30",
            "2019-02-29",
            "1989-01-01",
            "2101-01-01",
            "12345",
        ] {
            assert_eq!(date(s), None, "{s}");
        }
        // A bad time keeps the date.
        assert_eq!(date("2018-12-24 25:61").as_deref(), Some("2018-12-24"));
    }

    #[test]
    fn names() {
        assert_eq!(parse_names("记者孙红丽"), ["孙红丽"]);
        assert_eq!(parse_names("（记者 张三 李四）"), ["张三", "李四"]);
        assert_eq!(parse_names("本报记者 张三"), ["张三"]);
        assert_eq!(parse_names("记者 张三 通讯员 李四 报道"), ["张三", "李四"]);
        assert_eq!(parse_names("陈文 任冠元 蒋磊"), ["陈文", "任冠元", "蒋磊"]);
        assert_eq!(parse_names("實習生 王五、趙六"), ["王五", "趙六"]);
        assert!(parse_names("记者 报道").is_empty());
        // The outlet or post before a reporter's role word is not a name.
        assert_eq!(parse_names("海峡导报记者 薛洋"), ["薛洋"]);
        assert_eq!(parse_names("海峡导报记者薛洋"), ["薛洋"]);
        assert_eq!(
            parse_names("驻京记者 王五 人民日报通讯员 赵六"),
            ["王五", "赵六"]
        );
        // Markup shown as text in a byline gives no names; a name beside it stays.
        assert!(parse_names("<img onerror=alert(10)>").is_empty());
        assert_eq!(parse_names("张三 <b>"), ["张三"]);
    }

    #[test]
    fn tags() {
        assert_eq!(split_tags(" 生活垃圾分类"), ["生活垃圾分类"]);
        assert_eq!(split_tags("a, b；c、d |e a"), ["a", "b", "c", "d", "e"]);
        assert!(split_tags("  ").is_empty());
        assert_eq!(after_colon("標簽: 生活垃圾分類"), "生活垃圾分類");
    }

    #[test]
    fn combined_metadata_line() {
        let r = CompiledRules::new();
        let f = parse_fields(&r, "2018-12-24 08:37 来源：人民网 作者：张三");
        assert_eq!(f.date.as_deref(), Some("2018-12-24T08:37:00+08:00"));
        assert_eq!(f.source.as_deref(), Some("人民网"));
        assert_eq!(f.authors, ["张三"]);
        let f = parse_fields(&r, "來源：新華社 | 責任編輯：李四");
        assert_eq!(f.source.as_deref(), Some("新華社"));
        assert_eq!(f.editors, ["李四"]);
        assert!(f.authors.is_empty());
        let f = parse_fields(&r, "来源：人民网 2018-12-24 08:37");
        assert_eq!(f.source.as_deref(), Some("人民网"));
        assert!(f.date.is_some());
        let f = parse_fields(&r, "原标题：2019年起个税新规实施");
        assert_eq!(f.original_title.as_deref(), Some("2019年起个税新规实施"));
        let f = parse_fields(&r, "作者：张三");
        assert!(!f.non_author);
    }
}
