//! Dates: a date (and time) found in a line to ISO 8601 (`2018年12月24日 08:37` →
//! `2018-12-24T08:37:00+08:00`, Chinese numerals included), a year-month alone, and the
//! date in a page's URL.

use regex::Regex;

use crate::extract::rules::CompiledRules;

/// Finds the first valid date (year 1990..=2100, real month and day, valid time) in `text`
/// and formats it as ISO 8601: `2018-12-24T08:37:00+08:00` when a time is given (zone
/// `+08:00` unless the text names one), `2018-12-24` for a date alone.
///
/// Besides `2018-12-24`, `2018/12/24`, `2018.12.24` and `2018年12月24日`, it reads a
/// two-digit year before `年` (`05年7月18日`: 00–49 are 2000–2049, 90–99 are 1990s),
/// Chinese numerals (`二〇〇五年三月十一日`), a weekday before the time (`週三`), and
/// `AM`/`PM` or `上午`/`下午` with the time.
pub fn parse_date(date_re: &Regex, text: &str) -> Option<String> {
    use crate::extract::rules::date_group as g;
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
/// use zhclean::internals::extract::values::url_date;
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
