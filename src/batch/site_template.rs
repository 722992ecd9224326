//! Site templates: body paragraphs that repeat verbatim on many pages of one site.
//!
//! A site's navigation, slogans, "follow us" blurbs and footers survive per-page extraction
//! because on one page they look like text. Across pages of the same host they give
//! themselves away: the same paragraph, word for word, on page after page. Such paragraphs
//! leave the body as `removed.kind = "site_template"` (appended after the page's other
//! removals), with `words`, `pos` and `keywords` updated to match.
//!
//! The host is the URL's host (without `www.`), else the input's folder. A paragraph is a
//! template of its host when it appears (after normalisation: whitespace dropped, ASCII
//! lower-cased, digits folded to `0`) on at least K distinct pages of it, with
//! K = max(3, 1% of the host's pages seen so far).
//!
//! Streaming trade-off: results flow through a look-ahead window of [`Options::lookahead`]
//! records (in input order), and of at most [`Options::window_bytes`] of body text (a run of
//! huge pages holds fewer), and each host learns only from its first
//! [`Options::learn_pages`] distinct pages, then freezes its template set. So memory stays
//! bounded on endless streams, and a page is judged by everything before it plus the window
//! after it: the first pages of a host are only cleaned of templates that recur within the
//! window, and a template that first shows up after a host's learning window is never
//! learned. Exact duplicate pages count once, and a page is never emptied (if every paragraph
//! of a page is "template", it is a duplicate or an index page, and is left as it is).
//!
//! Contract: what the stage does to a record depends only on the records before it and the
//! window after it, in input order. Feed it in input order (the batch runner does, whatever
//! `--jobs` and `--unordered` say) and its output is a function of the input alone. A window
//! holds back records, so in a pipe a record comes out only once the window has moved past
//! it (or the input ends): up to `lookahead` records late.
//!
//! [`Mode::Auto`] (the batch default) switches the stage on only for runs of at least
//! [`Options::auto_min_records`] records: a handful of pages says nothing about a site.

use std::collections::VecDeque;
use std::hash::Hasher;
use std::path::Path;

// Fx hashing: the keys are already content hashes of normalised text ([`hash_bytes`]) and
// host names of the run's own inputs; this stage runs on the thread that reads and writes
// for all workers.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Outcome;
use crate::article::{Article, Removed, RemovedKind};
use crate::segment::top_keywords;

/// When the stage runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Only for runs of at least `auto_min_records` records.
    #[default]
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

/// Tuning of the stage; the defaults are what `zhclean` uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// When the stage runs.
    pub mode: Mode,
    /// Records held back so that early pages of a host can learn from later ones.
    pub lookahead: usize,
    /// Most body text (bytes) held back in the window; the oldest records go out first when
    /// more arrives. Bounds the window's memory on runs of huge pages. (The batch runner also
    /// lets the whole window go before a record larger than this, see
    /// [`SiteTemplates::release_all`].)
    pub window_bytes: usize,
    /// Distinct pages per host to learn from before the template set is frozen.
    pub learn_pages: u64,
    /// The least number of pages a paragraph must repeat on (the 3 in max(3, 1%)).
    pub min_pages: u64,
    /// The share of a host's pages a paragraph must repeat on (the 1%).
    pub share: f64,
    /// [`Mode::Auto`] runs the stage from this many records on.
    pub auto_min_records: u64,
    /// Hosts still learning that are tracked at once; the longest unseen are forgotten.
    pub max_hosts: usize,
    /// Keywords to recompute for a page that lost paragraphs.
    pub keywords: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Auto,
            lookahead: 256,
            window_bytes: 8 * 1024 * 1024,
            learn_pages: 1000,
            min_pages: 3,
            share: 0.01,
            auto_min_records: 50,
            max_hosts: 20_000,
            keywords: crate::segment::DEFAULT_KEYWORDS,
        }
    }
}

