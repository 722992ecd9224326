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
//! use zhclean::internals::repair::punct::to_full_width;
//! use zhclean::Repairs;
//!
//! let mut repairs = Repairs::default();
//! let text = to_full_width("據悉,系統(5G)健康 08:37", &mut repairs);
//! assert_eq!(text, "據悉，系統（5G）健康 08:37");
//! assert_eq!(repairs.punctuation, 3);
//! ```

use std::borrow::Cow;

use super::chars::{is_cjk, is_han, is_space};
use crate::article::Repairs;

/// Converts ASCII punctuation in Chinese context to full width; adds to `repairs`.
#[cfg(any(test, feature = "internals"))]
pub fn to_full_width(text: &str, repairs: &mut Repairs) -> String {
    convert(text, repairs).into_owned()
}

/// [`to_full_width`], borrowing `text` back when nothing changes (the pipeline's form).
///
/// Works on the *marks* of each line rather than on its characters: only an ASCII mark or
/// parenthesis can change, and every decision reads the character before or after a mark,
/// or (for a pair) whether a Han character lies between two parentheses. So lines without
/// an ASCII mark are skipped after SIMD byte searches, the marks of the others are listed by
/// a byte scan (in UTF-8 an ASCII byte is always that ASCII character), and the characters
/// next to a mark are decoded where needed. Only a line
/// with an ASCII parenthesis is walked character by character, for the Han counts its pairs
/// need and its full-width parentheses (which can pair with ASCII ones). The rules are those
/// of the character-level definition kept in the tests (`reference_convert_line`), which
/// `marks_agree_with_the_character_level_definition` compares on generated lines.
pub(crate) fn convert<'a>(text: &'a str, repairs: &mut Repairs) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    if !has_ascii_mark(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    // Text before `copied` is in `out` (once something has changed).
    let mut copied = 0;
    let mut marks: Vec<Mark> = Vec::new();
    let mut line_start = 0;
    while line_start <= bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |at| line_start + at);
        // Most lines of simplified pages have no ASCII mark: SIMD searches say so.
        if has_ascii_mark(&bytes[line_start..line_end]) {
            let line = Line {
                text,
                start: line_start,
                end: line_end,
            };
            if line.marks(&mut marks) {
                // Parentheses need the Han counts and the full-width parentheses too.
                line.all_marks(&mut marks);
            }
            if line.decide(&mut marks, repairs) {
                let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
                for mark in &marks {
                    if mark.now != mark.was {
                        out.push_str(&text[copied..mark.at]);
                        out.push(mark.now);
                        copied = mark.at + mark.was.len_utf8();
                    }
                }
            }
            marks.clear();
        }
        line_start = line_end + 1;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Does `bytes` hold one of the ASCII marks this step converts? Byte searches: in UTF-8 an
/// ASCII byte is always that ASCII character, never part of another one.
fn has_ascii_mark(bytes: &[u8]) -> bool {
    memchr::memchr3(b',', b':', b';', bytes).is_some()
        || memchr::memchr3(b'!', b'?', b'(', bytes).is_some()
        || memchr::memchr(b')', bytes).is_some()
}

/// [`BYTE_CLASS`]: an ASCII mark (`, : ; ! ?`).
const MARK: u8 = 8;
/// [`BYTE_CLASS`]: an ASCII parenthesis.
const PAREN: u8 = 9;

/// What each byte of a line is to [`Line::marks`]: [`MARK`], [`PAREN`], or else
/// how many bytes the character it starts has (1 for other ASCII; continuation bytes never
/// start a character of a `str` and say 1).
const BYTE_CLASS: [u8; 256] = {
    let mut table = [1u8; 256];
    let mut b = 0xC0;
    while b < 256 {
        table[b] = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        b += 1;
    }
    table[b',' as usize] = MARK;
    table[b':' as usize] = MARK;
    table[b';' as usize] = MARK;
    table[b'!' as usize] = MARK;
    table[b'?' as usize] = MARK;
    table[b'(' as usize] = PAREN;
    table[b')' as usize] = PAREN;
    table
};

/// A character of a line that may change or pair: an ASCII mark or parenthesis, or (on a
/// line with an ASCII parenthesis) a full-width one.
#[derive(Debug, Clone, Copy)]
struct Mark {
    /// Byte offset in the text.
    at: usize,
    /// The character in the text.
    was: char,
    /// The character after the decisions so far.
    now: char,
    /// Han characters on the line before this one (set by [`Line::all_marks`] only).
    han_before: usize,
    /// For an opening parenthesis with a matching closer: the closer's index in the marks.
    closer: Option<usize>,
}

