//! Step 4: ASCII punctuation in Chinese context becomes full width.
//!
//! Owns the choice between `, : ; ! ? ( )` and `， ： ； ！ ？ （ ）`. Rules, applied per line:
//! - A `(`…`)` pair (matched, nesting allowed) becomes `（`…`）` when its content has a Han
//!   character or the last non-space character before `(` is CJK: `(記者孫紅麗)` →
//!   `（記者孫紅麗）`, `系統(5G)健康` → `系統（5G）健康`. A pair with one side already full width
//!   (`（5G)`) gets the other side converted. `(AI)` in an English sentence stays.
//! - `, : ; ! ?` becomes full width when the last non-space character before it is CJK (Han,
//!   CJK punctuation, `“ ”`), or when the character right after it is CJK (`GDP,增长`).
//!   Between ASCII characters nothing changes: `08:37`, `1,000`, `http://`, `What?`.
//!
//! Spaces around a converted mark are left as they are. Each converted character counts in
//! [`Repairs::punctuation`].
//!
//! ```
//! use zhclean::repair::punct::to_full_width;
//! use zhclean::Repairs;
//!
//! let mut repairs = Repairs::default();
//! let text = to_full_width("據悉,系統(5G)健康 08:37", &mut repairs);
//! assert_eq!(text, "據悉，系統（5G）健康 08:37");
//! assert_eq!(repairs.punctuation, 3);
//! ```

use super::chars::{is_cjk, is_han, is_space};
use crate::article::Repairs;

/// Does `text` hold one of the ASCII marks this step converts? Byte searches: in UTF-8 an
/// ASCII byte is always that ASCII character, never part of another one.
fn has_ascii_mark(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b',', b':', b';', bytes).is_some()
        || memchr::memchr3(b'!', b'?', b'(', bytes).is_some()
        || memchr::memchr(b')', bytes).is_some()
}

/// Converts ASCII punctuation in Chinese context to full width; adds to `repairs`.
pub fn to_full_width(text: &str, repairs: &mut Repairs) -> String {
    if !has_ascii_mark(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if has_ascii_mark(line) {
            convert_line(line, &mut out, repairs);
        } else {
            out.push_str(line);
        }
    }
    out
}

fn convert_line(line: &str, out: &mut String, repairs: &mut Repairs) {
    let mut chars: Vec<char> = line.chars().collect();
    let closer_of = match_parens(&chars);
    let han_before = han_prefix_counts(&chars);

    // Left to right: pairs and marks that follow CJK. `last_non_space` sees what this sweep
    // has already converted, so `好?!` and `中文,(AI)` convert in one go.
    let mut last_non_space: Option<char> = None;
    for at in 0..chars.len() {
        let c = chars[at];
        if let Some(close) = closer_of[at] {
            let convert = match (c, chars[close]) {
                ('(', ')') => {
                    han_before[close] > han_before[at + 1] || last_non_space.is_some_and(is_cjk)
                }
                ('（', '）') => false,
                // Half converted already: finish the pair.
                _ => true,
            };
            if convert {
                for (at, full) in [(at, '（'), (close, '）')] {
                    if chars[at] != full {
                        chars[at] = full;
                        repairs.punctuation += 1;
                    }
                }
            }
        } else if let Some(full) = full_width_mark(c) {
            if last_non_space.is_some_and(is_cjk) {
                chars[at] = full;
                repairs.punctuation += 1;
            }
        }
        if !is_space(chars[at]) {
            last_non_space = Some(chars[at]);
        }
    }

    // Right to left: marks directly before CJK, seeing conversions to their right (`??：`).
    // Nothing converted here can change a decision of the first sweep (a mark converted here
    // is directly followed by CJK, which that sweep already saw), so one round is a fixed
    // point and repairing again changes nothing.
    for at in (0..chars.len()).rev() {
        if let Some(full) = full_width_mark(chars[at]) {
            if chars.get(at + 1).copied().is_some_and(is_cjk) {
                chars[at] = full;
                repairs.punctuation += 1;
            }
        }
    }
    out.extend(chars);
}

/// For each opening parenthesis (`(` or `（`) with a matching closer on the line, the closer's
/// index; `None` elsewhere.
fn match_parens(chars: &[char]) -> Vec<Option<usize>> {
    let mut closer_of = vec![None; chars.len()];
    let mut open_at: Vec<usize> = Vec::new();
    for (at, &c) in chars.iter().enumerate() {
        match c {
            '(' | '（' => open_at.push(at),
            ')' | '）' => {
                if let Some(open) = open_at.pop() {
                    closer_of[open] = Some(at);
                }
            }
            _ => {}
        }
    }
    closer_of
}

