//! Step 3: orphans of broken pinyin conversion removed.
//!
//! Owns the debris a GBK-level annotator leaves behind. When the trail byte of one character
//! and the lead byte of the next happen to spell a third character, the annotator inserts that
//! character's `(py)` between the two bytes; decoding then shows a `?` (the orphaned byte plus
//! `(`), the syllable and `)`: `當?shù)貤l件`, `西氣東輸?shù)拇?`, `10日?qǐng)?bào)道`. The byte-shifted
//! characters after it are left for a later recovery step; this one only removes the orphan:
//! `?` (or U+FFFD) directly after a CJK character, then a real pinyin syllable, then `)`.
//! Stray U+FFFD replacement characters are removed too. Each removal counts once in
//! [`Repairs::garbled`].
//!
//! A `?` that is not followed by `syllable)` is ordinary punctuation and stays (`是否?`,
//! `What?`), as does `?` after Latin text; well-formed `X(py)` annotations were already
//! removed by the pinyin step.
//!
//! ```
//! use zhclean::internals::repair::garbled::remove_orphans;
//! use zhclean::Repairs;
//!
//! let mut repairs = Repairs::default();
//! assert_eq!(remove_orphans("當?shù)貤l件", &mut repairs), "當貤l件");
//! assert_eq!(repairs.garbled, 1);
//! ```

use super::chars::{is_cjk, NextOf};
use super::pinyin::{is_syllable, read_syllable};
use crate::article::Repairs;

/// What the decoder leaves for the lost byte.
const REPLACEMENT: char = '\u{FFFD}';

/// Removes `?syllable)` orphans and U+FFFD characters; adds to `repairs`.
pub fn remove_orphans(text: &str, repairs: &mut Repairs) -> String {
    let mut marks = NextOf::new(text, "?", "\u{FFFD}");
    if marks.at_or_after(0).is_none() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(mark_at) = marks.in_rest(rest) {
        out.push_str(&rest[..mark_at]);
        let mark = if rest[mark_at..].starts_with('?') {
            '?'
        } else {
            REPLACEMENT
        };
        let after_mark = &rest[mark_at + mark.len_utf8()..];
        // The orphan always follows a double-byte (CJK) character: only a double-byte
        // character's trail byte can straddle into the next one.
        let after_cjk = out.chars().next_back().is_some_and(is_cjk);
        let orphan_len = read_syllable(after_mark)
            .filter(|syllable| after_cjk && is_syllable(syllable.plain()))
            .map(|syllable| syllable.len);
        match (orphan_len, mark) {
            (Some(len), _) => {
                repairs.garbled += 1;
                rest = close_gap(&mut out, &after_mark[len..]);
            }
            (None, REPLACEMENT) => {
                repairs.garbled += 1;
                rest = close_gap(&mut out, after_mark);
            }
            (None, _) => {
                out.push(mark);
                rest = after_mark;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Joins the text around a removed orphan the way `normalize` left whitespace: no run of
/// spaces, no space at the start or end of a line (`据 \u{FFFD} 据` → `据 据`), no empty
/// line (`据\n\u{FFFD}\n据` → `据\n据`), so that repairing the output again changes nothing.
fn close_gap<'a>(out: &mut String, rest: &'a str) -> &'a str {
    let line_start = out.is_empty() || out.ends_with('\n');
    if line_start && (rest.is_empty() || rest.starts_with('\n')) {
        // The orphan was the whole line: its line break goes too (the one before it when
        // it was the last line).
        return match rest.strip_prefix('\n') {
            Some(after) => after,
            None => {
                out.pop();
                rest
            }
        };
    }
    if line_start || out.ends_with(' ') {
        let trimmed = rest.trim_start_matches(' ');
        if trimmed.len() < rest.len() || line_start {
            return trimmed;
        }
    }
    if rest.is_empty() || rest.starts_with('\n') {
        let kept = out.trim_end_matches(' ').len();
        out.truncate(kept);
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, usize) {
        let mut repairs = Repairs::default();
        let out = remove_orphans(text, &mut repairs);
        (out, repairs.garbled)
    }

    #[test]
    fn removes_the_seed_orphans() {
        assert_eq!(run("探索適合當?shù)貤l件的").0, "探索適合當貤l件的");
        assert_eq!(run("西氣東輸?shù)拇?").0, "西氣東輸拇?");
        assert_eq!(run("當?shù)貤l件").1, 1);
    }

    #[test]
    fn removes_consecutive_orphans() {
        assert_eq!(run("10日?qǐng)?bào)道"), ("10日道".to_owned(), 2));
    }

    #[test]
    fn removes_orphans_after_replacement_char_and_stray_replacement_chars() {
        assert_eq!(run("當\u{FFFD}shù)貤"), ("當貤".to_owned(), 1));
        assert_eq!(run("a\u{FFFD}b\u{FFFD}"), ("ab".to_owned(), 2));
    }

    #[test]
    fn keeps_ordinary_question_marks() {
        for text in [
            "是否?",
            "是否？",
            "What?",
            "what?shu)",
            "何去何從?在此間",
            "何去何從?what)",
            "何去何從? shù)",
            "何去何從?(shù)",
            "?shù)",
            "路?123)",
            "http://a.cn/?q=1",
        ] {
            assert_eq!(run(text), (text.to_owned(), 0), "{text}");
        }
    }

    #[test]
    fn removal_leaves_no_double_or_edge_spaces() {
        assert_eq!(run("据住房 \u{FFFD} 据住房").0, "据住房 据住房");
        assert_eq!(run("\u{FFFD} 据住房\n据 \u{FFFD}").0, "据住房\n据");
        assert_eq!(run("据\u{FFFD} 住").0, "据 住");
    }

    #[test]
    fn a_line_of_debris_goes_with_its_line_break() {
        assert_eq!(run("据\n\u{FFFD}\n住").0, "据\n住");
        assert_eq!(run("据\n\u{FFFD}").0, "据");
        assert_eq!(run("\u{FFFD}\n据").0, "据");
        assert_eq!(run(",\n\u{FFFD}").0, ",");
    }

    #[test]
    fn idempotent() {
        let once = run("當?shù)貤l件?\u{FFFD}").0;
        assert_eq!(run(&once), (once.clone(), 0));
    }
}
