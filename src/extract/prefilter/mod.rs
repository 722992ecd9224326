//! Prefilter of the extract stage, derived from the patterns of [`super::rules`].
//!
//! Nearly every line of a page is body text that no rule matches, yet finding that out by
//! running every rule's regex over it costs a regex call (several hundred instructions even
//! when the regex fails at once) or a scan of the line, per rule and line. Instead, each
//! pattern is parsed (by `regex-syntax`, the parser of the `regex` crate itself, with the same
//! default flags) and reduced to cheap necessary conditions:
//!
//! * *edges*: a pattern anchored at the start (`^…`) matches only lines whose first character
//!   can begin a match, and likewise at the end (`…$`) for the last character. Two table
//!   look-ups per line.
//! * *requirements*: groups of literal strings such that every match of the pattern contains
//!   at least one string of each group (`来源|作者|…` and `:|：` for a metadata line). One
//!   pass over the line finds which groups occur in it.
//!
//! A pattern whose conditions a line fails cannot match it, and its regex is skipped.
//!
//! Nothing is written twice: the conditions come out of the patterns, so editing a rule
//! updates its prefilter. The derivation only ever claims what holds for every match, and
//! where it cannot tell (a large class such as `\p{Han}` or `\s`, an optional or repeated
//! piece, a construct it does not know) it claims nothing, which leaves the regex to decide.
//! So "cannot match" is exact, and "may match" is settled by the regex. The tests
//! of [`super::rules`] compare the classification with and without the prefilter.
//!
//! ```
//! use zhclean::internals::extract::prefilter::Prefilter;
//! let p = Prefilter::new(&[r"^来源\s*[:：]", r"\d+"]);
//! let possible = p.scan("据悉，消息来源不明。");
//! assert!(!possible.may_match(0)); // no `:` or `：`
//! assert!(possible.may_match(1)); // `\d+` has no literal requirement
//! ```
//!
//! Files: this one checks lines ([`Prefilter::scan`]); `derive.rs` derives the conditions
//! from the patterns.

use regex_syntax::hir::{ClassUnicode, Hir};

#[cfg(any(test, feature = "internals"))]
pub use derive::requirements;
use derive::{anchored_edge, requirements_of, MAX_GROUPS};

mod derive;

/// At most this many patterns are filtered; later ones always "may match".
const MAX_PATTERNS: usize = 64;

/// Which of the patterns given to [`Prefilter::new`] may match a line (by their index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Possible(u64);

impl Possible {
    /// Every pattern may match.
    pub const ALL: Possible = Possible(u64::MAX);

    /// Whether pattern `i` may match; `false` means it certainly does not.
    pub fn may_match(self, i: usize) -> bool {
        i >= MAX_PATTERNS || self.0 & (1 << i) != 0
    }

    /// Only the patterns `keep` says may match stay possible.
    pub fn filter(self, mut keep: impl FnMut(usize) -> bool) -> Possible {
        let mut bits = self.0;
        for i in 0..MAX_PATTERNS {
            if bits & (1 << i) != 0 && !keep(i) {
                bits &= !(1 << i);
            }
        }
        Possible(bits)
    }
}

/// For the first or last character of a line: which patterns it allows (bit per pattern).
#[derive(Debug, Clone)]
struct EdgeTable {
    /// Per character below U+10000: index in `masks`.
    bmp: Box<[u8; 0x10000]>,
    /// The distinct masks; `masks[0]` allows every pattern.
    masks: Vec<u64>,
    /// Per anchored pattern: its bit and its edge characters (for characters above U+FFFF).
    classes: Vec<(u64, ClassUnicode)>,
}

impl EdgeTable {
    fn new(edges: &[Option<ClassUnicode>]) -> EdgeTable {
        let mut per_char = vec![u64::MAX; 0x10000];
        let mut classes = Vec::new();
        for (i, edge) in edges.iter().enumerate().take(MAX_PATTERNS) {
            let Some(class) = edge else { continue };
            let bit = 1u64 << i;
            for m in per_char.iter_mut() {
                *m &= !bit;
            }
            for r in class.ranges() {
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()).min(0xFFFF));
                for c in lo..=hi {
                    per_char[c as usize] |= bit;
                }
            }
            classes.push((bit, class.clone()));
        }
        let mut t = EdgeTable {
            bmp: Box::new([0; 0x10000]),
            masks: vec![u64::MAX],
            classes,
        };
        for (c, m) in per_char.into_iter().enumerate() {
            let k = match t.masks.iter().position(|&x| x == m) {
                Some(k) => k,
                // Out of room (never with a few dozen patterns): allow everything, which only
                // weakens the filter.
                None if t.masks.len() > usize::from(u8::MAX) => 0,
                None => {
                    t.masks.push(m);
                    t.masks.len() - 1
                }
            };
            t.bmp[c] = u8::try_from(k).unwrap_or(0);
        }
        t
    }

    /// The patterns a line with this first (last) character may match.
    fn allows(&self, c: char) -> u64 {
        match u16::try_from(u32::from(c)) {
            Ok(k) => self.masks[usize::from(self.bmp[usize::from(k)])],
            Err(_) => {
                let mut m = u64::MAX;
                for (bit, class) in &self.classes {
                    if !class
                        .ranges()
                        .iter()
                        .any(|r| r.start() <= c && c <= r.end())
                    {
                        m &= !bit;
                    }
                }
                m
            }
        }
    }
}

