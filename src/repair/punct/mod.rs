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

use super::chars::{is_cjk, is_space};
use crate::article::Repairs;
use crate::model::is_han;

/// Converts ASCII punctuation in Chinese context to full width; adds to `repairs`.
#[cfg(any(test, feature = "internals"))]
pub fn to_full_width(text: &str, repairs: &mut Repairs) -> String {
    convert(text, repairs).into_owned()
}

/// [`to_full_width`], borrowing `text` back when nothing changes (the pipeline's form).
///
/// Works on the *candidates* of each line, its ASCII marks and parentheses, rather than on
/// its characters: only a candidate can change, and every decision reads the character
/// before or after one, or (for a pair) whether a Han character lies between two
/// parentheses. So lines without a candidate are skipped after SIMD byte searches. On the
/// others one walk decides every candidate ([`Line::decide`]): a byte scan that stops at the
/// candidates (in UTF-8 an ASCII byte is always that ASCII character) and decodes the
/// characters next to one where needed, or, on a line with an ASCII parenthesis, a walk over
/// the characters, for the Han characters inside its pairs and its full-width parentheses
/// (which can pair with ASCII ones). A second byte scan writes the converted line.
///
/// Memory: the decisions take one bit per candidate ([`Converted`]), and a line with an
/// ASCII parenthesis at most three bytes per parenthesis besides ([`Buffers`]). Nothing is
/// kept per character or per mark: a line of ten million `:` costs 1.25 MB here, besides
/// the text written.
///
/// The rules are those of the character-level definition kept in the tests
/// (`reference_convert_line`), which `marks_agree_with_the_character_level_definition`
/// compares on generated lines.
pub(crate) fn convert<'a>(text: &'a str, repairs: &mut Repairs) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    if !has_candidate(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    // Text before `copied` is in `out` (once something has changed).
    let mut copied = 0;
    let mut buffers = Buffers::default();
    let mut line_start = 0;
    while line_start <= bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |at| line_start + at);
        // Most lines of simplified pages have no ASCII mark: SIMD searches say so.
        if has_candidate(&bytes[line_start..line_end]) {
            let line = Line {
                text,
                start: line_start,
                end: line_end,
            };
            line.decide(&mut buffers);
            let converted = &buffers.converted;
            let count = converted.count();
            if count > 0 {
                repairs.punctuation += count;
                let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
                for (k, at) in line.candidates().enumerate() {
                    if converted.get(k) {
                        out.push_str(&text[copied..at]);
                        out.push(full_width(bytes[at]));
                        copied = at + 1;
                    }
                }
            }
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

/// Does `bytes` hold a candidate, one of the ASCII marks or parentheses this step converts?
/// Byte searches: in UTF-8 an ASCII byte is always that ASCII character, never part of
/// another one.
fn has_candidate(bytes: &[u8]) -> bool {
    memchr::memchr3(b',', b':', b';', bytes).is_some()
        || memchr::memchr3(b'!', b'?', b'(', bytes).is_some()
        || memchr::memchr(b')', bytes).is_some()
}

const fn is_candidate(byte: u8) -> bool {
    matches!(byte, b',' | b':' | b';' | b'!' | b'?' | b'(' | b')')
}

/// [`BYTE_CLASS`]: a candidate.
const CANDIDATE: u8 = 0;

/// What each byte of a line is to [`Line::candidates`]: a [`CANDIDATE`], or else how many
/// bytes the character it starts has (1 for other ASCII; continuation bytes never start a
/// character of a `str` and say 1).
const BYTE_CLASS: [u8; 256] = {
    let mut table = [1u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xFF => 4,
            byte if is_candidate(byte) => CANDIDATE,
            _ => 1,
        };
        b += 1;
    }
    table
};

/// One bit per candidate of a line (in text order): does it become full width.
#[derive(Default)]
struct Converted {
    words: Vec<u64>,
}

impl Converted {
    fn clear(&mut self) {
        self.words.clear();
    }

