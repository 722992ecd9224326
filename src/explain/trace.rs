//! Repairs as spans: the repair stage's input cut into pieces, each with what it became and
//! which steps changed it.
//!
//! [`crate::repair::Repairer::repair_traced`] gives the whole text after each step. Each
//! step's text is diffed (Myers, per character, the `similar` crate) against the text before
//! it, and every changed stretch is mapped back onto the pieces of the original it came from:
//! the pieces it touches merge into one, whose `after` is the new text and whose `kinds` gain
//! the step. So `據(jù)` becomes two pieces, `據` → `据` (to_simplified) and `(jù)` → ``
//! (pinyin), and a byte-shift span that T→S then converts is one piece with both kinds.
//!
//! Invariants (tested): the `before`s of all pieces concatenate to the input, the `after`s to
//! the repaired text.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp};

use crate::repair::{Step, StepKind};

/// One piece of the text: unchanged (`kinds` empty, `before == after`) or repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text as it came into the repair stage.
    pub before: String,
    /// What it became.
    pub after: String,
    /// The steps that changed it, in order, each once.
    pub kinds: Vec<StepKind>,
}

impl Piece {
    /// Whether a repair step changed this piece.
    pub fn is_repair(&self) -> bool {
        !self.kinds.is_empty()
    }
}

/// The pieces of `original` after the repair `steps` (each the whole text after a step).
pub fn pieces(original: &str, steps: &[Step]) -> Vec<Piece> {
    // One unchanged piece, cut where the steps change something (see `split_at`): as if every
    // character were a piece of its own, without a piece per character of a long page.
    let mut pieces: Vec<Piece> = Vec::new();
    if !original.is_empty() {
        pieces.push(Piece {
            before: original.to_string(),
            after: original.to_string(),
            kinds: Vec::new(),
        });
    }
    for step in steps {
        pieces = apply(pieces, step);
    }
    coalesce(pieces)
}

/// One step applied to `pieces`: its changes (a diff against the text before it) cut the
/// unchanged pieces at their edges ([`cuts`]), and the pieces each change touches merge into
/// one repaired piece ([`clusters`], [`merge`]).
fn apply(pieces: Vec<Piece>, step: &Step) -> Vec<Piece> {
    let old: Vec<char> = pieces.iter().flat_map(|p| p.after.chars()).collect();
    let new: Vec<char> = step.text.chars().collect();
    if old.is_empty() {
        // No piece for a change to join: the text was empty.
        return if new.is_empty() {
            pieces
        } else {
            vec![Piece {
                before: String::new(),
                after: step.text.clone(),
                kinds: vec![step.kind],
            }]
        };
    }
    let changes = changes(&old, &new);
    let pieces = split_at(pieces, &cuts(&changes));
    let starts = starts(&pieces);
    let clusters = clusters(&changes, &starts);
    merge(pieces, &clusters, &starts, &old, &new, step.kind)
}

/// A changed stretch of one step: old characters `from..to` became new characters
/// `new_from..new_to` (an empty `from..to` is an insertion, an empty `new_from..new_to` a
/// deletion).
#[derive(Debug, Clone, Copy)]
struct Change {
    from: usize,
    to: usize,
    new_from: usize,
    new_to: usize,
}

/// The changes from `old` to `new`, in order. A replacement of as many characters as it
/// replaces is a character-for-character substitution (T→S, punctuation): one change per
/// character, so that it does not swallow the pieces in between (the empty piece of a pinyin
/// annotation removed between two converted characters).
fn changes(old: &[char], new: &[char]) -> Vec<Change> {
    // A deadline bounds a pathological page; the diff is then coarser, never wrong.
    let deadline = Instant::now() + Duration::from_secs(2);
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline));
    let change = |from, to, new_from, new_to| Change {
        from,
        to,
        new_from,
        new_to,
    };
    let mut changes = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => changes.push(change(old_index, old_index + old_len, new_index, new_index)),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => changes.push(change(old_index, old_index, new_index, new_index + new_len)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } if old_len == new_len => changes.extend(
                (0..old_len)
                    .filter(|i| old[old_index + i] != new[new_index + i])
                    .map(|i| {
                        change(
                            old_index + i,
                            old_index + i + 1,
                            new_index + i,
                            new_index + i + 1,
                        )
                    }),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => changes.push(change(
                old_index,
                old_index + old_len,
                new_index,
                new_index + new_len,
            )),
        }
    }
    changes
}

