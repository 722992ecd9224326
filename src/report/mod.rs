//! The run report (`--report FILE`): one self-contained HTML page of a batch run's figures.
//!
//! [`Collector::add`] sees every output record right where [`Stats::add`] counts it, and keeps
//! aggregates only, each of fixed size whatever the run's length: histograms with fixed bins,
//! at most [`EXAMPLES_PER_KIND`] example ids per error kind (for at most [`MAX_KINDS`] kinds),
//! and the site-template lines of at most [`MAX_SITES`] sites × [`LINES_PER_SITE`] lines
//! kept by the Misra–Gries summary ([`TopK`]: a line on more than 1/k of a site's template
//! removals is never lost; counts are then lower bounds, and marked `≥`). The counts it shares
//! with `--stats` (records, encodings, error kinds, removed kinds, repairs, throughput) are
//! read from the [`Stats`] themselves, so the two always agree.
//!
//! `tests::one_article_gives_a_page_with_charts` below shows the two calls.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::article::RemovedKind;
use crate::batch::site_template::host_key;
use crate::batch::stats::Stats;
use crate::batch::Outcome;
use crate::render::{self, key_values, label, removed_label, repair_label, svg, text};

/// Example record ids kept per error kind.
pub const EXAMPLES_PER_KIND: usize = 5;
/// Error kinds that keep examples (kinds are a short fixed list; this bounds a surprise).
pub const MAX_KINDS: usize = 64;
/// Sites whose site-template lines are tracked.
pub const MAX_SITES: usize = 100;
/// Template lines tracked per site.
pub const LINES_PER_SITE: usize = 20;
/// Sites and lines per site shown.
const SITES_SHOWN: usize = 20;
const LINES_SHOWN: usize = 5;
/// Quality histogram: bins of 0.05 over 0..1.
pub const QUALITY_BINS: usize = 20;
/// Body length bins (characters): lower bounds; the last bin is open.
pub const LENGTH_BOUNDS: [usize; 12] = [
    0, 50, 100, 200, 400, 700, 1000, 1500, 2000, 3000, 5000, 10000,
];
/// Characters of a template line shown.
const LINE_CHARS: usize = 80;

/// The report's own aggregates of a run (what `--stats` does not hold). Bounded memory.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    /// Up to [`EXAMPLES_PER_KIND`] ids (or input names) per error kind.
    pub error_examples: BTreeMap<String, Vec<String>>,
    /// Articles by quality score, bins of 0.05.
    pub quality: [u64; QUALITY_BINS],
    /// Articles by body length in characters ([`LENGTH_BOUNDS`]).
    pub body_chars: [u64; LENGTH_BOUNDS.len()],
    /// Site-template lines per site.
    pub templates: TopK<TopK<()>>,
}

