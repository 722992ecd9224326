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
//! So "cannot match" is exact, and "may match" is settled by the regex as before. The tests
//! of [`super::rules`] compare the classification with and without the prefilter.
//!
//! ```
//! use zhclean::internals::extract::prefilter::Prefilter;
//! let p = Prefilter::new(&[r"^来源\s*[:：]", r"\d+"]);
//! let possible = p.scan("据悉，消息来源不明。");
//! assert!(!possible.may_match(0)); // no `:` or `：`
//! assert!(possible.may_match(1)); // `\d+` has no literal requirement
//! ```

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// A class of at most this many characters becomes that many one-character literals.
const CLASS_LIMIT: u32 = 8;
/// Concatenated small pieces are multiplied out to at most this many strings.
const PRODUCT_LIMIT: usize = 64;
/// At most this many requirement groups are tracked (more are dropped, which only weakens
/// the filter).
const MAX_GROUPS: usize = 128;
/// At most this many patterns are filtered; later ones always "may match".
const MAX_PATTERNS: usize = 64;

/// What is known about the strings a regex node matches.
#[derive(Debug, Default)]
struct Info {
    /// All the strings the node can match, when they are few (`None`: many or unknown).
    exact: Option<Vec<String>>,
    /// Requirement groups: every match of the node contains a string of each group.
    groups: Vec<Vec<String>>,
}

/// `exact` as a requirement group, unless it holds the empty string (always present).
fn as_group(exact: &Option<Vec<String>>) -> Option<Vec<String>> {
    exact
        .as_ref()
        .filter(|e| !e.is_empty() && e.iter().all(|s| !s.is_empty()))
        .cloned()
}

/// Every concatenation of a string of `a` with one of `b`, if there are few.
fn product(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() * b.len() > PRODUCT_LIMIT {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let s = format!("{x}{y}");
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    Some(out)
}

/// The more selective of two groups: longer shortest literal first, then fewer literals.
fn better(a: &[String], b: &[String]) -> bool {
    let shortest = |g: &[String]| g.iter().map(|s| s.chars().count()).min().unwrap_or(0);
    (shortest(a), std::cmp::Reverse(a.len())) > (shortest(b), std::cmp::Reverse(b.len()))
}

/// Derives [`Info`] for a node. Each case states why its claim holds for every match:
fn info(hir: &Hir) -> Info {
    match hir.kind() {
        // Matches the empty string only (a look-around consumes nothing).
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(vec![String::new()]),
            groups: Vec::new(),
        },
        // Matches exactly these bytes.
        HirKind::Literal(lit) => Info {
            exact: std::str::from_utf8(&lit.0)
                .ok()
                .map(|s| vec![s.to_string()]),
            groups: Vec::new(),
        },
        // Matches exactly one of the class's characters (bytes classes: ASCII ones only).
        HirKind::Class(Class::Unicode(c)) => {
            let size: u32 = c
                .ranges()
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                .sum();
            let exact = (size <= CLASS_LIMIT).then(|| {
                c.ranges()
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(String::from)
                    .collect()
            });
            Info {
                exact,
                groups: Vec::new(),
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            let size: u32 = c
                .ranges()
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                .sum();
            let ascii = c.ranges().iter().all(|r| r.end().is_ascii());
            let exact = (ascii && size <= CLASS_LIMIT).then(|| {
                c.ranges()
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|b| char::from(b).to_string())
                    .collect()
            });
            Info {
                exact,
                groups: Vec::new(),
            }
        }
        // At least one repetition of the sub-node occurs in every match, so the sub-node's
        // requirements hold; with zero repetitions allowed, nothing is required.
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                return Info::default();
            }
            let sub = info(&rep.sub);
            let mut groups = sub.groups;
            let exact = if rep.min == 1 && rep.max == Some(1) {
                sub.exact
            } else {
                groups.extend(as_group(&sub.exact));
                None
            };
            Info { exact, groups }
        }
        HirKind::Capture(cap) => info(&cap.sub),
        // A match is the sub-matches one after the other: each sub-node's requirements hold,
        // and a run of consecutive sub-nodes with known strings matches one of their products
        // (a contiguous piece of the match).
        HirKind::Concat(subs) => {
            let mut groups = Vec::new();
            let mut run = vec![String::new()];
            let mut whole = true;
            for sub in subs {
                let s = info(sub);
                groups.extend(s.groups);
                match s.exact {
                    Some(e) => match product(&run, &e) {
                        Some(p) => run = p,
                        None => {
                            groups.extend(as_group(&Some(std::mem::replace(&mut run, e))));
                            whole = false;
                        }
                    },
                    None => {
                        groups.extend(as_group(&Some(std::mem::take(&mut run))));
                        run = vec![String::new()];
                        whole = false;
                    }
                }
            }
            if whole {
                Info {
                    exact: Some(run),
                    groups,
                }
            } else {
                groups.extend(as_group(&Some(run)));
                Info {
                    exact: None,
                    groups,
                }
            }
        }
        // A match is a match of one branch: it contains a string of that branch's group, so
        // of the union of one group chosen per branch (nothing, if some branch has none).
        HirKind::Alternation(subs) => {
            let infos: Vec<Info> = subs.iter().map(info).collect();
            let mut exact: Option<Vec<String>> = Some(Vec::new());
            for i in &infos {
                exact = match (exact, &i.exact) {
                    (Some(mut all), Some(e)) if all.len() + e.len() <= PRODUCT_LIMIT => {
                        for s in e {
                            if !all.contains(s) {
                                all.push(s.clone());
                            }
                        }
                        Some(all)
                    }
                    _ => None,
                };
            }
            if exact.is_some() {
                return Info {
                    exact,
                    groups: Vec::new(),
                };
            }
            let mut union: Vec<String> = Vec::new();
            for i in infos {
                let best = i
                    .groups
                    .into_iter()
                    .chain(as_group(&i.exact))
                    .reduce(|a, b| if better(&b, &a) { b } else { a });
                let Some(best) = best else {
                    return Info::default();
                };
                for s in best {
                    if !union.contains(&s) {
                        union.push(s);
                    }
                }
            }
            Info {
                exact: None,
                groups: vec![union],
            }
        }
    }
}