/// The literals that begin with one character, each with the groups it belongs to.
type Starting = Vec<(Box<str>, u128)>;

/// The compiled prefilter of a list of patterns. Build once, share freely.
///
/// Three tests, each exact (a pattern it rules out cannot match):
/// * a pattern anchored at the start of the line (`^…`) can only match a line whose first
///   character can begin a match (`^[（(]\s*记者` needs `（`, `(` or a space first);
/// * likewise at the end (`…$`) for the last character;
/// * every requirement group needs one of its literals somewhere in the line. The literals
///   are searched for all at once (Aho-Corasick over their first two characters, which
///   vectorises), and where one of those begins every literal beginning with that character
///   is compared.
#[derive(Debug, Clone)]
pub struct Prefilter {
    first: EdgeTable,
    last: EdgeTable,
    /// For each character below U+10000: 1 + its index in `starting`, or 0 if no literal
    /// begins with it.
    bmp: Box<[u8; 0x10000]>,
    /// Literals beginning with a character above U+FFFF, by that character.
    astral: Vec<(char, usize)>,
    /// Per first character: the rest of each literal beginning with it, and its groups.
    starting: Vec<Starting>,
    /// Per entry of `starting`: the union of its literals' groups (a character whose
    /// literals no wanted group has is passed over).
    starting_groups: Vec<u128>,
    /// For each pattern: the groups it needs (bit per group).
    needs: Vec<u128>,
    /// The patterns that need some group (bit per pattern).
    needy: u64,
}

impl Prefilter {
    /// Derives the requirements of `patterns` and compiles them.
    ///
    /// Panics only if the literals cannot be compiled, which the tests rule out.
    pub fn new(patterns: &[&str]) -> Prefilter {
        let hirs: Vec<Option<Hir>> = patterns
            .iter()
            .take(MAX_PATTERNS)
            .map(|p| regex_syntax::Parser::new().parse(p).ok())
            .collect();
        let edges = |rev: bool| -> Vec<Option<ClassUnicode>> {
            hirs.iter()
                .map(|h| h.as_ref().and_then(|h| anchored_edge(h, rev)))
                .collect()
        };
        let mut p = Prefilter {
            first: EdgeTable::new(&edges(false)),
            last: EdgeTable::new(&edges(true)),
            bmp: Box::new([0; 0x10000]),
            astral: Vec::new(),
            starting: Vec::new(),
            starting_groups: Vec::new(),
            needs: Vec::new(),
            needy: 0,
        };
        let mut next = 0usize;
        for (i, hir) in hirs.iter().enumerate() {
            let mut need = 0u128;
            let groups = hir.as_ref().map(requirements_of).unwrap_or_default();
            for group in groups {
                if next == MAX_GROUPS || !group.iter().all(|lit| p.can_index(lit)) {
                    continue;
                }
                let bit = 1u128 << next;
                next += 1;
                need |= bit;
                for lit in &group {
                    p.index(lit, bit);
                }
            }
            if need != 0 {
                p.needy |= 1 << i;
            }
            p.needs.push(need);
        }
        p
    }

    /// Whether `lit` can be added (the table of first characters has room for it).
    fn can_index(&self, lit: &str) -> bool {
        lit.chars()
            .next()
            .is_some_and(|c| self.slot(c).is_some() || self.starting.len() < usize::from(u8::MAX))
    }

    /// Index in `starting` of the literals beginning with `c`.
    fn slot(&self, c: char) -> Option<usize> {
        match u16::try_from(u32::from(c)) {
            Ok(k) => self.bmp[usize::from(k)].checked_sub(1).map(usize::from),
            Err(_) => self.astral.iter().find(|(a, _)| *a == c).map(|(_, i)| *i),
        }
    }