impl Collector {
    /// Counts one output record (call it wherever [`Stats::add`] is called).
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Article(article) => {
                let score = article.quality.score;
                let bin = if score.is_finite() {
                    ((score * QUALITY_BINS as f64) as usize).min(QUALITY_BINS - 1)
                } else {
                    0
                };
                self.quality[bin] += 1;
                let chars = article.body.chars().count();
                let bin = LENGTH_BOUNDS.iter().rposition(|&b| chars >= b).unwrap_or(0);
                self.body_chars[bin] += 1;
                let mut site = None;
                for removed in &article.removed {
                    if removed.kind != RemovedKind::SiteTemplate {
                        continue;
                    }
                    let site = site.get_or_insert_with(|| host_key(article));
                    for line in removed.text.lines().filter(|l| !l.trim().is_empty()) {
                        let line: String = line.trim().chars().take(LINE_CHARS).collect();
                        if let Some(lines) = self.templates.add(site, MAX_SITES) {
                            lines.add(&line, LINES_PER_SITE);
                        }
                    }
                }
            }
            Outcome::Error(record) => {
                let kinds = self.error_examples.len();
                let examples = match self.error_examples.get_mut(&record.error.kind) {
                    Some(examples) => examples,
                    None if kinds < MAX_KINDS => self
                        .error_examples
                        .entry(record.error.kind.clone())
                        .or_default(),
                    None => return,
                };
                if examples.len() < EXAMPLES_PER_KIND {
                    let name = record.id.clone().unwrap_or_else(|| {
                        crate::batch::describe(&crate::pipeline::InputMeta {
                            path: record.input.path.clone(),
                            url: record.input.url.clone(),
                            line: record.input.line,
                            record: record.input.record,
                            ..Default::default()
                        })
                    });
                    examples.push(name);
                }
            }
            Outcome::Skipped(_) => {}
        }
    }

    /// The report page of a run counted by `stats` and `self`.
    pub fn render(&self, stats: &Stats) -> String {
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<h1>{}</h1>",
            text(&label("zhclean 运行报告", "run report"))
        );
        records(&mut body, stats);
        let _ = write!(body, "<div class=\"grid\"><div>");
        section(
            &mut body,
            label("编码", "encodings"),
            "encodings",
            &stats.by_encoding,
            |k| k.to_string(),
        );
        let _ = write!(body, "</div><div>");
        section(
            &mut body,
            label("移除类型", "removed kinds"),
            "removed",
            &stats.removed_by_kind,
            removed_label,
        );
        let _ = write!(body, "</div></div>");
        self.errors(&mut body, stats);
        repairs(&mut body, stats);
        self.histograms(&mut body);
        self.site_templates(&mut body);
        throughput(&mut body, stats);
        render::page("zhclean run report", CSS, &body)
    }

    fn errors(&self, out: &mut String, stats: &Stats) {
        let _ = writeln!(out, "<h2>{}</h2>", text(&label("错误类型", "error kinds")));
        if stats.errors_by_kind.is_empty() {
            let _ = writeln!(out, "<p class=\"muted\">{}</p>", text(&label("无", "none")));
            return;
        }
        let rows: Vec<(String, u64)> = sorted(&stats.errors_by_kind);
        out.push_str(&svg::bars(&rows));
        out.push_str(&render::table_head(
            "data-table=\"errors\"",
            &[
                render::col("类型", "kind"),
                render::num("数量", "count"),
                render::col("示例", "examples"),
            ],
        ));
        for (kind, count) in rows {
            let examples = self
                .error_examples
                .get(&kind)
                .map(|e| {
                    e.iter()
                        .map(|id| format!("<code>{}</code>", text(id)))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr data-key=\"{}\"><td>{}</td><td class=\"num\" data-count>{count}</td><td>{examples}</td></tr>",
                render::attr(&kind),
                text(&kind),
            );
        }
        out.push_str("</table>\n");
    }

    fn histograms(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<div class=\"grid\"><div><h2>{}</h2>",
            text(&label("质量分布", "quality"))
        );
        let names: Vec<String> = (0..QUALITY_BINS)
            .map(|i| {
                let from = i as f64 / QUALITY_BINS as f64;
                format!("{from:.2}–{:.2}", from + 1.0 / QUALITY_BINS as f64)
            })
            .collect();
        let axis: Vec<String> = (0..QUALITY_BINS)
            .map(|i| match i % 4 {
                0 => format!("{:.1}", i as f64 / QUALITY_BINS as f64),
                _ => String::new(),
            })
            .collect();
        out.push_str(&svg::columns(&self.quality, &names, &axis));
        let _ = writeln!(
            out,
            "</div><div><h2>{}</h2>",
            text(&label("正文长度（字）", "body length, characters"))
        );
        let names: Vec<String> = LENGTH_BOUNDS
            .iter()
            .enumerate()
            .map(|(i, b)| match LENGTH_BOUNDS.get(i + 1) {
                Some(next) => format!("{b}–{}", next - 1),
                None => format!("≥{b}"),
            })
            .collect();
        let axis: Vec<String> = LENGTH_BOUNDS.iter().map(|b| b.to_string()).collect();
        out.push_str(&svg::columns(&self.body_chars, &names, &axis));
        out.push_str("</div></div>\n");
    }

    fn site_templates(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<h2>{}</h2>",
            text(&label("各站点模板行", "top site-template lines per site"))
        );
        if self.templates.entries.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"muted\">{}</p>",
                text(&label(
                    "无（站点模板去除未开启或未发现）",
                    "none: --site-boilerplate off or nothing found"
                ))
            );
            return;
        }
        let approx = |pruned: bool| if pruned { "≥" } else { "" };
        out.push_str("<table data-table=\"templates\">");
        for (site, lines) in self.templates.top(SITES_SHOWN) {
            let _ = writeln!(
                out,
                "<tr><th colspan=\"2\">{} <span class=\"muted\">{}{}</span></th></tr>",
                text(if site.is_empty() { "?" } else { site }),
                approx(self.templates.pruned),
                lines.count,
            );
            for (line, entry) in lines.value.top(LINES_SHOWN) {
                let _ = writeln!(
                    out,
                    "<tr><td class=\"num\">{}{}</td><td>{}</td></tr>",
                    approx(lines.value.pruned),
                    entry.count,
                    text(line)
                );
            }
        }
        out.push_str("</table>\n");
    }
}