#[derive(Debug, Default)]
struct Host {
    /// Distinct pages learned from.
    pages: u64,
    /// Pages each paragraph hash appeared on (while learning).
    counts: HashMap<u64, u32>,
    /// Hashes of whole bodies learned from, to count duplicate pages once.
    bodies: HashSet<u64>,
    /// The template set, once frozen.
    frozen: Option<HashSet<u64>>,
    /// When the host was last seen (record number), for forgetting.
    last_seen: u64,
}

impl Host {
    fn threshold(&self, options: &Options) -> u64 {
        options
            .min_pages
            .max((self.pages as f64 * options.share).ceil() as u64)
    }

    /// Whether `hash` is a template of the host; `threshold` is [`Host::threshold`] (the
    /// same for every paragraph of a page, so computed once per page).
    fn is_template(&self, hash: u64, threshold: u64) -> bool {
        match &self.frozen {
            Some(set) => set.contains(&hash),
            None => self
                .counts
                .get(&hash)
                .is_some_and(|&n| u64::from(n) >= threshold),
        }
    }
}

/// An outcome with the hashes the stage needs, computed where the outcome is made (on a
/// worker thread, see [`super::runner`]) so that the stage's own thread, which every record
/// passes through in order, only looks them up.
pub struct Prepared {
    outcome: Outcome,
    /// For an article: what the stage needs to know of it.
    hashes: Option<Hashes>,
}

impl Prepared {
    /// Bytes of body text it holds (0 for error and skip records).
    pub fn body_bytes(&self) -> usize {
        match &self.outcome {
            Outcome::Article(article) => article.body.len(),
            _ => 0,
        }
    }
}

/// An article's site and body, hashed.
struct Hashes {
    /// [`host_key`] of the article.
    host: String,
    /// The whole body's hash.
    body: u64,
    /// Each `\n`-separated line's hash (`None` when blank).
    lines: Vec<Option<u64>>,
    /// The distinct hashes of `lines`, sorted.
    distinct: Vec<u64>,
}

impl Prepared {
    /// Hashes `outcome`'s body, if it is an article.
    pub fn new(outcome: Outcome) -> Prepared {
        let hashes = match &outcome {
            Outcome::Article(article) => {
                let (body, lines) = body_hashes(&article.body);
                let mut distinct: Vec<u64> = lines.iter().flatten().copied().collect();
                distinct.sort_unstable();
                distinct.dedup();
                Some(Hashes {
                    host: host_key(article),
                    body,
                    lines,
                    distinct,
                })
            }
            _ => None,
        };
        Prepared { outcome, hashes }
    }
}

impl From<Outcome> for Prepared {
    fn from(outcome: Outcome) -> Prepared {
        Prepared::new(outcome)
    }
}

/// The stage; feed it every outcome in output order with [`SiteTemplates::push`], then
/// [`SiteTemplates::finish`].
pub struct SiteTemplates {
    options: Options,
    window: VecDeque<Prepared>,
    /// Body bytes of the records in `window`.
    window_bytes: usize,
    hosts: HashMap<String, Host>,
    seen: u64,
    active: Option<bool>,
}

impl SiteTemplates {
    /// A stage with `options` (the look-ahead is at least `auto_min_records`).
    pub fn new(mut options: Options) -> SiteTemplates {
        options.lookahead = options.lookahead.max(options.auto_min_records as usize);
        let active = match options.mode {
            Mode::Auto => None,
            Mode::On => Some(true),
            Mode::Off => Some(false),
        };
        SiteTemplates {
            options,
            window: VecDeque::new(),
            window_bytes: 0,
            hosts: HashMap::default(),
            seen: 0,
            active,
        }
    }