impl Mark {
    fn ascii(at: usize, byte: u8) -> Mark {
        Mark::new(at, char::from(byte), 0)
    }

    fn new(at: usize, c: char, han_before: usize) -> Mark {
        Mark {
            at,
            was: c,
            now: c,
            han_before,
            closer: None,
        }
    }

    /// Byte offset just past the character.
    fn end(&self) -> usize {
        self.at + self.was.len_utf8()
    }
}

/// One line of the text: `text[start..end]`, without its `\n`.
struct Line<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl Line<'_> {
    /// Lists the ASCII marks and parentheses of the line in `marks`, stepping over whole
    /// characters (a CJK character is one step, not three); true when there is a parenthesis.
    fn marks(&self, marks: &mut Vec<Mark>) -> bool {
        let bytes = self.text.as_bytes();
        let mut has_paren = false;
        let mut at = self.start;
        while at < self.end {
            match BYTE_CLASS[usize::from(bytes[at])] {
                PAREN => {
                    has_paren = true;
                    marks.push(Mark::ascii(at, bytes[at]));
                    at += 1;
                }
                MARK => {
                    marks.push(Mark::ascii(at, bytes[at]));
                    at += 1;
                }
                step => at += usize::from(step),
            }
        }
        has_paren
    }

    /// Replaces `marks` by every mark and parenthesis of the line, ASCII and full width, each
    /// with the number of Han characters before it.
    fn all_marks(&self, marks: &mut Vec<Mark>) {
        marks.clear();
        let mut han = 0;
        for (i, c) in self.text[self.start..self.end].char_indices() {
            if matches!(c, ',' | ':' | ';' | '!' | '?' | '(' | ')' | '（' | '）') {
                marks.push(Mark::new(self.start + i, c, han));
            } else {
                han += usize::from(is_han(c));
            }
        }
    }

    /// Decides every mark of the line (`marks` in text order); true when one changes.
    fn decide(&self, marks: &mut [Mark], repairs: &mut Repairs) -> bool {
        let before = repairs.punctuation;
        match_parens(marks);
        // Left to right: pairs and marks that follow CJK, seeing the conversions made so far
        // (`好?!`, `中文,(AI)` convert in one go).
        for i in 0..marks.len() {
            let mark = marks[i];
            if let Some(close) = mark.closer {
                let convert = match (mark.now, marks[close].now) {
                    ('(', ')') => {
                        marks[close].han_before > mark.han_before
                            || self.last_non_space(marks, i).is_some_and(is_cjk)
                    }
                    ('（', '）') => false,
                    // Half converted already: finish the pair.
                    _ => true,
                };
                if convert {
                    for (j, full) in [(i, '（'), (close, '）')] {
                        if marks[j].now != full {
                            marks[j].now = full;
                            repairs.punctuation += 1;
                        }
                    }
                }
            } else if let Some(full) = full_width_mark(mark.now) {
                if self.last_non_space(marks, i).is_some_and(is_cjk) {
                    marks[i].now = full;
                    repairs.punctuation += 1;
                }
            }
        }
        // Right to left: marks directly before CJK, seeing conversions to their right (`??：`).
        // Nothing converted here can change a decision of the first sweep (a mark converted
        // here is directly followed by CJK, which that sweep already saw), so one round is a
        // fixed point and repairing again changes nothing.
        for i in (0..marks.len()).rev() {
            if let Some(full) = full_width_mark(marks[i].now) {
                if self.next_char(marks, i).is_some_and(is_cjk) {
                    marks[i].now = full;
                    repairs.punctuation += 1;
                }
            }
        }
        repairs.punctuation != before
    }

    /// The last character before mark `i` that is not a space or tab, as it stands now (a
    /// mark before it may have been converted): every character between two marks is as
    /// in the text.
    fn last_non_space(&self, marks: &[Mark], i: usize) -> Option<char> {
        let bytes = self.text.as_bytes();
        let mut end = marks[i].at;
        // A space is ASCII: a byte of its own.
        while end > self.start && is_space(char::from(bytes[end - 1])) {
            end -= 1;
        }
        if end == self.start {
            return None;
        }
        match i.checked_sub(1).map(|j| marks[j]) {
            Some(previous) if previous.end() == end => Some(previous.now),
            _ => self.text[self.start..end].chars().next_back(),
        }
    }

    /// The character right after mark `i` on the line, as it stands now.
    fn next_char(&self, marks: &[Mark], i: usize) -> Option<char> {
        let from = marks[i].end();
        match marks.get(i + 1) {
            Some(next) if next.at == from => Some(next.now),
            _ => self.text[from..self.end].chars().next(),
        }
    }
}