/// The requirement groups of one pattern (empty if it does not parse, or nothing is known).
#[cfg(any(test, feature = "internals"))]
pub fn requirements(pattern: &str) -> Vec<Vec<String>> {
    let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
        return Vec::new();
    };
    requirements_of(&hir)
}

fn requirements_of(hir: &Hir) -> Vec<Vec<String>> {
    let i = info(hir);
    let mut groups = i.groups;
    groups.extend(as_group(&i.exact));
    groups.retain(|g| !g.is_empty() && g.iter().all(|s| !s.is_empty()));
    groups
}

/// The characters a non-empty match of `hir` can begin (`rev`: end) with, and whether it can
/// match the empty string. Each case holds for every match:
fn edge(hir: &Hir, rev: bool) -> (ClassUnicode, bool) {
    let any = || ClassUnicode::new([ClassUnicodeRange::new('\0', char::MAX)]);
    match hir.kind() {
        // Consume nothing.
        HirKind::Empty | HirKind::Look(_) => (ClassUnicode::empty(), true),
        // Its first (last) character; the bytes are UTF-8 in the default (Unicode) mode.
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                let c = if rev {
                    s.chars().next_back()
                } else {
                    s.chars().next()
                };
                match c {
                    Some(c) => (ClassUnicode::new([ClassUnicodeRange::new(c, c)]), false),
                    None => (ClassUnicode::empty(), true),
                }
            }
            Err(_) => (any(), false),
        },
        // One character of the class.
        HirKind::Class(Class::Unicode(c)) => (c.clone(), false),
        HirKind::Class(Class::Bytes(_)) => (any(), false),
        // The sub-node's edge; empty if it may repeat zero times.
        HirKind::Repetition(rep) => {
            let (set, empty) = edge(&rep.sub, rev);
            (set, empty || rep.min == 0)
        }
        HirKind::Capture(cap) => edge(&cap.sub, rev),
        // The first (last) piece's edge, and the next one's while the pieces so far can be
        // empty.
        HirKind::Concat(subs) => {
            let mut set = ClassUnicode::empty();
            let mut iter: Box<dyn Iterator<Item = &Hir>> = if rev {
                Box::new(subs.iter().rev())
            } else {
                Box::new(subs.iter())
            };
            loop {
                let Some(sub) = iter.next() else {
                    return (set, true);
                };
                let (s, empty) = edge(sub, rev);
                set.union(&s);
                if !empty {
                    return (set, false);
                }
            }
        }
        // Any branch's edge.
        HirKind::Alternation(subs) => {
            let mut set = ClassUnicode::empty();
            let mut empty = false;
            for sub in subs {
                let (s, e) = edge(sub, rev);
                set.union(&s);
                empty |= e;
            }
            (set, empty)
        }
    }
}