    /// Takes one outcome (or one [`Prepared`] already); appends those ready to be written to
    /// `ready`.
    pub fn push(&mut self, outcome: impl Into<Prepared>, ready: &mut impl Extend<Outcome>) {
        let prepared = outcome.into();
        self.seen += 1;
        if self.active == Some(false) {
            ready.extend([prepared.outcome]);
            return;
        }
        if let (Outcome::Article(_), Some(hashes)) = (&prepared.outcome, &prepared.hashes) {
            self.learn(hashes);
        }
        self.window_bytes += prepared.body_bytes();
        self.window.push_back(prepared);
        if self.active.is_none() && self.seen >= self.options.auto_min_records {
            self.active = Some(true);
        }
        while self.window.len() > self.options.lookahead
            || (self.window_bytes > self.options.window_bytes && !self.window.is_empty())
        {
            if let Some(prepared) = self.window.pop_front() {
                self.window_bytes -= prepared.body_bytes();
                // (Released by size before `Mode::Auto` has decided: left as it is.)
                ready.extend([self.apply(prepared)]);
            }
        }
    }

    /// Lets every record held in the window go (to `ready`), judged by what was learned so
    /// far. For the batch runner, before a record of more than [`Options::window_bytes`]
    /// (as read) reaches the stage: such a record would push them out anyway, and this way
    /// they are written while it is still being cleaned, so that they survive whatever
    /// happens to it. Call it at the same place in the input order on every run, so that the
    /// output stays a function of the input.
    pub fn release_all(&mut self, ready: &mut impl Extend<Outcome>) {
        while let Some(prepared) = self.window.pop_front() {
            self.window_bytes -= prepared.body_bytes();
            ready.extend([self.apply(prepared)]);
        }
    }

    /// The end of the input: appends everything still held to `ready`.
    pub fn finish(&mut self, ready: &mut impl Extend<Outcome>) {
        if self.active.is_none() {
            self.active = Some(self.seen >= self.options.auto_min_records);
        }
        while let Some(prepared) = self.window.pop_front() {
            self.window_bytes -= prepared.body_bytes();
            ready.extend([self.apply(prepared)]);
        }
    }

    fn learn(&mut self, hashes: &Hashes) {
        let seen = self.seen;
        let host = match self.hosts.get_mut(&hashes.host) {
            Some(host) => host,
            None => self.hosts.entry(hashes.host.clone()).or_default(),
        };
        host.last_seen = seen;
        if host.frozen.is_some() || !host.bodies.insert(hashes.body) {
            return;
        }
        host.pages += 1;
        for &hash in &hashes.distinct {
            *host.counts.entry(hash).or_default() += 1;
        }
        if host.pages >= self.options.learn_pages {
            let threshold = host.threshold(&self.options);
            let counts = std::mem::take(&mut host.counts);
            host.frozen = Some(
                counts
                    .into_iter()
                    .filter(|&(_, n)| u64::from(n) >= threshold)
                    .map(|(hash, _)| hash)
                    .collect(),
            );
            host.bodies = HashSet::default();
        }
        if self.hosts.len() > self.options.max_hosts {
            self.forget_hosts();
        }
    }

    /// Forgets the tenth of learning hosts seen longest ago (frozen hosts are small and kept).
    fn forget_hosts(&mut self) {
        let mut learning: Vec<(u64, String)> = self
            .hosts
            .iter()
            .filter(|(_, host)| host.frozen.is_none())
            .map(|(key, host)| (host.last_seen, key.clone()))
            .collect();
        learning.sort_unstable();
        for (_, key) in learning.iter().take(learning.len() / 10 + 1) {
            self.hosts.remove(key);
        }
    }

    fn apply(&self, prepared: Prepared) -> Outcome {
        if self.active != Some(true) {
            return prepared.outcome;
        }
        match (prepared.outcome, prepared.hashes) {
            (Outcome::Article(mut article), Some(hashes)) => {
                if let Some(host) = self.hosts.get(&hashes.host) {
                    let threshold = host.threshold(&self.options);
                    remove_hashed(
                        &mut article,
                        &hashes.lines,
                        |hash| host.is_template(hash, threshold),
                        self.options.keywords,
                    );
                }
                Outcome::Article(article)
            }
            (other, _) => other,
        }
    }
}

