//! Step 3 of the repair, *guess*: each character with lost bytes chosen among its candidates
//! by the character model from its neighbours (and from a pinyin reading after it, when
//! there is one), or dropped when no candidate wins clearly.

use super::*;

/// The characters of a piece chosen: the text, the text as scored (a dropped character as
/// the U+FFFD it was, so that dropping earns nothing), and per line of the piece how many
/// characters were guessed and dropped.
pub(super) struct Guessed {
    pub(super) text: String,
    pub(super) scored: String,
    pub(super) lines: Vec<Uncertain>,
    /// The places in the piece of the dropped characters.
    pub(super) dropped_at: Vec<usize>,
}

/// Characters of one line chosen among candidates, and dropped.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Uncertain {
    pub(super) guessed: usize,
    pub(super) dropped: usize,
}

pub(super) fn guess(
    slots: &[(usize, Slot)],
    before: Option<char>,
    after: Option<char>,
    m: &CharModel,
) -> Guessed {
    let chosen = choose_characters(slots, before, after, m);
    let mut out = Guessed {
        text: String::new(),
        scored: String::new(),
        lines: vec![Uncertain::default()],
        dropped_at: Vec::new(),
    };
    for (k, ((_, slot), chosen)) in slots.iter().zip(chosen).enumerate() {
        match slot {
            Slot::Known(c) => out.push_known(*c),
            Slot::Unplaced | Slot::Guess(_) => {
                if chosen.is_none() {
                    out.dropped_at.push(k);
                }
                out.push_chosen(chosen);
            }
        }
    }
    out
}

/// The character chosen for each slot with lost bytes (`None`: dropped; `None` too for the
/// other slots).
///
/// The model reads the piece with its pinyin annotations left out (`當(dāng)X` reads `當X`),
/// and an annotation narrows the candidates of the character it annotates. Runs of
/// characters with lost bytes next to each other in that reading are chosen together
/// ([`choose_run`]), between the known characters around them.
pub(super) fn choose_characters(
    slots: &[(usize, Slot)],
    before: Option<char>,
    after: Option<char>,
    m: &CharModel,
) -> Vec<Option<char>> {
    // The slots the model reads, each with the syllable of the annotation after it.
    let mut read: Vec<(usize, Option<Reading>)> = Vec::with_capacity(slots.len());
    let mut i = 0;
    while i < slots.len() {
        let annotation = annotation_after(&slots[i + 1..]);
        let skip = annotation.as_ref().map_or(0, |(_, len)| *len);
        read.push((i, annotation.map(|(reading, _)| reading)));
        i += 1 + skip;
    }
    // Whether the piece is in traditional script: some known character folds to another
    // (simplified) form. A guess takes the form of the script around it.
    let traditional = slots
        .iter()
        .any(|(_, slot)| matches!(slot, Slot::Known(c) if m.fold(*c) != *c));
    let known = |r: usize| match read.get(r).map(|&(i, _)| &slots[i].1) {
        Some(Slot::Known(c)) => Some(*c),
        Some(_) => None,
        None if r == read.len() => after,
        None => before,
    };
    let mut chosen = vec![None; slots.len()];
    let mut r = 0;
    while r < read.len() {
        if !matches!(slots[read[r].0].1, Slot::Guess(_)) {
            r += 1;
            continue;
        }
        let end = read[r..]
            .iter()
            .position(|&(i, _)| !matches!(slots[i].1, Slot::Guess(_)))
            .map_or(read.len(), |n| r + n);
        let left = match r {
            0 => before,
            _ => known(r - 1),
        };
        let pools: Vec<Pool> = read[r..end]
            .iter()
            .map(|(i, reading)| {
                let candidates = match &slots[*i].1 {
                    Slot::Guess(candidates) => candidates.as_slice(),
                    _ => &[],
                };
                Pool::new(candidates, reading.as_ref(), m)
            })
            .collect();
        let run = choose_run(&pools, left, known(end), traditional, m);
        for (&(i, _), c) in read[r..end].iter().zip(run) {
            chosen[i] = c;
        }
        r = end;
    }
    chosen
}