    fn set(&mut self, k: usize) {
        let word = k / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << (k % 64);
    }

    fn get(&self, k: usize) -> bool {
        self.words
            .get(k / 64)
            .is_some_and(|word| word >> (k % 64) & 1 == 1)
    }

    /// How many candidates become full width.
    fn count(&self) -> usize {
        self.words
            .iter()
            .map(|word| word.count_ones() as usize)
            .sum()
    }
}

/// The matching closer of an opening parenthesis, as the first sweep needs it.
#[derive(Debug, Clone, Copy)]
struct Closer {
    /// `）` rather than `)`.
    full_width: bool,
    /// Is there a Han character between the two?
    han_inside: bool,
}

// Two bytes per opening parenthesis in `Buffers::closers`.
const _: () = assert!(std::mem::size_of::<Option<Closer>>() == 2);

/// Buffers of [`Line::decide`], reused from line to line.
#[derive(Default)]
struct Buffers {
    /// The decisions.
    converted: Converted,
    /// On a line with an ASCII parenthesis: each opening parenthesis's matching closer, last
    /// opener first, so that the first sweep pops them in its order ([`match_parens`]).
    closers: Vec<Option<Closer>>,
    /// [`match_parens`]'s closing parentheses not matched yet.
    unmatched: Vec<Closer>,
    /// The first sweep's pairs opened and not closed yet: does each convert.
    open_pairs: Vec<bool>,
}