/// [`remove_hashed`] with the hashes computed here.
#[cfg(test)]
fn remove_templates(article: &mut Article, is_template: impl Fn(u64) -> bool, keywords: usize) {
    let hashes = line_hashes(&article.body);
    remove_hashed(article, &hashes, is_template, keywords);
}

/// Removes the body paragraphs whose hash (`hashes`, from [`body_hashes`] of the body, one
/// per line) `is_template` says so, unless that is all of them.
fn remove_hashed(
    article: &mut Article,
    hashes: &[Option<u64>],
    is_template: impl Fn(u64) -> bool,
    keywords: usize,
) {
    let drop: Vec<bool> = hashes
        .iter()
        .map(|hash| hash.is_some_and(&is_template))
        .collect();
    if !drop.contains(&true) || drop.iter().all(|&d| d) {
        return;
    }
    // The lines `split('\n')` gives (one per hash), ends found by memchr; the kept ones are
    // joined again by `\n`.
    let mut body = String::with_capacity(article.body.len());
    let mut kept_any = false;
    let mut line_start = 0;
    let ends = memchr::memchr_iter(b'\n', article.body.as_bytes()).chain([article.body.len()]);
    for (line_end, &dropped) in ends.zip(&drop) {
        let line = &article.body[line_start..line_end];
        line_start = line_end + 1;
        if dropped {
            article.removed.push(Removed {
                kind: RemovedKind::SiteTemplate,
                text: line.to_string(),
            });
        } else {
            if kept_any {
                body.push('\n');
            }
            body.push_str(line);
            kept_any = true;
        }
    }
    if article.words.len() == drop.len() {
        // TF-IDF scores are raw counts times IDF, so removing words that are not keywords
        // leaves every other score, and so the ranking, unchanged: recompute only when a
        // keyword lost occurrences (most template paragraphs hold none).
        let lost_keyword = drop
            .iter()
            .zip(article.words.paragraphs())
            .filter(|&(&dropped, _)| dropped)
            .flat_map(|(_, words)| words)
            .any(|word| article.keywords.iter().any(|keyword| keyword == word));
        article.words.retain_paragraphs(|index| !drop[index]);
        if let Some(pos) = article.pos.as_mut() {
            if pos.len() == drop.len() {
                let mut flags = drop.iter();
                pos.retain(|_| !flags.next().copied().unwrap_or(false));
            }
        }
        if lost_keyword {
            article.keywords = top_keywords(article.words.iter(), keywords);
        }
    }
    article.body = body;
}

/// The hash of each `\n`-separated line of `body`, `None` for a blank line.
#[cfg(test)]
fn line_hashes(body: &str) -> Vec<Option<u64>> {
    body_hashes(body).1
}

/// The hash of the whole `body` and of each of its `\n`-separated lines (`None` for a blank
/// line), of the text normalised once by [`push_normalized`].
fn body_hashes(body: &str) -> (u64, Vec<Option<u64>>) {
    let bytes = body.as_bytes();
    let mut normalized = Vec::with_capacity(bytes.len());
    let mut lines = Vec::new();
    let mut line_start = 0;
    // The lines `str::split('\n')` gives, ends found by memchr (many bytes at a time).
    for line_end in memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]) {
        let start = normalized.len();
        push_normalized(&body[line_start..line_end], &mut normalized);
        // Normalising drops exactly the whitespace, so nothing is left of a blank line.
        lines.push((normalized.len() > start).then(|| hash_bytes(&normalized[start..])));
        line_start = line_end + 1;
    }
    // Line breaks are whitespace: the lines' normalised bytes, back to back, are the body's.
    (hash_bytes(&normalized), lines)
}

/// Hash of a paragraph after normalisation.
#[cfg(test)]
fn hash_text(text: &str) -> u64 {
    let mut normalized = Vec::with_capacity(text.len());
    push_normalized(text, &mut normalized);
    hash_bytes(&normalized)
}