impl Guessed {
    pub(super) fn push_known(&mut self, c: char) {
        self.text.push(c);
        self.scored.push(c);
        if c == '\n' {
            self.lines.push(Uncertain::default());
        }
    }

    pub(super) fn push_chosen(&mut self, chosen: Option<char>) {
        let mut line = Uncertain::default();
        match chosen {
            Some(c) => {
                self.text.push(c);
                self.scored.push(c);
                line.guessed = 1;
            }
            None => {
                self.scored.push(REPLACEMENT);
                line.dropped = 1;
            }
        }
        if let Some(last) = self.lines.last_mut() {
            last.guessed += line.guessed;
            last.dropped += line.dropped;
        }
    }

    pub(super) fn dropped(&self) -> usize {
        self.lines.iter().map(|l| l.dropped).sum()
    }
}

/// The plain syllable of a pinyin annotation `(py)` that the slots start with, when every
/// character of it is known and it is a real syllable, and how many slots it takes.
pub(super) fn annotation_after(slots: &[(usize, Slot)]) -> Option<(Reading, usize)> {
    let mut known = String::new();
    let mut iter = slots.iter();
    match iter.next() {
        Some((_, Slot::Known('(' | '（'))) => {}
        _ => return None,
    }
    for (_, slot) in iter.take(9) {
        match slot {
            Slot::Known(c) => known.push(*c),
            _ => break,
        }
    }
    let syllable = read_syllable(&known)?;
    let plain = syllable.plain().to_owned();
    let written = known[..syllable.len]
        .trim_end_matches([')', '）'])
        .to_lowercase();
    let len = 1 + known[..syllable.len].chars().count();
    is_syllable(&plain).then_some((Reading { written, plain }, len))
}

/// A pinyin annotation's syllable: as written (lowercase, tone mark or number if any) and
/// plain.
#[derive(Debug, Clone)]
pub(super) struct Reading {
    pub(super) written: String,
    pub(super) plain: String,
}

impl Reading {
    /// Of `candidates`, those read this way: with this tone when one is, else in any tone.
    pub(super) fn narrow(&self, candidates: &[char]) -> Vec<char> {
        let toned: Vec<char> = candidates
            .iter()
            .copied()
            .filter(|&c| {
                c.to_pinyin_multi().is_some_and(|readings| {
                    readings.into_iter().any(|r| {
                        r.with_tone() == self.written || r.with_tone_num_end() == self.written
                    })
                })
            })
            .collect();
        if !toned.is_empty() {
            return toned;
        }
        candidates
            .iter()
            .copied()
            .filter(|&c| is_reading_of(c, self.plain.as_bytes()))
            .collect()
    }
}

/// The candidates for one character with lost bytes, and the margin its choice needs.
pub(super) struct Pool {
    pub(super) candidates: Vec<char>,
    pub(super) margin: f64,
}

/// Most candidate sets have at most 64 characters (one lost continuation byte); two lost
/// bytes give up to 4 096, pruned to the this many most frequent before the run is solved.
pub(super) const MAX_POOL: usize = 64;

impl Pool {
    /// The candidates, narrowed to those read `reading` when a pinyin annotation of this
    /// character follows (and some are).
    pub(super) fn new(candidates: &[char], reading: Option<&Reading>, m: &CharModel) -> Pool {
        let read = reading.map_or_else(Vec::new, |reading| reading.narrow(candidates));
        let (mut candidates, margin) = if read.is_empty() {
            (candidates.to_vec(), GUESS_MARGIN)
        } else {
            (read, READING_MARGIN)
        };
        if candidates.len() > MAX_POOL {
            let mut scored: Vec<(f64, char)> = candidates
                .iter()
                .map(|&c| (m.logp_char(None, c), c))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            candidates = scored.into_iter().take(MAX_POOL).map(|(_, c)| c).collect();
        }
        Pool { candidates, margin }
    }
}

