//! The derivation: a pattern's regex-syntax tree reduced to the necessary conditions the
//! prefilter checks (the literal groups every match contains, the characters a match can
//! start and end with). Each case says why its claim holds for every match.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// A class of at most this many characters becomes that many one-character literals.
const CLASS_LIMIT: u32 = 8;

/// Concatenated small pieces are multiplied out to at most this many strings.
const PRODUCT_LIMIT: usize = 64;

/// At most this many requirement groups are tracked (more are dropped, which only weakens
/// the filter).
pub(super) const MAX_GROUPS: usize = 128;

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

/// Derives [`Info`] for a node. Each case states why its claim holds for every match (one
/// `match` over the node kinds, about 150 lines: the cases read best side by side):
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

pub(super) fn requirements_of(hir: &Hir) -> Vec<Vec<String>> {
    let i = info(hir);
    let mut groups = i.groups;
    groups.extend(as_group(&i.exact));
    groups.retain(|g| !g.is_empty() && g.iter().all(|s| !s.is_empty()));
    groups
}

/// The characters a non-empty match of `hir` can begin (`rev`: end) with, and whether it can
/// match the empty string. Each case holds for every match:
pub(super) fn edge(hir: &Hir, rev: bool) -> (ClassUnicode, bool) {
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
pub(super) fn anchored_edge(hir: &Hir, rev: bool) -> Option<ClassUnicode> {
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