/// The content hash of normalised text: foldhash's quality variant with a fixed seed.
///
/// Two different paragraphs with the same hash would make one stand for the other (a real
/// paragraph removed as a template), so the hash must not collide by accident across
/// millions of paragraphs: foldhash-q is strong on its full 64 bits (it passes SMHasher3)
/// and reads 16–96 bytes per step, where SipHash (std's `DefaultHasher`, used before) reads
/// 8 and cost a third of this stage. foldhash is already in the build (through hashbrown).
/// The seed is fixed, so runs are reproducible; like `DefaultHasher::new()`'s fixed keys,
/// that leaves deliberate collisions possible, which give a page author no power they lack:
/// repeating a paragraph on K pages of a host makes it a template anyway. The values are
/// only compared within one run, never written out.
fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    const STATE: foldhash::quality::FixedState =
        foldhash::quality::FixedState::with_seed(0x7a68_636c_6561_6e00);
    let mut hasher = STATE.build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

/// Appends `text` to `out` normalised for matching: whitespace dropped, ASCII lower-cased,
/// ASCII digits folded to `0` (so "© 2018" and "© 2019" footers match).
///
/// Most bytes are copied as they are, so only the bytes that may change are looked at and
/// the runs between them are copied whole. The text goes 16 bytes at a time: a chunk with no
/// [`candidates`] at all (most chunks of Chinese text) is passed in a few vector
/// instructions ([`any_candidate`]); in the others the candidates' positions come from
/// [`candidate_flags`], and each is checked exactly. A lead byte that may start a whitespace
/// character is checked against the few byte sequences that are whitespace
/// ([`unicode_whitespace_len`]) without decoding the character. Continuation bytes are never
/// candidates, so the tail of a whitespace character, even in the next chunk, is never one.
fn push_normalized(text: &str, out: &mut Vec<u8>) {
    let text = text.as_bytes();
    let mut copied_to = 0;
    let (chunks, rest) = text.as_chunks::<CHUNK>();
    let mut chunk_start = 0;
    for chunk in chunks {
        if any_candidate(chunk) {
            normalize_chunk(text, chunk, chunk_start, &mut copied_to, out);
        }
        chunk_start += CHUNK;
    }
    // The last, short chunk, padded with a byte that is no candidate.
    let mut last = [b'a'; CHUNK];
    last[..rest.len()].copy_from_slice(rest);
    normalize_chunk(text, &last, chunk_start, &mut copied_to, out);
    out.extend_from_slice(&text[copied_to..]);
}

/// [`push_normalized`]'s work on the chunk of `text` at `chunk_start` (`chunk`, its bytes)
/// that holds a candidate: each candidate that changes is written to `out` after the bytes
/// before it not yet copied, and `copied_to` moves past it.
fn normalize_chunk(
    text: &[u8],
    chunk: &[u8; CHUNK],
    chunk_start: usize,
    copied_to: &mut usize,
    out: &mut Vec<u8>,
) {
    for (half, word) in chunk.as_chunks::<8>().0.iter().enumerate() {
        let mut flags = candidate_flags(u64::from_le_bytes(*word));
        while flags != 0 {
            let at = chunk_start + half * 8 + flags.trailing_zeros() as usize / 8;
            flags &= flags - 1;
            let byte = text[at];
            let (width, replacement) = match byte {
                // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form feed,
                // carriage return, space.
                b'\t'..=b'\r' | b' ' => (1, None),
                b'0'..=b'9' => (1, Some(b'0')),
                b'A'..=b'Z' => (1, Some(byte.to_ascii_lowercase())),
                _ => match unicode_whitespace_len(&text[at..]) {
                    // Kept as it is (other ASCII, a character that is not whitespace).
                    0 => continue,
                    width => (width, None),
                },
            };
            out.extend_from_slice(&text[*copied_to..at]);
            out.extend(replacement);
            *copied_to = at + width;
        }
    }
}

/// Bytes [`push_normalized`] takes at a time.
const CHUNK: usize = 16;

