//! A whole batch run: items → clean (pool) → site templates → serialise (pool) → output lines.
//!
//! The caller's thread reads the items (lazily, through the pools), runs the site-template
//! stage (it needs every record in output order) and writes each finished record as one JSON
//! line: articles to the main output, error and skip records to the errors output when there
//! is one. Everything else runs on worker threads, including the JSON serialisation after
//! the template stage: done on the caller's thread it cost about a fifth of a worker's time,
//! which capped `--jobs 2` well below twice `--jobs 1`. It stops reading when the `stop` flag
//! is raised (Ctrl-C), still writes what is in flight, and says so in the returned [`Stats`].

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::pool::{PoolIter, PoolOptions, Workers};
use super::progress::Progress;
use super::site_template::{self, Prepared, SiteTemplates};
use super::stats::Stats;
use super::{clean_item, Item, Outcome};
use crate::article::InputReport;
use crate::pipeline::Cleaner;

/// How a run goes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Workers, order and queue size.
    pub pool: PoolOptions,
    /// Pretty-print records (multi-line JSON).
    pub pretty: bool,
    /// Print each error record's message on stderr (`zhclean: <input>: <message>`).
    pub report_errors: bool,
    /// The site-template stage.
    pub templates: site_template::Options,
}

/// Where records go.
pub struct Sinks<'a> {
    /// Articles (and every other record, unless `errors` is set).
    pub out: &'a mut dyn Write,
    /// Error and skip records, if they go elsewhere.
    pub errors: Option<&'a mut dyn Write>,
}

/// Runs the batch; returns the counts once everything read was written.
///
/// # Errors
/// Only when writing fails (a closed pipe, a full disk): the run stops at once.
pub fn run<I>(
    cleaner: Arc<Cleaner>,
    items: I,
    options: &RunOptions,
    mut sinks: Sinks<'_>,
    progress: &mut Progress,
    stop: &AtomicBool,
) -> io::Result<Stats>
where
    I: Iterator<Item = Item>,
{
    warm_up(&cleaner);
    let started = Instant::now();
    let mut stats = Stats {
        jobs: options.pool.jobs,
        ..Stats::default()
    };
    // One set of threads for both pools: `--jobs N` means N busy threads.
    let workers = Workers::new(options.pool.jobs);
    let cleaned = PoolIter::on(Arc::clone(&workers), items, options.pool, move |item| {
        Prepared::new(clean_item(&cleaner, item))
    });
    let templated = Templated {
        cleaned,
        templates: SiteTemplates::new(options.templates.clone()),
        ready: VecDeque::new(),
        finished: false,
        stop,
        interrupted: false,
    };
    let pretty = options.pretty;
    let mut results = PoolIter::on(
        workers,
        templated,
        options.pool,
        move |mut outcome: Outcome| {
            let mut line = Vec::new();
            outcome.write_json_line(pretty, &mut line);
            // Past this point the record is only counted (stats, names): free its words here,
            // on a worker, not on the writer's thread (thousands of small frees per page).
            if let Outcome::Article(article) = &mut outcome {
                article.words = crate::words::Words::default();
                article.pos = None;
                article.body = String::new();
            }
            (outcome, line)
        },
    );
    let mut last = None;
    for result in results.by_ref() {
        // Serialising cannot panic in practice; if it did, the record still gets a line.
        let (outcome, line) = result.unwrap_or_else(|panicked| {
            let outcome = panicked.into_outcome();
            let mut line = Vec::new();
            outcome.write_json_line(pretty, &mut line);
            (outcome, line)
        });
        write(&outcome, &line, options, &mut sinks, &mut stats, progress)?;
        last = Some(outcome);
    }
    // A Ctrl-C that came while the last records were read still counts: the run was cut.
    stats.interrupted = results.input().interrupted || stop.load(Ordering::Relaxed);
    sinks.out.flush()?;
    if let Some(errors) = sinks.errors.as_mut() {
        errors.flush()?;
    }
    stats.last_input = last.as_ref().map(name);
    stats.finish(started.elapsed());
    progress.update(&stats);
    Ok(stats)
}

/// The cleaning pool's output run through the site-template stage, in output order: the input
/// of the serialising pool. Stops reading new items when `stop` is raised.
struct Templated<'a, I: Iterator<Item = Item>> {
    cleaned: PoolIter<I, Prepared>,
    templates: SiteTemplates,
    ready: VecDeque<Outcome>,
    finished: bool,
    stop: &'a AtomicBool,
    interrupted: bool,
}

impl<I: Iterator<Item = Item>> Iterator for Templated<'_, I> {
    type Item = Outcome;

    fn next(&mut self) -> Option<Outcome> {
        loop {
            if let Some(outcome) = self.ready.pop_front() {
                return Some(outcome);
            }
            if self.finished {
                return None;
            }
            if self.stop.load(Ordering::Relaxed) && !self.interrupted {
                self.interrupted = true;
                self.cleaned.stop_input();
            }
            match self.cleaned.next() {
                Some(result) => {
                    let prepared = result.unwrap_or_else(|p| Prepared::new(p.into_outcome()));
                    self.templates.push(prepared, &mut self.ready);
                }
                None => {
                    self.finished = true;
                    self.templates.finish(&mut self.ready);
                }
            }
        }
    }
}

fn write(
    outcome: &Outcome,
    line: &[u8],
    options: &RunOptions,
    sinks: &mut Sinks<'_>,
    stats: &mut Stats,
    progress: &mut Progress,
) -> io::Result<()> {
    stats.add(outcome);
    progress.update(stats);
    if let (true, Outcome::Error(record)) = (options.report_errors, outcome) {
        progress.println(&format!(
            "zhclean: {}: {}",
            name(outcome),
            record.error.message
        ));
    }
    let sink: &mut dyn Write = match (&mut sinks.errors, outcome) {
        (Some(errors), Outcome::Error(_) | Outcome::Skipped(_)) => &mut **errors,
        _ => &mut *sinks.out,
    };
    sink.write_all(line)
}

/// Cleans one small page before the clock starts, so that what the stages load on first use
/// (jieba's IDF table, regex caches) counts as setup rather than as the first record's time.
fn warm_up(cleaner: &Cleaner) {
    let page = "据新华社报道，会议在北京举行，代表们讨论了垃圾分类工作。\n标签：垃圾分类";
    let _ = clean_item(
        cleaner,
        Item::page(
            page.as_bytes().to_vec(),
            crate::pipeline::InputMeta::default(),
        ),
    );
}

/// How a written record is named in the "got this far" message.
fn name(outcome: &Outcome) -> String {
    let (input, id): (&InputReport, &Option<String>) = match outcome {
        Outcome::Article(a) => (&a.input, &a.id),
        Outcome::Error(e) => (&e.input, &e.id),
        Outcome::Skipped(s) => (&s.input, &s.id),
    };
    let meta = crate::pipeline::InputMeta {
        id: id.clone(),
        path: input.path.clone(),
        url: input.url.clone(),
        line: input.line,
        record: input.record,
        ..Default::default()
    };
    super::describe(&meta)
}
