//! Step 4: ASCII punctuation in Chinese context becomes full width.
//!
//! Owns the choice between `, : ; ! ? ( )` and `， ： ； ！ ？ （ ）`. Rules, applied per line:
//! - A `(`…`)` pair (matched, nesting allowed) becomes `（`…`）` when its content has a CJK
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

use super::chars::{is_cjk, is_space};
use crate::article::Repairs;

const ASCII_MARKS: [char; 7] = [',', ':', ';', '!', '?', '(', ')'];

/// Converts ASCII punctuation in Chinese context to full width; adds to `repairs`.
pub fn to_full_width(text: &str, repairs: &mut Repairs) -> String {
    if !text.contains(ASCII_MARKS) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if line.contains(ASCII_MARKS) {
            convert_line(line, &mut out, repairs);
        } else {
            out.push_str(line);
        }
    }
    out
}

fn convert_line(line: &str, out: &mut String, repairs: &mut Repairs) {
    let mut chars: Vec<char> = line.chars().collect();
    convert_parens(&mut chars, repairs);
    convert_marks(&mut chars, repairs);
    out.extend(chars);
}

/// The last non-space character before `index`.
fn prev_non_space(chars: &[char], index: usize) -> Option<char> {
    chars[..index].iter().rev().copied().find(|&c| !is_space(c))
}

fn convert_parens(chars: &mut [char], repairs: &mut Repairs) {
    // cjk_before[i] = number of CJK characters in chars[..i], so that "does this pair's content
    // have a CJK character" is O(1) and the whole pass stays linear.
    let mut cjk_before = Vec::with_capacity(chars.len() + 1);
    let mut count = 0usize;
    cjk_before.push(count);
    for &c in chars.iter() {
        count += usize::from(is_cjk(c));
        cjk_before.push(count);
    }

    let mut open_at: Vec<usize> = Vec::new();
    for close in 0..chars.len() {
        match chars[close] {
            '(' | '（' => open_at.push(close),
            ')' | '）' => {
                let Some(open) = open_at.pop() else {
                    continue;
                };
                let content_is_cjk = cjk_before[close] > cjk_before[open + 1];
                let convert = match (chars[open], chars[close]) {
                    ('(', ')') => content_is_cjk || prev_non_space(chars, open).is_some_and(is_cjk),
                    ('（', '）') => false,
                    // Half converted already: finish the pair.
                    _ => true,
                };
                if convert {
                    for (at, full) in [(open, '（'), (close, '）')] {
                        if chars[at] != full {
                            chars[at] = full;
                            repairs.punctuation += 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }
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

fn convert_marks(chars: &mut [char], repairs: &mut Repairs) {
    // Tracked as we go (instead of searching back) so that the pass stays linear; it sees
    // marks converted earlier on the line, so `好?!` converts both.
    let mut last_non_space: Option<char> = None;
    for at in 0..chars.len() {
        let c = chars[at];
        if let Some(full) = full_width_mark(c) {
            let after_cjk = last_non_space.is_some_and(is_cjk);
            let before_cjk = chars.get(at + 1).copied().is_some_and(is_cjk);
            if after_cjk || before_cjk {
                chars[at] = full;
                repairs.punctuation += 1;
            }
        }
        if !is_space(chars[at]) {
            last_non_space = Some(chars[at]);
        }
    }
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
    fn idempotent() {
        let once = run("據悉,系統(5G)健康?What? 1,000 (AI) 中文(a)").0;
        assert_eq!(run(&once), (once.clone(), 0));
    }
}