/// The bytes that may be ones [`push_normalized`] changes: every ASCII byte below `[`
/// (controls, space, digits, capitals, some punctuation) and the lead bytes that may start a
/// non-ASCII whitespace character (0xC2 and 0xE1–0xE3, see
/// [`crate::model::may_start_whitespace`]; 0xE0 comes along, being cheaper to include than
/// to leave out). A superset of what changes, with no continuation byte (0x80–0xBF).
#[cfg(test)]
fn candidates(byte: u8) -> bool {
    byte < b'[' || byte ^ 0xE0 < 4 || byte == 0xC2
}

/// Whether any byte of `chunk` is one of the [`candidates`]; written as comparisons over a
/// fixed array, which the compiler makes a few vector instructions of.
fn any_candidate(chunk: &[u8; CHUNK]) -> bool {
    chunk.iter().fold(false, |any, &byte| {
        any | (byte < b'[') | (byte ^ 0xE0 < 4) | (byte == 0xC2)
    })
}

/// The high bit of each byte of `word` that is one of the [`candidates`], and no other bit.
/// Each test works within each byte, with no carry or borrow between them: for `n <= 0x80`,
/// `((b & 0x7F) | 0x80) - n` keeps its high bit exactly when `b & 0x7F >= n`, so a clear high
/// bit there and in `b` itself means `b < n`.
fn candidate_flags(word: u64) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let below = |x: u64, n: u8| !((((x & !HIGH) | HIGH) - ONES * u64::from(n)) | x) & HIGH;
    below(word, b'[') | below(word ^ (ONES * 0xE0), 4) | below(word ^ (ONES * 0xC2), 1)
}