/// Where unchanged pieces are cut (sorted): at every change's edges, and around the character
/// an insertion joins, so that a change takes in only the characters it touches.
fn cuts(changes: &[Change]) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::with_capacity(changes.len() * 2);
    for change in changes {
        let (a, b) = (change.from, change.to);
        if a < b {
            cuts.extend([a, b]);
        } else {
            cuts.extend([a.saturating_sub(1), a.max(1)]);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// Where each piece starts in the text before the step, and then where the text ends.
fn starts(pieces: &[Piece]) -> Vec<usize> {
    let mut starts: Vec<usize> = Vec::with_capacity(pieces.len() + 1);
    let mut at = 0;
    for piece in pieces {
        starts.push(at);
        at += piece.after.chars().count();
    }
    starts.push(at);
    starts
}

/// A changed stretch of one step, widened to whole pieces: pieces `first..=last` become one.
struct Cluster {
    first: usize,
    last: usize,
    /// Old characters `from..to` (piece boundaries) are replaced by the new characters
    /// `new_from..new_to` plus the unchanged edges.
    from: usize,
    to: usize,
    new_from: usize,
    new_to: usize,
}

/// The `changes` of a step (of a non-empty text) widened to the pieces they touch (which
/// start at `starts`), changes touching the same piece joined.
fn clusters(changes: &[Change], starts: &[usize]) -> Vec<Cluster> {
    // The piece holding a character is the last piece that starts at or before it (empty
    // pieces hold none).
    let owner = |pos: usize| starts[..starts.len() - 1].partition_point(|&s| s <= pos) - 1;
    let mut clusters: Vec<Cluster> = Vec::new();
    for &Change {
        from: a,
        to: b,
        new_from: c,
        new_to: d,
    } in changes
    {
        let (first, last) = if a < b {
            (owner(a), owner(b - 1))
        } else {
            // An insertion joins the piece before it, or, at the start, the first piece.
            let joined = owner(a.saturating_sub(1));
            (joined, joined)
        };
        match clusters.last_mut() {
            Some(cluster) if first <= cluster.last => {
                cluster.last = cluster.last.max(last);
                cluster.to = b.max(cluster.to);
                cluster.new_to = d;
            }
            _ => clusters.push(Cluster {
                first,
                last,
                from: a,
                to: b,
                new_from: c,
                new_to: d,
            }),
        }
    }
    clusters
}

/// `pieces` with each cluster's pieces merged into one repaired piece: its `before` theirs,
/// its `after` their stretch of the text after the step (`old` before it, `new` after it),
/// its kinds theirs and `step_kind`.
fn merge(
    pieces: Vec<Piece>,
    clusters: &[Cluster],
    starts: &[usize],
    old: &[char],
    new: &[char],
    step_kind: StepKind,
) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut pieces = pieces.into_iter().enumerate().peekable();
    for cluster in clusters {
        while let Some((_, piece)) = pieces.next_if(|(i, _)| *i < cluster.first) {
            out.push(piece);
        }
        let (from, to) = (starts[cluster.first], starts[cluster.last + 1]);
        let mut merged = Piece {
            before: String::new(),
            after: old[from..cluster.from].iter().collect(),
            kinds: Vec::new(),
        };
        merged.after.extend(&new[cluster.new_from..cluster.new_to]);
        merged.after.extend(&old[cluster.to.max(cluster.from)..to]);
        while let Some((_, piece)) = pieces.next_if(|(i, _)| *i <= cluster.last) {
            merged.before.push_str(&piece.before);
            for kind in piece.kinds {
                if !merged.kinds.contains(&kind) {
                    merged.kinds.push(kind);
                }
            }
        }
        if !merged.kinds.contains(&step_kind) {
            merged.kinds.push(step_kind);
        }
        out.push(merged);
    }
    out.extend(pieces.map(|(_, piece)| piece));
    out
}

/// `pieces` with every unchanged piece cut at the character offsets `cuts` (sorted) that fall
/// inside it; repaired pieces stay whole.
fn split_at(pieces: Vec<Piece>, cuts: &[usize]) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len() + cuts.len());
    let mut at = 0;
    let mut next = 0;
    for piece in pieces {
        let len = piece.after.chars().count();
        let end = at + len;
        while next < cuts.len() && cuts[next] <= at {
            next += 1;
        }
        if piece.is_repair() || next == cuts.len() || cuts[next] >= end {
            out.push(piece);
            at = end;
            continue;
        }
        let mut rest = piece.after.as_str();
        let mut from = at;
        while next < cuts.len() && cuts[next] < end {
            let cut = cuts[next];
            let bytes = rest
                .char_indices()
                .nth(cut - from)
                .map_or(rest.len(), |(i, _)| i);
            let (head, tail) = rest.split_at(bytes);
            out.push(Piece {
                before: head.to_string(),
                after: head.to_string(),
                kinds: Vec::new(),
            });
            rest = tail;
            from = cut;
            next += 1;
        }
        out.push(Piece {
            before: rest.to_string(),
            after: rest.to_string(),
            kinds: Vec::new(),
        });
        at = end;
    }
    out
}