/// One line of the text: `text[start..end]`, without its `\n`.
struct Line<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl Line<'_> {
    /// Byte offsets of the candidates of the line, in order: a scan that steps over whole
    /// characters (a CJK character is one step, not three).
    fn candidates(&self) -> impl Iterator<Item = usize> + '_ {
        let bytes = self.text.as_bytes();
        let mut at = self.start;
        std::iter::from_fn(move || {
            while at < self.end {
                let here = at;
                match BYTE_CLASS[usize::from(bytes[here])] {
                    CANDIDATE => {
                        at += 1;
                        return Some(here);
                    }
                    step => at += usize::from(step),
                }
            }
            None
        })
    }

    /// Decides every candidate of the line into `buffers.converted`.
    ///
    /// The definition sweeps the whole line twice: left to right for what follows CJK, then
    /// right to left for what precedes it. Here the second sweep runs on each run of adjacent
    /// candidates as soon as the first has passed it ([`Line::first_sweep_passed`]), so one
    /// walk does both. That decides the same: within a run the first sweep is done before the
    /// second starts, and a mark the second sweep converts is directly followed by CJK, so no
    /// later decision of the first sweep reads it (the character before a later candidate is
    /// then that CJK character or one after it).
    fn decide(&self, buffers: &mut Buffers) {
        buffers.converted.clear();
        let line = &self.text.as_bytes()[self.start..self.end];
        if memchr::memchr2(b'(', b')', line).is_some() {
            self.decide_with_parens(buffers);
        } else {
            self.decide_marks(&mut buffers.converted);
        }
    }

    /// [`Line::decide`] on a line without ASCII parentheses: the first sweep converts marks
    /// that follow CJK, seeing the conversions made so far (`好?!` converts in one go).
    fn decide_marks(&self, converted: &mut Converted) {
        let mut run = None;
        for (k, at) in self.candidates().enumerate() {
            if self.last_non_space(at, k, converted).is_some_and(is_cjk) {
                converted.set(k);
            }
            self.first_sweep_passed(at, k, &mut run, converted);
        }
    }

    /// [`Line::decide`] on a line with an ASCII parenthesis: the first sweep converts pairs
    /// and marks that follow CJK, seeing the conversions made so far (`中文,(AI)` converts in
    /// one go). Walks the characters, after [`match_parens`] has found each opener's closer.
    fn decide_with_parens(&self, buffers: &mut Buffers) {
        let line = &self.text[self.start..self.end];
        match_parens(line, &mut buffers.closers, &mut buffers.unmatched);
        let open_pairs = &mut buffers.open_pairs;
        open_pairs.clear();
        let converted = &mut buffers.converted;
        let mut last_non_space = None;
        let mut k = 0;
        let mut run = None;
        for (i, c) in line.char_indices() {
            let now = match c {
                '(' | '（' => match buffers.closers.pop().flatten() {
                    Some(closer) => {
                        let convert = match (c, closer.full_width) {
                            ('(', false) => closer.han_inside || last_non_space.is_some_and(is_cjk),
                            ('（', true) => false,
                            // Half converted already: finish the pair.
                            _ => true,
                        };
                        open_pairs.push(convert);
                        if convert {
                            '（'
                        } else {
                            c
                        }
                    }
                    None => c,
                },
                // A closer is matched when a pair is open (the last one opened is its own).
                ')' | '）' => match open_pairs.pop() {
                    Some(true) => '）',
                    _ => c,
                },
                _ => match full_width_mark(c) {
                    Some(full) if last_non_space.is_some_and(is_cjk) => full,
                    _ => c,
                },
            };
            if u8::try_from(c).is_ok_and(is_candidate) {
                if now != c {
                    converted.set(k);
                }
                self.first_sweep_passed(self.start + i, k, &mut run, converted);
                k += 1;
            }
            if !is_space(now) {
                last_non_space = Some(now);
            }
        }
    }

    /// Called by the first sweep once it has decided candidate `k`, at byte `at`; `run` holds
    /// the first candidate of the run of adjacent candidates it is in (byte, number). When
    /// `k` ends the run, the second sweep goes over it right to left: marks directly before
    /// CJK, seeing conversions to their right (`??：`). Nothing converted there can change a
    /// decision of the first sweep (a mark converted there is directly followed by CJK, which
    /// that sweep already saw), so one round is a fixed point and repairing again changes
    /// nothing.
    fn first_sweep_passed(
        &self,
        at: usize,
        k: usize,
        run: &mut Option<(usize, usize)>,
        converted: &mut Converted,
    ) {
        let (first, first_k) = *run.get_or_insert((at, k));
        let bytes = self.text.as_bytes();
        if at + 1 < self.end && is_candidate(bytes[at + 1]) {
            return;
        }
        *run = None;
        for at in (first..=at).rev() {
            let k = first_k + (at - first);
            if !converted.get(k)
                && full_width_mark(char::from(bytes[at])).is_some()
                && self.next_char(at, k, converted).is_some_and(is_cjk)
            {
                converted.set(k);
            }
        }
    }

    /// Candidate `k`, at byte `at`, as it stands now.
    fn now(&self, at: usize, k: usize, converted: &Converted) -> char {
        let byte = self.text.as_bytes()[at];
        if converted.get(k) {
            full_width(byte)
        } else {
            char::from(byte)
        }
    }

    /// The last character before candidate `k` (at byte `at`) that is not a space or tab, as
    /// it stands now: when it is a candidate, that is candidate `k - 1`.
    fn last_non_space(&self, at: usize, k: usize, converted: &Converted) -> Option<char> {
        let bytes = self.text.as_bytes();
        let mut end = at;
        // A space is ASCII: a byte of its own.
        while end > self.start && is_space(char::from(bytes[end - 1])) {
            end -= 1;
        }
        if end == self.start {
            None
        } else if is_candidate(bytes[end - 1]) {
            Some(self.now(end - 1, k - 1, converted))
        } else {
            self.text[self.start..end].chars().next_back()
        }
    }

    /// The character right after candidate `k` (at byte `at`) on the line, as it stands now:
    /// when it is a candidate, that is candidate `k + 1`.
    fn next_char(&self, at: usize, k: usize, converted: &Converted) -> Option<char> {
        let next = at + 1;
        if next < self.end && is_candidate(self.text.as_bytes()[next]) {
            Some(self.now(next, k + 1, converted))
        } else {
            self.text[next..self.end].chars().next()
        }
    }
}

