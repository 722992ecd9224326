//! Value parsers of the extract stage: dates to ISO 8601, author lists, tag lists and
//! `label：value` metadata lines. Nothing here decides *whether* a line is metadata; that is
//! [`super::rules`] and [`super::lines`].
//!
//! ```
//! use zhclean::internals::extract::{meta, rules::CompiledRules};
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
///
/// Besides `2018-12-24`, `2018/12/24`, `2018.12.24` and `2018年12月24日`, it reads a
/// two-digit year before `年` (`05年7月18日`: 00–49 are 2000–2049, 90–99 are 1990s),
/// Chinese numerals (`二〇〇五年三月十一日`), a weekday before the time (`週三`), and
/// `AM`/`PM` or `上午`/`下午` with the time.
pub fn parse_date(date_re: &Regex, text: &str) -> Option<String> {
    use super::rules::date_group as g;
    date_re.captures_iter(text).find_map(|c| {
        // (Groups by index: a lookup by name hashes the name, on every date of every page.)
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let chinese = |i: usize| c.get(i).and_then(|m| chinese_number(m.as_str()));
        let text_of = |i: usize| c.get(i).map(|m| m.as_str());
        let (y, m, d) = if let Some(y) = num(g::Y) {
            (y, num(g::M)?, num(g::D)?)
        } else if let Some(yy) = num(g::YY) {
            (
                if yy < 50 { 2000 + yy } else { 1900 + yy },
                num(g::MM)?,
                num(g::DD)?,
            )
        } else {
            (chinese(g::CY)?, chinese(g::CM)?, chinese(g::CD)?)
        };
        if !(1990..=2100).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in(y, m) {
            return None;
        }
        let date = format!("{y:04}-{m:02}-{d:02}");
        let Some(mut hour) = num(g::HOUR) else {
            return Some(date);
        };
        let (min, sec) = (num(g::MINUTE).unwrap_or(0), num(g::SECOND).unwrap_or(0));
        let ap = text_of(g::AP);
        let pm = matches!(text_of(g::AMPM), Some("PM" | "pm"))
            || matches!(ap, Some("下午" | "晚上"))
            || (ap == Some("中午") && hour <= 2);
        let am = matches!(text_of(g::AMPM), Some("AM" | "am"));
        if pm && (1..12).contains(&hour) {
            hour += 12;
        } else if am && hour == 12 {
            hour = 0;
        }
        if hour > 23 || min > 59 || sec > 59 {
            return Some(date);
        }
        let tz = match text_of(g::TZ) {
            None => "+08:00".to_string(),
            Some("Z") => "Z".to_string(),
            Some(z) if z.len() == 5 => format!("{}:{}", z.get(..3)?, z.get(3..)?),
            Some(z) => z.to_string(),
        };
        Some(format!("{date}T{hour:02}:{min:02}:{sec:02}{tz}"))
    })
}

/// [`parse_date`], or else a year and month (`1998年3月`, `1998-3`) as `YYYY-MM`: reduced
/// precision, valid ISO 8601. For text that is a date's value (a timestamp line, a date
/// label's value), where a year and month alone are the page's date.
pub fn parse_date_or_month(rules: &CompiledRules, text: &str) -> Option<String> {
    parse_date(&rules.date, text).or_else(|| {
        rules.year_month.captures_iter(text).find_map(|c| {
            let y: u32 = c.name("y")?.as_str().parse().ok()?;
            let m: u32 = c.name("m").or(c.name("m2"))?.as_str().parse().ok()?;
            ((1990..=2100).contains(&y) && (1..=12).contains(&m)).then(|| format!("{y:04}-{m:02}"))
        })
    })
}

/// The value of a number written in Chinese numerals: digit by digit for years
/// (`二〇〇五` = 2005), with `十` for months and days (`十一` = 11, `二十` = 20, `三十一` = 31).
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '零' | '○' | 'Ｏ' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.iter().position(|&c| c == '十') {
        None => chars
            .iter()
            .try_fold(0u32, |n, &c| Some(n * 10 + digit(c)?)),
        Some(at) => {
            let tens = match at {
                0 => 1,
                1 => digit(chars[0])?,
                _ => return None,
            };
            let ones = match chars.get(at + 1) {
                None => 0,
                Some(&c) if at + 2 == chars.len() => digit(c)?,
                Some(_) => return None,
            };
            Some(tens * 10 + ones)
        }
    }
}

