//! Value parsers of the extract stage: dates to ISO 8601, author lists, tag lists and
//! `label：value` metadata lines. Nothing here decides *whether* a line is metadata; that is
//! [`super::rules`] and [`super::lines`].
//!
//! ```
//! use zhclean::extract::{meta, rules::CompiledRules};
//! let rules = CompiledRules::new();
//! assert_eq!(meta::parse_date(&rules.date, "2018年12月24日 08:37").as_deref(),
//!            Some("2018-12-24T08:37:00+08:00"));
//! assert_eq!(meta::parse_names("记者 张三、李四 报道"), ["张三", "李四"]);
//! assert_eq!(meta::split_tags(" 垃圾分类，环保|城市 "), ["垃圾分类", "环保", "城市"]);
//! ```

use regex::Regex;

use super::rules::{field_of, CompiledRules, Field, ROLE_WORDS};

/// Finds the first valid date (year 1990..=2100, real month and day, valid time) in `text`
/// and formats it as ISO 8601: `2018-12-24T08:37:00+08:00` when a time is given (zone
/// `+08:00` unless the text names one), `2018-12-24` for a date alone.
pub fn parse_date(date_re: &Regex, text: &str) -> Option<String> {
    date_re.captures_iter(text).find_map(|c| {
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let (y, m, d) = (num("y")?, num("m")?, num("d")?);
        if !(1990..=2100).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in(y, m) {
            return None;
        }
        let date = format!("{y:04}-{m:02}-{d:02}");
        let Some(hour) = num("H") else {
            return Some(date);
        };
        let (min, sec) = (num("M").unwrap_or(0), num("S").unwrap_or(0));
        if hour > 23 || min > 59 || sec > 59 {
            return Some(date);
        }
        let tz = match c.name("tz").map(|m| m.as_str()) {
            None => "+08:00".to_string(),
            Some("Z") => "Z".to_string(),
            Some(z) if z.len() == 5 => format!("{}:{}", z.get(..3)?, z.get(3..)?),
            Some(z) => z.to_string(),
        };
        Some(format!("{date}T{hour:02}:{min:02}:{sec:02}{tz}"))
    })
}

/// The date in a URL's path (`/2019-09/07/`, `/20190907/`, `/2024/0510/`, `t20240520_`),
/// as `YYYY-MM-DD`: a year 1990–2100, a real month and day, not between other digits. The
/// query and fragment are not read.
///
/// ```
/// use zhclean::extract::meta::url_date;
/// assert_eq!(url_date("http://news.china.com.cn/2024-05/13/content_117184963.shtml").as_deref(), Some("2024-05-13"));
/// assert_eq!(url_date("https://x.cn/a/?id=20240513"), None);
/// ```
pub fn url_date(url: &str) -> Option<String> {
    static DATE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(
            r"(?:^|\D)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?:\D|$)",
        )
        .expect("static regex")
    });
    let path = url.split(['?', '#']).next()?;
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let path = &path[path.find('/')?..];
    DATE.captures_iter(path).find_map(|c| {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (y, m, d) = (num(1)?, num(2)?, num(3)?);
        ((1990..=2100).contains(&y) && d <= days_in(y, m)).then(|| format!("{y:04}-{m:02}-{d:02}"))
    })
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

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

/// The role words of a reporter, which follow the outlet or post they are of.
const REPORTER_ROLES: [&str; 6] = ["记者", "記者", "通讯员", "通訊員", "实习生", "實習生"];