    fn index(&mut self, lit: &str, bit: u128) {
        let mut chars = lit.chars();
        let Some(first) = chars.next() else { return };
        let rest = chars.as_str();
        let slot = match self.slot(first) {
            Some(s) => s,
            None => {
                let s = self.starting.len();
                self.starting.push(Vec::new());
                self.starting_groups.push(0);
                match u16::try_from(u32::from(first)) {
                    // `can_index` keeps `s + 1` within a u8.
                    Ok(k) => self.bmp[usize::from(k)] = u8::try_from(s + 1).unwrap_or(0),
                    Err(_) => self.astral.push((first, s)),
                }
                s
            }
        };
        if let Some(g) = self.starting_groups.get_mut(slot) {
            *g |= bit;
        }
        let list = &mut self.starting[slot];
        match list.iter_mut().find(|(r, _)| **r == *rest) {
            Some((_, groups)) => *groups |= bit,
            None => list.push((rest.into(), bit)),
        }
    }

    /// Which patterns may match `line`.
    #[cfg(any(test, feature = "internals"))]
    pub fn scan(&self, line: &str) -> Possible {
        self.scan_among(line, Possible::ALL)
    }

    /// Which of the patterns `among` allows may match `line` (the others are left out
    /// without a look: the caller knows they cannot match, e.g. by the line's length).
    pub fn scan_among(&self, line: &str, among: Possible) -> Possible {
        let mut possible = among.0;
        let mut chars = line.chars();
        if let Some(c) = chars.next() {
            possible &= self.first.allows(c);
        }
        if let Some(c) = chars.next_back().or(line.chars().next()) {
            possible &= self.last.allows(c);
        }
        if possible & self.needy == 0 {
            return Possible(possible);
        }
        // Only the possible patterns that need some group: one bit at a time.
        let needing = |possible: u64| {
            let mut bits = possible & self.needy;
            std::iter::from_fn(move || {
                let i = bits.trailing_zeros() as usize;
                bits &= bits.wrapping_sub(1);
                self.needs.get(i).map(|need| (i, *need))
            })
        };
        let wanted = needing(possible).fold(0u128, |w, (_, need)| w | need);
        let hits = self.literals(line, wanted);
        for (i, need) in needing(possible) {
            if hits & need != need {
                possible &= !(1 << i);
            }
        }
        Possible(possible)
    }

    /// The groups (bit per group) with a literal in `line`; stops once all of `wanted` are.
    fn literals(&self, line: &str, wanted: u128) -> u128 {
        let mut hits = 0u128;
        let bytes = line.as_bytes();
        let bmp: &[u8; 0x10000] = &self.bmp;
        let mut rest = bytes;
        // One table look-up per character; the characters are decoded by hand, with a fast
        // path for the three-byte ones (all of Chinese), as this loop visits every character
        // of nearly every line and `chars()` costs about twice as much.
        loop {
            let (slot, more) = match rest {
                [] => break,
                // (The slice patterns leave no index to check: `more` is the rest.)
                [b, c, d, more @ ..] if b & 0xF0 == 0xE0 => {
                    let code = (usize::from(b & 0x0F) << 12)
                        | (usize::from(c & 0x3F) << 6)
                        | usize::from(d & 0x3F);
                    (bmp[code], more)
                }
                [b, more @ ..] if *b < 0x80 => (bmp[usize::from(*b)], more),
                _ => {
                    let at = bytes.len() - rest.len();
                    let Some(c) = line.get(at..).and_then(|r| r.chars().next()) else {
                        break;
                    };
                    let slot = self.slot(c).map_or(0, |s| u8::try_from(s + 1).unwrap_or(0));
                    (slot, rest.get(c.len_utf8()..).unwrap_or_default())
                }
            };
            rest = more;
            if slot == 0 {
                continue;
            }
            // Where a literal's first character is, compare every literal beginning with it
            // (unless none of them is wanted: rules the line's length rules out).
            if self.starting_groups[usize::from(slot - 1)] & wanted == 0 {
                continue;
            }
            let after = rest;
            for (tail, groups) in &self.starting[usize::from(slot - 1)] {
                // (Byte by byte: most comparisons fail within a byte or two, sooner than a
                // call to `memcmp` returns.)
                if tail.len() <= after.len() && tail.bytes().zip(after).all(|(t, a)| t == *a) {
                    hits |= groups;
                }
            }
            if hits & wanted == wanted {
                break;
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests;
