//! Site templates: body paragraphs that repeat verbatim on many pages of one site.
//!
//! A site's navigation, slogans, "follow us" blurbs and footers survive per-page extraction
//! because on one page they look like text. Across pages of the same host they give
//! themselves away: the same paragraph, word for word, on page after page. Such paragraphs
//! leave the body as `removed.kind = "site_template"` (appended after the page's other
//! removals), with `words`, `pos` and `keywords` updated to match. The stage runs before
//! the quality score and the `--min-quality` decision (`batch::score_and_judge`), so both
//! describe the body written.
//!
//! The host is the URL's host (without `www.`), else the input's folder. A paragraph is a
//! template of its host when it appears (after normalisation: whitespace dropped, ASCII
//! lower-cased, digits folded to `0`) on at least K distinct pages of it, with
//! K = max(3, 1% of the host's pages seen so far).
//!
//! Streaming trade-off: results flow through a look-ahead window of [`TemplateOptions::lookahead`]
//! records (in input order), and of at most [`TemplateOptions::window_bytes`] of body text (a run of
//! huge pages holds fewer), and each host learns only from its first
//! [`TemplateOptions::learn_pages`] distinct pages, then freezes its template set. So memory stays
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
//! [`TemplateOptions::auto_min_records`] records: a handful of pages says nothing about a site.
use std::collections::VecDeque;
use std::path::Path;
// Fx hashing: the keys are already content hashes of normalised text ([`hash_bytes`]) and
// host names of the run's own inputs; this stage runs on the thread that reads and writes
// for all workers.
use super::Outcome;
use crate::article::{Article, Removed, RemovedKind};
use crate::segment::top_keywords;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use normalize::body_hashes;

mod normalize;

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

/// Tuning of the stage; the defaults are what `zhclean` uses. (Not [`crate::Options`], the
/// cleaner's options: this stage works across records, outside the cleaner.)
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateOptions {
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

impl Default for TemplateOptions {
    fn default() -> Self {
        TemplateOptions {
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
    fn threshold(&self, options: &TemplateOptions) -> u64 {
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
    options: TemplateOptions,
    window: VecDeque<Prepared>,
    /// Body bytes of the records in `window`.
    window_bytes: usize,
    hosts: HashMap<String, Host>,
    seen: u64,
    active: Option<bool>,
}

impl SiteTemplates {
    /// A stage with `options` (the look-ahead is at least `auto_min_records`).
    pub fn new(mut options: TemplateOptions) -> SiteTemplates {
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
    /// far. For the batch runner, before a record of more than [`TemplateOptions::window_bytes`]
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
    use super::normalize::body_hashes;
    use super::normalize::tests::hash_text;
    use super::*;
    use crate::article::InputReport;
    use crate::words::Words;

    /// [`remove_hashed`] with the hashes computed here.
    fn remove_templates(article: &mut Article, is_template: impl Fn(u64) -> bool, keywords: usize) {
        let hashes = line_hashes(&article.body);
        remove_hashed(article, &hashes, is_template, keywords);
    }

    /// The hash of each `\n`-separated line of `body`, `None` for a blank line.
    fn line_hashes(body: &str) -> Vec<Option<u64>> {
        body_hashes(body).1
    }

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

    fn run(options: TemplateOptions, pages: Vec<Outcome>) -> Vec<Article> {
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

    #[test]
    fn a_footer_repeated_on_a_host_is_removed_and_words_follow() {
        let options = TemplateOptions {
            mode: Mode::On,
            lookahead: 4,
            ..TemplateOptions::default()
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
        let options = TemplateOptions {
            mode: Mode::On,
            ..TemplateOptions::default()
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
        let out = run(TemplateOptions::default(), pages);
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
}
