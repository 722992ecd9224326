//! The walk that decides, for one line, which candidates become full width
//! ([`Line::decide`]): one bit per candidate ([`Converted`]), the byte scan over the
//! candidates ([`Line::candidates`]), and on a line with an ASCII parenthesis the matching of
//! pairs ([`match_parens`]). The rules it implements are the module's (`super`); the tests
//! compare it with their character-level definition.

use super::{full_width, full_width_mark, is_candidate};
use crate::model::is_han;
use crate::repair::chars::{is_cjk, is_space};

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
pub(super) struct Converted {
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

    pub(super) fn get(&self, k: usize) -> bool {
        self.words
            .get(k / 64)
            .is_some_and(|word| word >> (k % 64) & 1 == 1)
    }

    /// How many candidates become full width.
    pub(super) fn count(&self) -> usize {
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
pub(super) struct Buffers {
    /// The decisions.
    pub(super) converted: Converted,
    /// On a line with an ASCII parenthesis: each opening parenthesis's matching closer, last
    /// opener first, so that the first sweep pops them in its order ([`match_parens`]).
    closers: Vec<Option<Closer>>,
    /// [`match_parens`]'s closing parentheses not matched yet.
    unmatched: Vec<Closer>,
    /// The first sweep's pairs opened and not closed yet: does each convert.
    open_pairs: Vec<bool>,
}

/// One line of the text: `text[start..end]`, without its `\n`.
pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Line<'_> {
    /// Byte offsets of the candidates of the line, in order: a scan that steps over whole
    /// characters (a CJK character is one step, not three).
    pub(super) fn candidates(&self) -> impl Iterator<Item = usize> + '_ {
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
    pub(super) fn decide(&self, buffers: &mut Buffers) {
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