/// `counts[i]` is the number of Han characters in `chars[..i]`, so that "does this pair's
/// content have a Han character" is O(1). Han only: punctuation converted inside the pair
/// must not change the pair's decision.
fn han_prefix_counts(chars: &[char]) -> Vec<usize> {
    let mut counts = Vec::with_capacity(chars.len() + 1);
    let mut count = 0;
    counts.push(count);
    for &c in chars {
        count += usize::from(is_han(c));
        counts.push(count);
    }
    counts
}

fn full_width_mark(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, usize) {
        let mut repairs = Repairs::default();
        let out = to_full_width(text, &mut repairs);
        (out, repairs.punctuation)
    }

    #[test]
    fn converts_marks_after_cjk() {
        assert_eq!(
            run("據悉,2020年以來,各地;一是自願:二是!對嗎?"),
            (
                "據悉，2020年以來，各地；一是自願：二是！對嗎？".to_owned(),
                6
            )
        );
        assert_eq!(run("“1對1”,交流").0, "“1對1”，交流");
        assert_eq!(run("好?!").0, "好？！");
        assert_eq!(run("中文 , 中文").0, "中文 ， 中文");
    }

    #[test]
    fn converts_marks_before_cjk() {
        assert_eq!(run("GDP,增長").0, "GDP，增長");
        assert_eq!(run("第5,是").0, "第5，是");
    }

    #[test]
    fn converts_parens_with_cjk_content_or_after_cjk() {
        assert_eq!(
            run("政績工程。(記者孫紅麗)"),
            ("政績工程。（記者孫紅麗）".to_owned(), 2)
        );
        assert_eq!(run("系統(5G)健康").0, "系統（5G）健康");
        assert_eq!(run("電 (記者 陳康亮)中國").0, "電 （記者 陳康亮）中國");
        assert_eq!(run("省(區、市)").0, "省（區、市）");
        assert_eq!(run("a(b(中)c)").0, "a（b（中）c）");
        assert_eq!(run("系統（5G)健康"), ("系統（5G）健康".to_owned(), 1));
        assert_eq!(run("x(中）"), ("x（中）".to_owned(), 1));
    }

    #[test]
    fn leaves_ascii_context_alone() {
        for text in [
            "2018-12-24 08:37",
            "1,000",
            "3.5",
            "http://www.example.com/a?b=1;c=2",
            "What? No!",
            "The model (AI) works, mostly: yes; no.",
            "(2018)",
            "score 3:2",
            "",
            "(",
            ")",
            ")(",
        ] {
            assert_eq!(run(text), (text.to_owned(), 0), "{text}");
        }
    }

    #[test]
    fn mixed_line_keeps_times_and_numbers() {
        assert_eq!(
            run("時間:2018-12-24 08:37,共1,000元(約)"),
            ("時間：2018-12-24 08:37，共1,000元（約）".to_owned(), 4)
        );
    }

    #[test]
    fn unmatched_parens_stay() {
        assert_eq!(run("中文(未完").0, "中文(未完");
        assert_eq!(run("中文)未完").0, "中文)未完");
    }

    #[test]
    fn lines_are_independent() {
        assert_eq!(run("中文(\n)中文").0, "中文(\n)中文");
        assert_eq!(run("中文,\n,a").0, "中文，\n,a");
    }

    #[test]
    fn conversions_that_enable_each_other_happen_in_one_pass() {
        assert_eq!(run("中文,(AI)").0, "中文，（AI）");
        assert_eq!(run("AI,(中文)").0, "AI，（中文）");
        assert_eq!(run("x??:中").0, "x？？：中");
        assert_eq!(run("中,(a),(b),(c)").0, "中，（a），（b），（c）");
        for text in ["В??：", "中文,(AI)", "AI,(中文)", "a,(b,(c,(中)))", "(,)中"] {
            let once = run(text).0;
            assert_eq!(run(&once), (once.clone(), 0), "{text}");
        }
    }

    #[test]
    fn idempotent() {
        let once = run("據悉,系統(5G)健康?What? 1,000 (AI) 中文(a)").0;
        assert_eq!(run(&once), (once.clone(), 0));
    }
}