/// Finds the matching closer of each opening parenthesis (`(` or `（`) of `line`, pushing
/// into `closers` one entry per opener, from the last opener to the first (`None` for an
/// opener without a matching closer).
///
/// Walks right to left with the closers not matched yet on a stack (`unmatched`): an opener
/// matches the last closer pushed. That pairs the same parentheses as the usual walk left
/// to right (a pair is an opener and a closer with a balanced text between them, whichever
/// way one reads), and it gives the first sweep what it needs at an opener, before it
/// reaches the closer. A Han character marks the innermost pair around it; a pair with
/// one inside marks the pair around it in turn when it is matched.
fn match_parens(line: &str, closers: &mut Vec<Option<Closer>>, unmatched: &mut Vec<Closer>) {
    closers.clear();
    unmatched.clear();
    for c in line.chars().rev() {
        match c {
            ')' | '）' => unmatched.push(Closer {
                full_width: c == '）',
                han_inside: false,
            }),
            '(' | '（' => {
                let closer = unmatched.pop();
                if closer.is_some_and(|closer| closer.han_inside) {
                    if let Some(outer) = unmatched.last_mut() {
                        outer.han_inside = true;
                    }
                }
                closers.push(closer);
            }
            c if is_han(c) => {
                if let Some(inner) = unmatched.last_mut() {
                    inner.han_inside = true;
                }
            }
            _ => {}
        }
    }
}

/// The full-width form of a candidate.
fn full_width(candidate: u8) -> char {
    match candidate {
        b'(' => '（',
        b')' => '）',
        mark => full_width_mark(char::from(mark)).unwrap_or(char::from(mark)),
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
        let seed = include_str!("../../../fixtures/seed/000_f764d41b789eb620.txt");
        check_against_reference(seed);
        for line in seed.lines() {
            check_against_reference(line);
        }
    }

    /// A line of runs, each one character of [`ALPHABET`] (but `\n`) repeated up to 12
    /// times: long stretches of adjacent marks, of spaces and of nested parentheses, where a
    /// sweep that reads the wrong neighbour or pairs the wrong parentheses shows.
    fn line_of_runs(rng: &mut crate::testing::XorShift, max_runs: u64) -> String {
        let mut line = String::new();
        for _ in 0..rng.next_u64() % max_runs {
            // Half the runs are of a mark, a parenthesis or a space (the alphabet's first nine).
            let c = match rng.next_u64() % 2 {
                0 => *rng.pick(&ALPHABET[..9]),
                _ => *rng.pick(&ALPHABET),
            };
            for _ in 0..=rng.next_u64() % 12 {
                line.push(if c == '\n' { '中' } else { c });
            }
        }
        line
    }

    #[test]
    fn long_lines_agree_with_the_character_level_definition() {
        let mut rng = crate::testing::XorShift::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..3_000 {
            check_against_reference(&line_of_runs(&mut rng, 200));
        }
        // Runs longer than a word of decisions (64 candidates), and deep nesting.
        let long_runs = [
            format!("中{}中", ":".repeat(1000)),
            format!("a{}中", ":".repeat(1000)),
            format!("中{}a", ", ".repeat(1000)),
            format!("{}中{}", "(".repeat(1000), ")".repeat(1000)),
            format!("中{}a{}", "(".repeat(1000), ")".repeat(999)),
            format!("a{}a{}", "(".repeat(999), ")".repeat(1000)),
            format!("a{}", "(:".repeat(1000)),
            format!("中{}", "(:".repeat(1000)),
            format!("{}中", ":)".repeat(1000)),
            format!("{}中{}", "（(".repeat(500), ")）".repeat(500)),
        ];
        for text in &long_runs {
            check_against_reference(text);
        }
    }

    #[test]
    fn idempotent() {
        let once = run("據悉,系統(5G)健康?What? 1,000 (AI) 中文(a)").0;
        assert_eq!(run(&once), (once.clone(), 0));
    }
}
