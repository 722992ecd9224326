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
//! records (in output order), and each host learns only from its first
//! [`Options::learn_pages`] distinct pages, then freezes its template set. So memory stays
//! bounded on endless streams, and a page is judged by everything before it plus the window
//! after it: the first pages of a host are only cleaned of templates that recur within the
//! window, and a template that first shows up after a host's learning window is never
//! learned. Exact duplicate pages count once, and a page is never emptied (if every paragraph
//! of a page is "template", it is a duplicate or an index page, and is left as it is).
//!
//! [`Mode::Auto`] (the batch default) switches the stage on only for runs of at least
//! [`Options::auto_min_records`] records: a handful of pages says nothing about a site.

use std::collections::hash_map::DefaultHasher;
use std::collections::VecDeque;

// Fx hashing: the keys are already SipHash values of normalised text (and host names of
// the run's own inputs); this stage runs on the thread that reads and writes for all workers.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::hash::Hasher;
use std::path::Path;

use super::Outcome;
use crate::article::{Article, Removed, RemovedKind};
use crate::model::may_start_whitespace;
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

    fn is_template(&self, hash: u64, options: &Options) -> bool {
        match &self.frozen {
            Some(set) => set.contains(&hash),
            None => self
                .counts
                .get(&hash)
                .is_some_and(|&n| u64::from(n) >= self.threshold(options)),
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
        self.window.push_back(prepared);
        if self.active.is_none() && self.seen >= self.options.auto_min_records {
            self.active = Some(true);
        }
        while self.window.len() > self.options.lookahead {
            if let Some(prepared) = self.window.pop_front() {
                ready.extend([self.apply(prepared)]);
            }
        }
    }

    /// The end of the input: appends everything still held to `ready`.
    pub fn finish(&mut self, ready: &mut impl Extend<Outcome>) {
        if self.active.is_none() {
            self.active = Some(self.seen >= self.options.auto_min_records);
        }
        while let Some(prepared) = self.window.pop_front() {
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
                    remove_hashed(
                        &mut article,
                        &hashes.lines,
                        |hash| host.is_template(hash, &self.options),
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

/// Removes the body paragraphs whose hash (`hashes`, from [`body_hashes`] of the body)
/// `is_template` says so, unless that is all of them.
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
    let lines: Vec<&str> = article.body.split('\n').collect();
    let mut body = Vec::new();
    for (line, &dropped) in lines.iter().zip(&drop) {
        if dropped {
            article.removed.push(Removed {
                kind: RemovedKind::SiteTemplate,
                text: (*line).to_string(),
            });
        } else {
            body.push(*line);
        }
    }
    let body = body.join("\n");
    if article.words.len() == lines.len() {
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
            if pos.len() == lines.len() {
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
    let mut normalized = Vec::with_capacity(body.len());
    let mut lines = Vec::new();
    for line in body.split('\n') {
        let start = normalized.len();
        push_normalized(line, &mut normalized);
        // Normalising drops exactly the whitespace, so nothing is left of a blank line.
        lines.push((normalized.len() > start).then(|| hash_bytes(&normalized[start..])));
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

/// SipHash (std's default): content hashes must not collide by accident across millions of
/// paragraphs, and hashing the normalised bytes in one call costs ~1.5 cycles a byte.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Appends `text` to `out` normalised for matching: whitespace dropped, ASCII lower-cased,
/// ASCII digits folded to `0` (so "© 2018" and "© 2019" footers match).
///
/// Most bytes are copied as they are, so runs between [`MAY_CHANGE`] bytes are copied whole.
fn push_normalized(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut copied_to = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if !MAY_CHANGE[usize::from(byte)] {
            at += 1;
            continue;
        }
        out.extend_from_slice(&bytes[copied_to..at]);
        if byte.is_ascii() {
            match byte {
                // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form feed,
                // carriage return, space.
                b'\t'..=b'\r' | b' ' => {}
                b'0'..=b'9' => out.push(b'0'),
                _ => out.push(byte.to_ascii_lowercase()),
            }
            at += 1;
        } else {
            // The lead byte of a character that may be whitespace: decode it to know.
            let c = text[at..].chars().next().unwrap_or(' ');
            let width = c.len_utf8();
            if !c.is_whitespace() {
                out.extend_from_slice(&bytes[at..at + width]);
            }
            at += width;
        }
        copied_to = at;
    }
    out.extend_from_slice(&bytes[copied_to..]);
}

/// Bytes [`push_normalized`] must look at: digits, capitals and the bytes that may start a
/// whitespace character ([`may_start_whitespace`]). Every other byte, continuation bytes
/// included, is copied unchanged.
const MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = matches!(b, b'0'..=b'9' | b'A'..=b'Z') || may_start_whitespace(b);
        byte += 1;
    }
    table
};

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
            text.clear();
            text.push('A');
            text.push(c);
            text.push_str("中 1");
            text.push(c);
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            push_normalized(&text, &mut fast);
            push_normalized_slowly(&text, &mut slow);
            assert_eq!(fast, slow, "{c:?} (U+{:04X})", u32::from(c));
        }
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