/// Splits a byline body into names: splits on whitespace, `、` `，` `,` `/` `|`, keeps what
/// follows a reporter's role word in a token (`海峡导报记者薛洋` → `薛洋`), strips role
/// words ([`ROLE_WORDS`]: `记者`, `通讯员`, `报道`, …) from both ends of each token and drops
/// tokens that are only role words, punctuation or a single character. Order kept, duplicates dropped.
pub fn parse_names(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let body = body.trim_matches(|c: char| "（）()【】[]".contains(c));
    for tok in body.split(|c: char| c.is_whitespace() || "、，,/／|｜丨:：;；".contains(c)) {
        let tok = tok.trim();
        // What comes before a reporter's role word is the outlet or post, not a name
        // (`海峡导报记者`, `驻京记者薛洋`): the name is what follows the last one, if anything.
        let after_role = REPORTER_ROLES
            .iter()
            .filter_map(|role| tok.rfind(role).map(|at| at + role.len()))
            .max();
        let mut t = after_role.map_or(tok, |end| &tok[end..]);
        loop {
            let before = t;
            for w in ROLE_WORDS {
                t = t.strip_prefix(w).unwrap_or(t);
                if t.chars().count() > 2 {
                    t = t.strip_suffix(w).unwrap_or(t);
                }
            }
            if t == before {
                break;
            }
        }
        let t = t.trim_matches(|c: char| !c.is_alphanumeric() && c != '·');
        // One character is never a name (`文/张三` leaves `文`).
        if t.chars().count() >= 2
            && t.chars().any(char::is_alphabetic)
            && !out.iter().any(|o| o == t)
        {
            out.push(t.to_string());
        }
    }
    out
}

/// Splits an editor value into names: on whitespace, `、` `，` `,` `/` `|`; a staff code
/// (`SF099`, `PN269`, `_NN2587` after a name) is not a name.
pub fn parse_editors(value: &str) -> Vec<String> {
    let code = |t: &str| {
        t.chars().any(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let mut out: Vec<String> = Vec::new();
    for tok in value.split(|c: char| c.is_whitespace() || "、，,/／|｜丨;；".contains(c)) {
        let tok = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '·');
        let tok = match tok.rsplit_once('_') {
            Some((name, tail)) if code(tail) => name,
            _ => tok,
        };
        if tok.is_empty() || code(tok) || out.iter().any(|o| o == tok) {
            continue;
        }
        out.push(tok.to_string());
    }
    out
}

/// The values found on one metadata line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// First valid date on the line, ISO 8601.
    pub date: Option<String>,
    /// `来源：` value.
    pub source: Option<String>,
    /// Names of `责任编辑：` / `编辑：` values (staff codes such as `SF099` dropped).
    pub editors: Vec<String>,
    /// `原标题：` value.
    pub original_title: Option<String>,
    /// Names from `作者：` / `记者：` fields.
    pub authors: Vec<String>,
    /// Whether any label other than an author label was found (or a date).
    pub non_author: bool,
}

/// Parses a line of `label：value` fields field by field, e.g.
/// `2018-12-24 08:37 来源：人民网 作者：张三`. A value runs to the next label or date.
pub fn parse_fields(rules: &CompiledRules, line: &str) -> Fields {
    let labels: Vec<_> = rules.field_label.captures_iter(line).collect();
    let dates: Vec<_> = rules.date.find_iter(line).map(|m| m.start()).collect();
    let mut f = Fields {
        date: parse_date(&rules.date, line),
        ..Fields::default()
    };
    f.non_author = f.date.is_some();
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
            .copied()
            .find(|&d| d >= whole.end())
            .unwrap_or(line.len());
        let end = if field == Field::OriginalTitle {
            next_label
        } else {
            next_label.min(next_date)
        };
        let value = line
            .get(whole.end()..end)
            .unwrap_or("")
            .trim_matches(|c: char| c.is_whitespace() || "|｜丨/【】[]（）()".contains(c));
        if field != Field::Author {
            f.non_author = true;
        }
        let slot = match field {
            Field::Source => &mut f.source,
            Field::Editor => {
                for n in parse_editors(value) {
                    if !f.editors.contains(&n) {
                        f.editors.push(n);
                    }
                }
                continue;
            }
            Field::OriginalTitle => &mut f.original_title,
            Field::Date => continue,
            Field::Author => {
                for n in parse_names(value) {
                    if !f.authors.contains(&n) {
                        f.authors.push(n);
                    }
                }
                continue;
            }
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value.to_string());
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