/// The characters every match of a pattern anchored at the start (`^`) of the line begins
/// with, i.e. the line's first character; `None` if the pattern is not anchored there or can
/// match the empty string. With `rev`, the same for the end (`$`) and the last character.
fn anchored_edge(hir: &Hir, rev: bool) -> Option<ClassUnicode> {
    let looks = if rev {
        hir.properties().look_set_suffix()
    } else {
        hir.properties().look_set_prefix()
    };
    let anchor = if rev { Look::End } else { Look::Start };
    if !looks.contains(anchor) {
        return None;
    }
    let (set, empty) = edge(hir, rev);
    (!empty).then_some(set)
}

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
mod tests {
    use super::*;

    /// The requirement groups of `p`, each sorted.
    fn req(p: &str) -> Vec<Vec<String>> {
        let mut groups = requirements(p);
        for g in &mut groups {
            g.sort();
        }
        groups
    }

    #[test]
    fn derived_requirements() {
        assert_eq!(req("来源"), [["来源"]]);
        assert_eq!(req(r"^来源\s*[:：]"), [vec!["来源"], vec![":", "："]]);
        assert_eq!(req(r"(?:甲|乙)丙"), [["乙丙", "甲丙"]]);
        assert_eq!(req(r"乙\d+|甲"), [["乙", "甲"]]);
        // A branch with nothing known makes the whole alternation unknown.
        assert!(req(r"甲|\d").is_empty());
        assert!(req(r"(?:甲)?\s*").is_empty());
        assert!(req(r"\p{Han}{2,4}").is_empty());
        // Case-insensitive letters are small classes.
        assert_eq!(req(r"(?i:ab)"), [["AB", "Ab", "aB", "ab"]]);
        // A repetition of at least one keeps its requirement.
        assert_eq!(req(r"(?:ab){2,}"), [["ab"]]);
    }

    #[test]
    fn scan_says_which_may_match() {
        let p = Prefilter::new(&[r"^来源\s*[:：]", r"\d+", "凡本(?:网|網)注明"]);
        let s = p.scan("来源：新华社");
        assert!(s.may_match(0) && s.may_match(1) && !s.may_match(2));
        let s = p.scan("凡本網注明");
        assert!(!s.may_match(0) && s.may_match(2));
        assert!(s.may_match(64));
        // Overlapping literals are all found.
        let p = Prefilter::new(&["abc", "bcd"]);
        let s = p.scan("abcd");
        assert!(s.may_match(0) && s.may_match(1));
    }

    #[test]
    fn anchored_patterns_need_their_edge_characters() {
        let p = Prefilter::new(&[
            r"^[（(]\s*\p{Han}+",
            r"\p{Han}+[）)]$",
            r"^\s*$",
            r"^(?:甲)?乙",
        ]);
        let s = p.scan("（张三");
        assert!(s.may_match(0) && !s.may_match(1));
        let s = p.scan("张三）");
        assert!(!s.may_match(0) && s.may_match(1));
        // A pattern that can match the empty string says nothing about the edges.
        assert!(p.scan("正文").may_match(2));
        // An optional piece lets the next one begin the match.
        assert!(p.scan("乙丙").may_match(3) && p.scan("甲乙").may_match(3));
        assert!(!p.scan("丙乙").may_match(3));
        // Characters above U+FFFF take the slow path.
        assert!(!p.scan("😀张三）").may_match(0));
        let p = Prefilter::new(&["^😀", "😀$"]);
        assert!(p.scan("😀a").may_match(0) && !p.scan("😀a").may_match(1));
    }

    /// Every literal the scan looks for is found wherever it is: at the start, at the end,
    /// after or inside another one, after characters of every width.
    #[test]
    fn literals_found_anywhere() {
        let p = Prefilter::new(&["凡本网", "网注", "©", "ab", "😀x"]);
        for (line, want) in [
            ("凡本网注明", [true, true, false, false, false]),
            ("é凡本网", [true, false, false, false, false]),
            ("x©", [false, false, true, false, false]),
            ("中ab", [false, false, false, true, false]),
            ("😀😀x", [false, false, false, false, true]),
            ("网", [false, false, false, false, false]),
        ] {
            let s = p.scan(line);
            let got: Vec<bool> = (0..5).map(|i| s.may_match(i)).collect();
            assert_eq!(got, want, "{line}");
        }
    }
}