/// Sets [`Mark::closer`] for each opening parenthesis (`(` or `（`) with a matching closer.
fn match_parens(marks: &mut [Mark]) {
    let mut open_at: Vec<usize> = Vec::new();
    for i in 0..marks.len() {
        match marks[i].was {
            '(' | '（' => open_at.push(i),
            ')' | '）' => {
                if let Some(open) = open_at.pop() {
                    marks[open].closer = Some(i);
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

    /// The character-level definition [`convert`] implements: each line as a `Vec<char>`,
    /// swept left to right, then right to left.
    fn reference(text: &str) -> (String, usize) {
        let mut punctuation = 0;
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| reference_convert_line(line, &mut punctuation))
            .collect();
        (lines.join("\n"), punctuation)
    }

    fn reference_convert_line(line: &str, punctuation: &mut usize) -> String {
        let mut chars: Vec<char> = line.chars().collect();
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
        let mut han_before = vec![0];
        for &c in &chars {
            han_before.push(han_before.last().unwrap() + usize::from(is_han(c)));
        }
        let mut last_non_space: Option<char> = None;
        for at in 0..chars.len() {
            let c = chars[at];
            if let Some(close) = closer_of[at] {
                let convert = match (c, chars[close]) {
                    ('(', ')') => {
                        han_before[close] > han_before[at + 1] || last_non_space.is_some_and(is_cjk)
                    }
                    ('（', '）') => false,
                    _ => true,
                };
                if convert {
                    for (at, full) in [(at, '（'), (close, '）')] {
                        if chars[at] != full {
                            chars[at] = full;
                            *punctuation += 1;
                        }
                    }
                }
            } else if let Some(full) = full_width_mark(c) {
                if last_non_space.is_some_and(is_cjk) {
                    chars[at] = full;
                    *punctuation += 1;
                }
            }
            if !is_space(chars[at]) {
                last_non_space = Some(chars[at]);
            }
        }
        for at in (0..chars.len()).rev() {
            if let Some(full) = full_width_mark(chars[at]) {
                if chars.get(at + 1).copied().is_some_and(is_cjk) {
                    chars[at] = full;
                    *punctuation += 1;
                }
            }
        }
        chars.into_iter().collect()
    }

    /// Characters that matter to the rules, and some that do not.
    const ALPHABET: [char; 16] = [
        ',', '?', ':', '(', ')', '（', '）', ' ', '\t', '\n', '中', 'a', '1', '，', '“', 'é',
    ];

    fn check_against_reference(text: &str) {
        let mut repairs = Repairs::default();
        let fast = convert(text, &mut repairs);
        let (slow, count) = reference(text);
        assert_eq!(
            (fast.as_ref(), repairs.punctuation),
            (slow.as_str(), count),
            "{text:?}"
        );
        assert_eq!(matches!(fast, Cow::Borrowed(_)), count == 0, "{text:?}");
    }

    #[test]
    fn marks_agree_with_the_character_level_definition() {
        // Every string of up to four characters of the alphabet.
        let mut texts = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..4 {
            let mut longer = Vec::new();
            for text in &texts {
                for c in ALPHABET {
                    let mut t = text.clone();
                    t.push(c);
                    longer.push(t);
                }
            }
            all.extend(longer.iter().cloned());
            texts = longer;
        }
        for text in &all {
            check_against_reference(text);
        }
        // Longer generated lines (a fixed xorshift sequence), and the seed.
        let mut rng = crate::testing::XorShift::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            check_against_reference(&rng.text(&ALPHABET, 40));
        }
        let seed = include_str!("../../fixtures/seed/000_f764d41b789eb620.txt");
        check_against_reference(seed);
        for line in seed.lines() {
            check_against_reference(line);
        }
    }

    #[test]
    fn idempotent() {
        let once = run("據悉,系統(5G)健康?What? 1,000 (AI) 中文(a)").0;
        assert_eq!(run(&once), (once.clone(), 0));
    }
}