/// Bounded top-k counts by key (Misra–Gries): at most `k` keys; a new key when full lowers
/// every count by one and drops those at zero (the new key is kept if that made room). A key
/// counted more than `n / (k + 1)` times of `n` is always kept; counts are lower bounds once
/// `pruned`.
#[derive(Debug, Clone, Default)]
pub struct TopK<V> {
    /// Keys and their counted values.
    pub entries: HashMap<String, Counted<V>>,
    /// Whether counts were ever lowered (they are lower bounds then).
    pub pruned: bool,
}

/// A count and a value kept with it.
#[derive(Debug, Clone, Default)]
pub struct Counted<V> {
    /// How often the key was added (a lower bound once the map was pruned).
    pub count: u64,
    /// The key's value (a nested [`TopK`], or `()`).
    pub value: V,
}

impl<V: Default> TopK<V> {
    /// Counts `key` once, keeping at most `k` keys, and returns its value; `None` when the
    /// key was not kept (the map was full and every count above one).
    pub fn add(&mut self, key: &str, k: usize) -> Option<&mut V> {
        if !self.entries.contains_key(key) && self.entries.len() >= k {
            self.pruned = true;
            self.entries.retain(|_, e| {
                e.count -= 1;
                e.count > 0
            });
            if self.entries.len() >= k {
                return None;
            }
        }
        let entry = self.entries.entry(key.to_string()).or_default();
        entry.count += 1;
        Some(&mut entry.value)
    }

    /// The `n` keys with the highest counts, highest first (ties by key).
    pub fn top(&self, n: usize) -> Vec<(&str, &Counted<V>)> {
        let mut all: Vec<(&str, &Counted<V>)> =
            self.entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
        all.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        all.truncate(n);
        all
    }
}

fn sorted(map: &BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = map.iter().map(|(k, v)| (k.clone(), *v)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}

fn records(out: &mut String, stats: &Stats) {
    let _ = writeln!(out, "<h2>{}</h2>", text(&label("记录", "records")));
    let rows = [
        ("records_in", label("输入", "records in"), stats.records_in),
        ("ok", label("成功", "ok"), stats.ok),
        ("errors", label("错误", "errors"), stats.errors),
        ("skipped", label("跳过", "skipped"), stats.skipped),
    ];
    out.push_str("<table data-table=\"records\">");
    for (key, name, count) in rows {
        let _ = writeln!(
            out,
            "<tr data-key=\"{key}\"><th>{}</th><td class=\"num\" data-count>{count}</td></tr>",
            text(&name)
        );
    }
    out.push_str("</table>\n");
    if stats.interrupted {
        let _ = writeln!(
            out,
            "<p><b>{}</b> {}</p>",
            text(&label("运行被中断", "the run was interrupted")),
            text(stats.stopped_by.as_deref().unwrap_or(""))
        );
    }
    if !stats.skipped_by_reason.is_empty() {
        section(
            out,
            label("跳过原因", "skipped, by reason"),
            "skipped",
            &stats.skipped_by_reason,
            |k| k.to_string(),
        );
    }
    if !stats.warc_not_pages.is_empty() {
        section(
            out,
            label(
                "非网页 WARC 记录（无输出行）",
                "WARC records that are not pages, no output line",
            ),
            "warc_not_pages",
            &stats.warc_not_pages,
            |k| k.to_string(),
        );
    }
}

/// A heading, bars and a table of `counts` (each row `data-key`, its count `data-count`).
fn section(
    out: &mut String,
    title: String,
    name: &str,
    counts: &BTreeMap<String, u64>,
    row_label: impl Fn(&str) -> String,
) {
    let _ = writeln!(out, "<h2>{}</h2>", text(&title));
    let rows: Vec<(String, u64)> = sorted(counts);
    let labelled: Vec<(String, u64)> = rows.iter().map(|(k, v)| (row_label(k), *v)).collect();
    out.push_str(&svg::bars(&labelled));
    let _ = write!(out, "<table data-table=\"{name}\">");
    for (key, count) in &rows {
        let _ = writeln!(
            out,
            "<tr data-key=\"{}\"><td>{}</td><td class=\"num\" data-count>{count}</td></tr>",
            render::attr(key),
            text(&row_label(key)),
        );
    }
    out.push_str("</table>\n");
}

fn repairs(out: &mut String, stats: &Stats) {
    let counts: BTreeMap<String, u64> = render::repair_counts(&stats.repairs)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v as u64))
        .collect();
    section(
        out,
        label("修复计数", "repairs"),
        "repairs",
        &counts,
        repair_label,
    );
}