/// The length of the whitespace character `text` starts with, if it starts with a non-ASCII
/// one (`char::is_whitespace`: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000), else 0. `text` is UTF-8 from a character boundary, so a lead
/// byte is followed by its continuation bytes.
fn unicode_whitespace_len(text: &[u8]) -> usize {
    match text {
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// The site an article belongs to: the URL's host without `www.`, else its folder.
pub fn host_key(article: &Article) -> String {
    if let Some(host) = article.input.url.as_deref().and_then(url_host) {
        return host;
    }
    article
        .input
        .path
        .as_deref()
        .and_then(|p| Path::new(p).parent())
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// `https://WWW.Example.cn:8080/a?b` → `example.cn`. Hand-written because only the host is
/// needed, and pages' URLs are often too broken for a strict parser to accept.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::InputReport;
    use crate::words::Words;

    fn page(url: &str, body: &str) -> Outcome {
        let words = Words::from_paragraphs(
            body.split('\n')
                .map(|l| l.chars().map(String::from).collect::<Vec<_>>()),
        );
        Outcome::Article(Box::new(Article {
            input: InputReport {
                url: Some(url.into()),
                ..InputReport::default()
            },
            body: body.into(),
            words,
            ..Article::default()
        }))
    }

    fn run(options: Options, pages: Vec<Outcome>) -> Vec<Article> {
        let mut stage = SiteTemplates::new(options);
        let mut out = Vec::new();
        for p in pages {
            stage.push(p, &mut out);
        }
        stage.finish(&mut out);
        out.into_iter()
            .map(|o| match o {
                Outcome::Article(a) => *a,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    /// The normalisation before its fast path: one character at a time.
    fn push_normalized_slowly(text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            if c.is_whitespace() {
                continue;
            }
            let c = if c.is_ascii_digit() {
                '0'
            } else {
                c.to_ascii_lowercase()
            };
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    #[test]
    fn fast_normalisation_matches_one_character_at_a_time_for_every_character() {
        let mut text = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            // At every offset in its 32-byte chunk, and across chunk ends.
            text.clear();
            text.push_str(&"a".repeat(u32::from(c) as usize % 37));
            text.push('A');
            text.push(c);
            text.push_str("中 1");
            text.push(c);
            text.push_str("中文。");
            text.push(c);
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            push_normalized(&text, &mut fast);
            push_normalized_slowly(&text, &mut slow);
            assert_eq!(fast, slow, "{c:?} (U+{:04X})", u32::from(c));
        }
    }

    #[test]
    fn fast_normalisation_matches_at_every_place_in_and_across_chunks() {
        // Every whitespace character, the characters sharing their lead bytes, and the
        // bytes normalisation changes, at every offset of two chunks and on chunk ends.
        let specials = (0..0x100u32)
            .chain(0x1600..0x1700)
            .chain(0x2000..0x2100)
            .chain(0x3000..0x3040)
            .chain([0x4E2D, 0xFF0C, 0xFFFF, 0x1_0000, 0x10_FFFF])
            .filter_map(char::from_u32);
        for c in specials {
            for at in 0..2 * CHUNK + 3 {
                let mut text = "中".repeat(at / 3) + &"a".repeat(at % 3);
                text.push(c);
                text.push_str("中文");
                text.push(c);
                text.push_str(&"中".repeat(at % 13));
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                push_normalized(&text, &mut fast);
                push_normalized_slowly(&text, &mut slow);
                assert_eq!(fast, slow, "{c:?} (U+{:04X}) at {at}", u32::from(c));
            }
        }
    }

    #[test]
    fn candidates_cover_every_byte_that_may_change_and_no_continuation_byte() {
        for byte in 0..=u8::MAX {
            let may_change = byte.is_ascii_digit()
                || byte.is_ascii_uppercase()
                || crate::model::may_start_whitespace(byte);
            assert!(!may_change || candidates(byte), "{byte:#04x}");
            assert!(
                !(0x80..0xC0).contains(&byte) || !candidates(byte),
                "{byte:#04x}"
            );
        }
    }

    #[test]
    fn candidates_are_found_in_any_company_at_every_place() {
        let expected = |bytes: &[u8]| -> u64 {
            bytes.iter().enumerate().fold(0, |flags, (index, &byte)| {
                flags | u64::from(candidates(byte)) << (8 * index + 7)
            })
        };
        crate::testing::for_each_byte_among_others::<CHUNK>(|chunk, byte, other| {
            assert_eq!(
                any_candidate(chunk),
                chunk.iter().any(|&b| candidates(b)),
                "{byte:#04x} among {other:#04x}"
            );
            for word in chunk.chunks_exact(8) {
                let flags = candidate_flags(u64::from_le_bytes(word.try_into().unwrap()));
                assert_eq!(flags, expected(word), "{byte:#04x} among {other:#04x}");
            }
        });
    }

    #[test]
    fn a_footer_repeated_on_a_host_is_removed_and_words_follow() {
        let options = Options {
            mode: Mode::On,
            lookahead: 4,
            ..Options::default()
        };
        let names = ["甲", "乙", "丙", "丁", "戊", "己"];
        let pages = (0..6)
            .map(|i| {
                page(
                    &format!("http://www.a.cn/{i}"),
                    &format!("正文{}。\n关注我们 2018", names[i]),
                )
            })
            .chain([page("http://b.cn/1", "别站正文。\n关注我们 2018")])
            .collect();
        let out = run(options, pages);
        assert_eq!(out.len(), 7);
        for (i, article) in out.iter().take(6).enumerate() {
            assert_eq!(article.body, format!("正文{}。", names[i]));
            assert_eq!(article.words.len(), 1);
            assert_eq!(article.removed[0].kind, RemovedKind::SiteTemplate);
            assert_eq!(article.removed[0].text, "关注我们 2018");
        }
        assert_eq!(
            out[6].body, "别站正文。\n关注我们 2018",
            "other host untouched"
        );
    }

    #[test]
    fn keywords_are_recomputed_only_when_a_removed_paragraph_held_one() {
        let mut article = Article {
            body: "正文新闻。\n关注我们".into(),
            words: Words::from_paragraphs([["正文", "新闻"], ["关注", "我们"]]),
            keywords: vec!["关注".into(), "正文".into()],
            ..Article::default()
        };
        let footer = hash_text("关注我们");
        let mut untouched = article.clone();
        untouched.keywords = vec!["正文".into()];
        remove_templates(&mut untouched, |h| h == footer, 10);
        assert_eq!(
            untouched.keywords,
            ["正文"],
            "no keyword lost: ranking kept as is"
        );
        remove_templates(&mut article, |h| h == footer, 10);
        assert_eq!(article.body, "正文新闻。");
        assert_eq!(article.words, [["正文", "新闻"]]);
        assert!(!article.keywords.contains(&"关注".to_string()));
        assert!(article.keywords.contains(&"正文".to_string()));
    }

    #[test]
    fn removal_keeps_the_other_lines_blank_ones_included_as_split_and_join_would() {
        let bodies = ["a\n\nb\nc", "\nx\n\ny\n", "x\ny", "a\n\n\nb\n", "", "\n"];
        for body in bodies {
            let lines: Vec<&str> = body.split('\n').collect();
            for templates in 0..1u32 << lines.len() {
                let is_template = |hash: u64| {
                    lines
                        .iter()
                        .enumerate()
                        .any(|(i, line)| templates >> i & 1 == 1 && hash_text(line) == hash)
                };
                let dropped: Vec<bool> = lines
                    .iter()
                    .map(|line| !line.trim().is_empty() && is_template(hash_text(line)))
                    .collect();
                let mut expected = Article {
                    body: body.into(),
                    ..Article::default()
                };
                if dropped.contains(&true) && dropped.contains(&false) {
                    let kept: Vec<&str> = lines
                        .iter()
                        .zip(&dropped)
                        .filter(|&(_, &d)| !d)
                        .map(|(line, _)| *line)
                        .collect();
                    expected.body = kept.join("\n");
                    for (line, _) in lines.iter().zip(&dropped).filter(|&(_, &d)| d) {
                        expected.removed.push(Removed {
                            kind: RemovedKind::SiteTemplate,
                            text: line.to_string(),
                        });
                    }
                }
                let mut article = Article {
                    body: body.into(),
                    ..Article::default()
                };
                remove_templates(&mut article, is_template, 10);
                assert_eq!(article, expected, "{body:?}, templates {templates:b}");
            }
        }
    }

    #[test]
    fn duplicate_pages_count_once_and_pages_are_never_emptied() {
        let options = Options {
            mode: Mode::On,
            ..Options::default()
        };
        let same = || page("http://a.cn/x", "同一篇文章。\n第二段。");
        let out = run(options, vec![same(), same(), same(), same()]);
        assert!(out.iter().all(|a| a.body == "同一篇文章。\n第二段。"));
    }

    #[test]
    fn auto_mode_leaves_small_runs_alone() {
        let pages = (0..10)
            .map(|i| {
                page(
                    "http://a.cn/",
                    &format!("正文{}。\n页脚", "甲".repeat(i + 1)),
                )
            })
            .collect();
        let out = run(Options::default(), pages);
        assert!(out.iter().all(|a| a.body.ends_with("页脚")));
    }

    #[test]
    fn hosts_come_from_urls_then_folders() {
        assert_eq!(
            url_host("https://user@WWW.News.CN:8080/a?b").as_deref(),
            Some("news.cn")
        );
        assert_eq!(url_host("news.cn/a").as_deref(), Some("news.cn"));
        let article = Article {
            input: InputReport {
                path: Some("dump/site-a/1.html".into()),
                ..InputReport::default()
            },
            ..Article::default()
        };
        assert_eq!(host_key(&article), "dump/site-a");
    }

    #[test]
    fn hashes_ignore_whitespace_case_and_digits() {
        assert_eq!(hash_text("© 2018 Sina"), hash_text("©2019\tsina\u{3000}"));
        assert_ne!(hash_text("关注我们"), hash_text("关注他们"));
        let (body, lines) = body_hashes("关注我们 2018\n \u{3000}\n\n正文。");
        assert_eq!(body, hash_text("关注我们2019正文。"));
        assert_eq!(
            lines,
            [
                Some(hash_text("关注我们 2019")),
                None,
                None,
                Some(hash_text("正文。"))
            ]
        );
    }
}