/// Joins neighbouring unchanged pieces.
fn coalesce(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for piece in pieces {
        match out.last_mut() {
            Some(last) if !last.is_repair() && !piece.is_repair() => {
                last.before.push_str(&piece.before);
                last.after.push_str(&piece.after);
            }
            _ => out.push(piece),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::{Repairer, Script};

    fn traced(text: &str) -> (String, Vec<Piece>) {
        let repairer = Repairer::new(Script::Simplified);
        let (repaired, steps) = repairer.repair_traced(text, encoding_rs::UTF_8);
        (repaired.text, pieces(text, &steps))
    }

    fn joined(pieces: &[Piece]) -> (String, String) {
        (
            pieces.iter().map(|p| p.before.as_str()).collect(),
            pieces.iter().map(|p| p.after.as_str()).collect(),
        )
    }

    #[test]
    fn each_change_is_its_own_piece_with_its_kind() {
        let (repaired, pieces) = traced("據(jù)悉,會議舉行。");
        assert_eq!(repaired, "据悉，会议举行。");
        assert_eq!(joined(&pieces), ("據(jù)悉,會議舉行。".into(), repaired));
        let repairs: Vec<(&str, &str, &[StepKind])> = pieces
            .iter()
            .filter(|p| p.is_repair())
            .map(|p| (p.before.as_str(), p.after.as_str(), p.kinds.as_slice()))
            .collect();
        assert_eq!(
            repairs,
            [
                ("據", "据", &[StepKind::ToSimplified][..]),
                ("(jù)", "", &[StepKind::Pinyin][..]),
                (",", "，", &[StepKind::Punctuation][..]),
                ("會", "会", &[StepKind::ToSimplified][..]),
                ("議", "议", &[StepKind::ToSimplified][..]),
                ("舉", "举", &[StepKind::ToSimplified][..]),
            ]
        );
    }

    #[test]
    fn pieces_join_to_input_and_output_on_the_seed() {
        let seed = include_str!("../../fixtures/seed/000_f764d41b789eb620.txt");
        let (repaired, pieces) = traced(seed);
        assert_eq!(joined(&pieces), (seed.to_string(), repaired));
        let shifted: Vec<&Piece> = pieces
            .iter()
            .filter(|p| p.kinds.contains(&StepKind::Recovered))
            .collect();
        assert_eq!(shifted.len(), 2, "{shifted:?}");
        // The diff keeps what the repair left alone (`當`, `件`) out of the piece.
        assert_eq!(shifted[0].before, "?shù)貤l");
        assert_eq!(shifted[0].after, "地条");
        assert_eq!(
            shifted[0].kinds,
            [StepKind::Recovered, StepKind::ToSimplified]
        );
    }

    #[test]
    fn empty_and_unchanged_text() {
        assert_eq!(traced("").1, []);
        let (_, pieces) = traced("abc");
        assert_eq!(joined(&pieces), ("abc".into(), "abc".into()));
        assert!(pieces.iter().all(|p| !p.is_repair()));
    }
}