fn throughput(out: &mut String, stats: &Stats) {
    let _ = writeln!(out, "<h2>{}</h2>", text(&label("吞吐量", "throughput")));
    let rows = vec![
        (
            label("用时（秒）", "seconds"),
            format!("{:.2}", stats.seconds),
        ),
        (
            label("记录/秒", "records per second"),
            format!("{:.1}", stats.records_per_sec),
        ),
        (
            label("MB/秒", "MB per second"),
            format!("{:.2}", stats.mb_per_sec),
        ),
        (
            label("输入字节（解压后）", "bytes in, decompressed"),
            stats.bytes_in.to_string(),
        ),
        (
            label("读取字节", "bytes read"),
            stats.bytes_read.to_string(),
        ),
        (label("线程", "jobs"), stats.jobs.to_string()),
    ];
    out.push_str(&key_values(&rows));
}

const CSS: &str = r#"
svg.chart { display: block; margin: .3em 0; max-width: 100%; }
table[data-table="templates"] th { background: #f5f5f7; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_article_gives_a_page_with_charts() {
        let mut stats = Stats::default();
        let mut collector = Collector::default();
        let outcome = Outcome::Article(Box::new(crate::Article {
            body: "正文".into(),
            ..Default::default()
        }));
        stats.add(&outcome);
        collector.add(&outcome);
        let html = collector.render(&stats);
        assert!(html.contains("<svg"));
    }

    #[test]
    fn top_k_keeps_the_frequent_keys_in_bounded_room() {
        let mut top: TopK<()> = TopK::default();
        for i in 0..10_000u32 {
            top.add("often", 4);
            top.add(&format!("rare{i}"), 4);
            assert!(top.entries.len() <= 4);
        }
        assert!(top.pruned);
        assert_eq!(top.top(1)[0].0, "often");
    }

    #[test]
    fn site_template_lines_stay_bounded_over_many_sites() {
        let mut collector = Collector::default();
        for i in 0..50_000u32 {
            let article = crate::Article {
                input: crate::InputReport {
                    url: Some(format!("https://site{}.cn/a/{i}.html", i % 500)),
                    ..Default::default()
                },
                body: "正文".repeat(i as usize % 300),
                removed: vec![crate::Removed {
                    kind: RemovedKind::SiteTemplate,
                    text: format!("版权所有 本站\n第{i}条推荐"),
                }],
                ..Default::default()
            };
            collector.add(&Outcome::Article(Box::new(article)));
        }
        assert!(collector.templates.entries.len() <= MAX_SITES);
        assert!(collector
            .templates
            .entries
            .values()
            .all(|lines| lines.value.entries.len() <= LINES_PER_SITE));
        // The line every page of a site repeats survives the forgetting.
        let (_, lines) = collector.templates.top(1)[0];
        assert_eq!(lines.value.top(1)[0].0, "版权所有 本站");
        assert_eq!(collector.body_chars.iter().sum::<u64>(), 50_000);
        assert_eq!(collector.quality.iter().sum::<u64>(), 50_000);
        let html = collector.render(&Stats::default());
        assert!(html.contains("版权所有 本站"));
    }

    #[test]
    fn histograms_and_examples_stay_bounded() {
        let mut collector = Collector::default();
        for i in 0..100 {
            collector.add(&Outcome::Error(Box::new(crate::article::ErrorRecord::new(
                &crate::pipeline::InputMeta::default().id(format!("r{i}")),
                0,
                "io",
                String::new(),
            ))));
        }
        assert_eq!(
            collector.error_examples["io"],
            ["r0", "r1", "r2", "r3", "r4"]
        );
    }
}