/// The date in a URL's path (`/2019-09/07/`, `/20190907/`, `/2024/0510/`, `t20240520_`),
/// as `YYYY-MM-DD`: a year 1990–2100, a real month and day, not between other digits. The
/// query and fragment are not read.
///
/// ```
/// use zhclean::internals::extract::meta::url_date;
/// assert_eq!(url_date("http://news.china.com.cn/2024-05/13/content_117184963.shtml").as_deref(), Some("2024-05-13"));
/// assert_eq!(url_date("https://x.cn/a/?id=20240513"), None);
/// ```
pub fn url_date(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let path = path.get(path.find('/')?..)?.as_bytes();
    // The runs of digits of the path, with the separator before each (`-`, `/`, `_`, or
    // none when a run follows a letter or stands first). Read by hand: a regex over every
    // record's URL cost more than the rest of the date's work.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < path.len() {
        if path[i].is_ascii_digit() {
            let start = i;
            while i < path.len() && path[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let num = |(s, e): (usize, usize)| -> Option<u32> {
        std::str::from_utf8(&path[s..e]).ok()?.parse().ok()
    };
    let joined = |(_, e1): (usize, usize), (s2, _): (usize, usize)| {
        s2 == e1 || (s2 == e1 + 1 && matches!(path[e1], b'-' | b'/' | b'_'))
    };
    let date = |y: u32, m: u32, d: u32| {
        ((1990..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in(y, m))
            .then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    for (k, &run) in runs.iter().enumerate() {
        let len = run.1 - run.0;
        let found = match len {
            // `20190907`.
            8 => num(run).and_then(|n| date(n / 10_000, n / 100 % 100, n % 100)),
            // `2019-09/07`, `2019/09/07`, `2024/0510`.
            4 => runs
                .get(k + 1)
                .filter(|&&next| joined(run, next))
                .and_then(|&next| {
                    let y = num(run)?;
                    match next.1 - next.0 {
                        4 => num(next).and_then(|md| date(y, md / 100, md % 100)),
                        2 => runs
                            .get(k + 2)
                            .filter(|&&day| joined(next, day) && day.1 - day.0 == 2)
                            .and_then(|&day| date(y, num(next)?, num(day)?)),
                        _ => None,
                    }
                }),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
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
const REPORTER_ROLES: [&str; 8] = [
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "评论员",
    "評論員",
];

/// Splits a byline body into names: splits on whitespace, `、` `，` `,` `/` `|`, keeps what
/// follows a reporter's role word in a token (`海峡导报记者薛洋` → `薛洋`), strips role
/// words ([`ROLE_WORDS`]: `记者`, `通讯员`, `报道`, …) from both ends of each token and drops
/// tokens that are only role words, punctuation or a single character. A two-character name
/// padded to three columns (`方  敏`) is joined; a place before `报道` after the first name
/// (`王明 山东某县报道`) is not a name. Order kept, duplicates dropped.
pub fn parse_names(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let body = body.trim_matches(|c: char| "（）()【】[]".contains(c));
    let tokens: Vec<&str> = body
        .split(|c: char| c.is_whitespace() || "、，,/／|｜丨:：;；".contains(c))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let single_han = |t: &str| {
        let mut chars = t.chars();
        chars.next().is_some_and(crate::model::is_han) && chars.next().is_none()
    };
    let mut joined: Vec<std::borrow::Cow<str>> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if single_han(tokens[i]) && tokens.get(i + 1).is_some_and(|t| single_han(t)) {
            joined.push(format!("{}{}", tokens[i], tokens[i + 1]).into());
            i += 2;
        } else {
            joined.push(tokens[i].into());
            i += 1;
        }
    }
    for tok in &joined {
        let tok: &str = tok;
        // A place before `报道` after a name (`王明 山东某县报道`).
        if !out.is_empty() {
            if let Some(place) = tok
                .strip_suffix("报道")
                .or_else(|| tok.strip_suffix("報道"))
            {
                // (`李四报道` after a name is rarer than `上海报道`: a place.)
                if place.chars().count() >= 2 {
                    continue;
                }
            }
        }
        // What comes before a reporter's role word is the outlet or post, not a name
        // (`海峡导报记者`, `驻京记者薛洋`): the name is what follows the last one, if anything.
        // (Every role word ends in 者, 员/員 or 生: no search in a token without one.)
        let after_role = tok
            .contains(['者', '员', '員', '生'])
            .then(|| {
                REPORTER_ROLES
                    .iter()
                    .filter_map(|role| tok.rfind(role).map(|at| at + role.len()))
                    .max()
            })
            .flatten();
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
        // Two two-character names written together (`新华社记者李锦赵承`): four Han
        // characters whose first and third start a name, without a compound surname.
        let chars: Vec<char> = t.chars().collect();
        if chars.len() == 4
            && chars.iter().all(|&c| crate::model::is_han(c))
            && super::rules::SURNAMES.contains(chars[0])
            && super::rules::SURNAMES.contains(chars[2])
            && !super::rules::starts_with_compound_surname(t)
        {
            for half in [&chars[..2], &chars[2..]] {
                let half: String = half.iter().collect();
                if !out.contains(&half) {
                    out.push(half);
                }
            }
            continue;
        }
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

/// A source value without what pages put after it: the label if one is left in
/// (`来源：新华网` from a `<meta>`), a location (`来自北京市`), a posting note (`发布于…`), and
/// anything after the first space unless the name is Latin words (`新华网 王帆`,
/// `鞭牛士 北京 举报` → `新华网`, `鞭牛士`; `China Daily` stays).
///
/// ```
/// use zhclean::internals::extract::meta::clean_source;
/// assert_eq!(clean_source("来源：新华网").as_deref(), Some("新华网"));
/// assert_eq!(clean_source("北青网-北京青年报 北京 举报").as_deref(), Some("北青网-北京青年报"));
/// assert_eq!(clean_source("政能亮 来自北京市").as_deref(), Some("政能亮"));
/// assert_eq!(clean_source("China Daily").as_deref(), Some("China Daily"));
/// ```
pub fn clean_source(value: &str) -> Option<String> {
    let sep = |c: char| c.is_whitespace() || "|｜丨·/【】[]（）()".contains(c);
    let mut v = value.trim_matches(sep);
    if let Some((label, rest)) = v.split_once(['：', ':']) {
        if matches!(
            label.trim(),
            "来源" | "來源" | "稿源" | "出处" | "出處" | "本文来源" | "本文來源"
        ) {
            v = rest.trim_matches(sep);
        }
    }
    for stop in [
        "来自",
        "來自",
        "发布于",
        "發佈於",
        "發布於",
        "发表于",
        "發表於",
    ] {
        if let Some(at) = v.find(stop) {
            v = v[..at].trim_matches(sep);
        }
    }
    let words: Vec<&str> = v.split_whitespace().collect();
    let latin = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "&.-'".contains(c))
    };
    let mut kept = words.first().map_or(0, |_| 1);
    while kept < words.len() && latin(words[kept - 1]) && latin(words[kept]) {
        kept += 1;
    }
    let out = words[..kept].join(" ");
    (!out.is_empty()).then_some(out)
}

/// The name ending a writer's description after a title (`…研究员徐占忱`, `某大学教授 王明`):
/// 2–3 Han characters starting with a surname.
fn titled_name(value: &str) -> Option<String> {
    const TITLES: &[&str] = &[
        "研究员",
        "研究員",
        "教授",
        "讲师",
        "講師",
        "博士",
        "主任",
        "部长",
        "部長",
        "院长",
        "院長",
        "所长",
        "所長",
        "主编",
        "主編",
        "编审",
        "編審",
        "学者",
        "學者",
        "专家",
        "專家",
        "律师",
        "律師",
        "记者",
        "記者",
    ];
    let value = value.trim();
    TITLES.iter().find_map(|t| {
        let at = value.rfind(t)?;
        let name = value[at + t.len()..].trim();
        let n = name.chars().count();
        ((2..=3).contains(&n)
            && name.chars().all(crate::model::is_han)
            && super::rules::starts_with_surname(name))
        .then(|| name.to_string())
    })
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