/// Chooses a run of characters with lost bytes between `left` and `right` under the bigram
/// model: each position takes the character of the most probable reading of the whole run
/// (Viterbi), and keeps it only when every reading with another character there is at
/// least its pool's margin less probable (max-marginals); otherwise that position is
/// dropped (`None`).
pub(super) fn choose_run(
    pools: &[Pool],
    left: Option<char>,
    right: Option<char>,
    traditional: bool,
    m: &CharModel,
) -> Vec<Option<char>> {
    let n = pools.len();
    // forward[k][j]: best log-probability of the run up to position k with candidate j there.
    let mut forward: Vec<Vec<f64>> = Vec::with_capacity(n);
    for (k, pool) in pools.iter().enumerate() {
        let row = pool
            .candidates
            .iter()
            .map(|&c| match k {
                0 => m.logp_char(left, c),
                _ => pools[k - 1]
                    .candidates
                    .iter()
                    .zip(&forward[k - 1])
                    .map(|(&p, &f)| f + m.logp_char(Some(p), c))
                    .fold(f64::NEG_INFINITY, f64::max),
            })
            .collect();
        forward.push(row);
    }
    // backward[k][j]: best log-probability of the rest of the run after candidate j at k.
    let mut backward: Vec<Vec<f64>> = vec![Vec::new(); n];
    for k in (0..n).rev() {
        backward[k] = pools[k]
            .candidates
            .iter()
            .map(|&c| match pools.get(k + 1) {
                None => right.map_or(0.0, |r| m.logp_char(Some(c), r)),
                Some(next) => next
                    .candidates
                    .iter()
                    .zip(&backward[k + 1])
                    .map(|(&q, &b)| m.logp_char(Some(c), q) + b)
                    .fold(f64::NEG_INFINITY, f64::max),
            })
            .collect();
    }
    (0..n)
        .map(|k| {
            let scores = forward[k].iter().zip(&backward[k]).map(|(f, b)| f + b);
            let scored: Vec<(char, f64)> =
                pools[k].candidates.iter().copied().zip(scores).collect();
            // A traditional character and its simplified form score the same (the model
            // folds one onto the other): the margin is between different characters, and
            // the form is the one of the script around it.
            let mut by_character: Vec<(char, f64)> = Vec::with_capacity(scored.len());
            for &(c, score) in &scored {
                let folded = m.fold(c);
                match by_character.iter_mut().find(|(f, _)| *f == folded) {
                    Some((_, best)) => *best = best.max(score),
                    None => by_character.push((folded, score)),
                }
            }
            let mut best = Best::default();
            for (c, score) in by_character {
                best.offer(c, score);
            }
            let (best, margin) = best.with_margin()?;
            if margin < pools[k].margin {
                return None;
            }
            let forms = scored
                .iter()
                .map(|&(c, _)| c)
                .filter(|&c| m.fold(c) == best);
            forms.max_by_key(|&c| (m.fold(c) != c) == traditional)
        })
        .collect()
}

/// Log-probability of `text` between `before` and `after`, with pinyin tone letters read as
/// the plain letters they carry (the model scores Latin-1 letters as odd; a repaired
/// annotation `(shì)` must not cost more than its mojibake `(sh矛)`).
pub(super) fn score(text: &str, before: Option<char>, after: Option<char>, m: &CharModel) -> f64 {
    let plain: String = text.chars().map(plain_letter).collect();
    let last = plain.chars().next_back().or(before);
    m.logp(&plain, before) + after.map_or(0.0, |a| m.logp_char(last, a))
}

/// `c` without its pinyin tone mark (`ì` → `i`, `ü` → `u`); other characters unchanged.
pub(super) fn plain_letter(c: char) -> char {
    match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'ê' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' | 'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'u',
        _ => c,
    }
}
