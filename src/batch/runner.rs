//! A whole batch run: items → clean (pool) → site templates → quality score, `--min-quality`
//! decision and serialise (pool) → output lines.
//!
//! A reading thread pulls the items (files, stdin, archives) and hands them over a short
//! channel, so that no read, however long it blocks (an idle pipe, a FIFO with no writer),
//! holds up the rest. The caller's thread runs an event loop: it feeds the cleaning pool,
//! runs the site-template stage (which needs the records in input order), feeds the
//! serialising pool, and writes each finished record as one JSON line: articles to the main
//! output, error and skip records to the errors output when there is one. Whenever it has
//! nothing to do it flushes the outputs and waits for whichever comes first: an item, a
//! finished record, or a [`Stop`]. So in a pipe each record comes out as soon as it and the
//! records before it are done (the site-template stage may hold a window of them back, see
//! [`super::site_template`]). The JSON serialisation runs on the workers too: on the
//! caller's thread it cost about a fifth of a worker's time, which capped `--jobs 2` well
//! below twice `--jobs 1`.
//!
//! Contracts:
//! - The output is a function of the input: the cleaning pool hands records to the
//!   site-template stage in input order whatever `--jobs` says, and also with `--unordered`
//!   unless that stage is off; `--unordered` then only reorders the writing.
//! - Memory: records in flight are bounded in number and in bytes
//!   ([`super::pool::PoolOptions::max_weight`]), the template window in records and bytes.
//! - A [`Stop`] (Ctrl-C, SIGTERM) stops the reading, even while a read is blocked; what is in
//!   flight is still cleaned and written, and the returned [`Stats`] say the run was cut.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crossbeam_channel::{Receiver, Select, Sender, TryRecvError};

use super::pool::{Pool, PoolOptions, Workers};
use super::progress::Progress;
use super::site_template::{self, Mode, Prepared, SiteTemplates};
use super::stats::Stats;
use super::{clean_item, clean_item_unscored, score_and_judge, Item, Outcome};
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
    pub templates: site_template::TemplateOptions,
    /// Write a `low_quality` skip record instead of an article whose `quality.score` is below
    /// this (`--min-quality`); `None` keeps all.
    pub min_quality: Option<f64>,
}

/// Where records go.
pub struct Sinks<'a> {
    /// Articles (and every other record, unless `errors` is set).
    pub out: &'a mut dyn Write,
    /// Error and skip records, if they go elsewhere.
    pub errors: Option<&'a mut dyn Write>,
    /// The run report's aggregates (`--report`), counted where the [`Stats`] are.
    pub report: Option<&'a mut crate::report::Collector>,
}

/// A request to stop a run early, raised from any thread (a signal handler's): the run reads
/// no more input, also when it is waiting for input, and finishes what is in flight.
///
/// ```
/// use zhclean::internals::batch::runner::Stop;
/// let stop = Stop::new();
/// assert!(!stop.is_raised());
/// stop.raise();
/// assert!(stop.is_raised());
/// ```
pub struct Stop {
    raised: AtomicBool,
    wake: Sender<()>,
    woken: Receiver<()>,
}

impl Stop {
    /// A stop not raised yet.
    pub fn new() -> Stop {
        // One wake-up is enough: the flag says the rest.
        let (wake, woken) = crossbeam_channel::bounded(1);
        Stop {
            raised: AtomicBool::new(false),
            wake,
            woken,
        }
    }

    /// Raises the stop and wakes the run. Returns `true` if it was raised already.
    pub fn raise(&self) -> bool {
        let before = self.raised.swap(true, Ordering::SeqCst);
        let _ = self.wake.try_send(());
        before
    }

    /// Whether the stop was raised.
    pub fn is_raised(&self) -> bool {
        self.raised.load(Ordering::SeqCst)
    }
}

impl Default for Stop {
    fn default() -> Self {
        Stop::new()
    }
}

/// Items the reading thread may have read ahead, beyond those in the cleaning pool: enough
/// that it is handed a burst of room at a time (with 2 places it was woken for every
/// record, at a cost of 7 context switches a record on two cores), and ...
const READ_AHEAD: usize = 16;

/// ... the bytes those may hold together (a larger item still goes alone): a read-ahead item
/// may be a record of many megabytes.
const READ_AHEAD_BYTES: usize = 8 * 1024 * 1024;

/// Runs the batch; returns the counts once everything read was written.
///
/// `items` is read on a thread of its own. If the run is stopped while that thread is
/// blocked in a read, the thread is left behind (it ends at its next item, or with the
/// process).
///
/// # Errors
/// When the worker threads cannot be started, or writing fails (a closed pipe, a full disk):
/// the run stops at once; the error names the output.
///
/// One event loop of about 170 lines: it owns every queue of the run (the read-ahead, the
/// two pools, the template window, the ready records), and its steps, each commented, move
/// records from one to the next.
pub fn run<I>(
    cleaner: Arc<Cleaner>,
    items: I,
    options: &RunOptions,
    mut sinks: Sinks<'_>,
    progress: &mut Progress,
    stop: &Stop,
) -> io::Result<Stats>
where
    I: Iterator<Item = Item> + Send + 'static,
{
    warm_up(&cleaner);
    let started = Instant::now();
    let mut stats = Stats {
        jobs: options.pool.jobs,
        ..Stats::default()
    };
    // One set of threads for both pools: `--jobs N` means N busy threads.
    let workers = Workers::try_new(options.pool.jobs)?;
    // The template stage learns from records in the order it gets them: in input order, or
    // the output would depend on which worker finished first.
    let clean_options = PoolOptions {
        ordered: options.pool.ordered || options.templates.mode != Mode::Off,
        ..options.pool
    };
    let min_quality = options.min_quality;
    let mut clean = Pool::on(Arc::clone(&workers), clean_options, move |item| {
        Prepared::new(clean_item_unscored(&cleaner, item))
    });
    let pretty = options.pretty;
    // The report measures bodies when the record is counted.
    let keep_body = sinks.report.is_some();
    // The quality score and the `--min-quality` decision come after the template stage: on
    // the body written.
    let mut serialise = Pool::on(workers, options.pool, move |outcome: Outcome| {
        let mut outcome = score_and_judge(outcome, min_quality);
        let mut line = Vec::new();
        outcome.write_json_line(pretty, &mut line);
        // Past this point the record is only counted (stats, names): free its words here,
        // on a worker, not on the writer's thread (thousands of small frees per page).
        if let Outcome::Article(article) = &mut outcome {
            article.words = crate::words::Words::default();
            article.pos = None;
            if !keep_body {
                article.body = String::new();
            }
        }
        (outcome, line)
    });
    let mut templates = SiteTemplates::new(options.templates.clone());
    let ahead = Arc::new(Ahead::default());
    // Lets the reading thread go if the run ends first (an error, a stop).
    let _close = Closing(Arc::clone(&ahead));
    let input = read_ahead(items, Arc::clone(&ahead));

    let mut next_item: Option<Item> = None;
    // The weights of the items in the cleaning pool, in input order (the order they come out
    // when the template stage is on), and whether the window was let go for the first one.
    let mut cleaning: VecDeque<usize> = VecDeque::new();
    let mut released_for_next = false;
    let heavy = options.templates.window_bytes;
    let mut reading = true;
    let mut templated_all = false;
    let mut ready: VecDeque<Outcome> = VecDeque::new();
    let mut last = None;
    loop {
        let mut busy = false;
        if reading && stop.is_raised() {
            reading = false;
            stats.interrupted = true;
        }
        // Input → cleaning pool, while it has room (in records and in bytes). An item already
        // taken from the reader is cleaned even after a stop: it was read.
        loop {
            if next_item.is_none() && reading {
                match input.try_recv() {
                    Ok(item) => {
                        ahead.taken(item.weight());
                        next_item = Some(item);
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => reading = false,
                }
            }
            let Some(item) = next_item.take() else { break };
            let weight = item.weight();
            match clean.try_push_weighted(item, weight) {
                Ok(()) => {
                    cleaning.push_back(weight);
                    busy = true;
                }
                Err(held) => {
                    next_item = Some(held);
                    break;
                }
            }
        }
        // A huge record next: what the template window holds goes out before it, while it
        // is being cleaned (see `SiteTemplates::release_all`).
        if cleaning.front().is_some_and(|&weight| weight > heavy) && !released_for_next {
            templates.release_all(&mut ready);
            released_for_next = true;
            busy = true;
        }
        // Cleaned → template stage → ready, in input order; at most a pool's worth waiting.
        while ready.len() < options.pool.capacity {
            let Some(result) = clean.try_pop() else { break };
            cleaning.pop_front();
            released_for_next = false;
            let prepared = result.unwrap_or_else(|p| Prepared::new(p.into_outcome()));
            templates.push(prepared, &mut ready);
            busy = true;
            if cleaning.front().is_some_and(|&weight| weight > heavy) {
                break;
            }
        }
        if !reading && next_item.is_none() && clean.in_flight() == 0 && !templated_all {
            templates.finish(&mut ready);
            templated_all = true;
            busy = true;
        }
        // Ready → serialising pool.
        while let Some(weight) = ready.front().map(body_bytes) {
            if !serialise.has_room_for(weight) {
                break;
            }
            if let Some(outcome) = ready.pop_front() {
                serialise.push_weighted(outcome, weight);
                busy = true;
            }
        }
        // Serialised → written.
        while let Some(result) = serialise.try_pop() {
            // Serialising cannot panic in practice; if it did, the record still gets a line.
            let (outcome, line) = result.unwrap_or_else(|panicked| {
                let outcome = panicked.into_outcome();
                let mut line = Vec::new();
                outcome.write_json_line(pretty, &mut line);
                (outcome, line)
            });
            write(&outcome, &line, options, &mut sinks, &mut stats, progress)?;
            last = Some(outcome);
            busy = true;
        }
        if templated_all && ready.is_empty() && serialise.in_flight() == 0 {
            break;
        }
        if busy {
            continue;
        }
        // Nothing to do until something arrives: what is written goes out now (a reader at
        // the other end of a pipe sees each record as it is done), part-filled batches go to
        // the workers, and the loop sleeps until an item, a result or a stop.
        flush(&mut sinks)?;
        // Finished records first: with one worker, a huge record queued ahead of them would
        // hold them back for as long as it takes (or for ever, if it cannot be cleaned).
        serialise.send_pending();
        clean.send_pending();
        // Only what the loop would take: a channel with a message it leaves there would wake
        // it again at once, for ever.
        let mut select = Select::new();
        if reading && next_item.is_none() {
            select.recv(&input);
        }
        if ready.len() < options.pool.capacity {
            clean.watch(&mut select);
        }
        serialise.watch(&mut select);
        if reading {
            select.recv(&stop.woken);
        }
        select.ready();
    }
    // (A stop that came once all the input was read cut nothing: the run is whole.)
    flush(&mut sinks)?;
    stats.last_input = last.as_ref().map(name);
    stats.finish(started.elapsed());
    progress.update(&stats);
    Ok(stats)
}

/// The bytes the reading thread has read ahead, not yet taken by the run.
#[derive(Default)]
struct Ahead {
    /// Bytes read ahead; `None` once the run is over.
    bytes: Mutex<Option<usize>>,
    room: Condvar,
}

impl Ahead {
    /// Waits until an item of `weight` may be read ahead (or the run is over: `false`).
    fn make_room(&self, weight: usize) -> bool {
        let Ok(mut bytes) = self.bytes.lock() else {
            return false;
        };
        loop {
            match *bytes {
                None => return false,
                Some(held) if held > 0 && held.saturating_add(weight) > READ_AHEAD_BYTES => {
                    bytes = match self.room.wait(bytes) {
                        Ok(bytes) => bytes,
                        Err(_) => return false,
                    };
                }
                Some(held) => {
                    *bytes = Some(held.saturating_add(weight));
                    return true;
                }
            }
        }
    }

    /// The run took an item of `weight`.
    fn taken(&self, weight: usize) {
        if let Ok(mut bytes) = self.bytes.lock() {
            if let Some(held) = bytes.as_mut() {
                *held = held.saturating_sub(weight);
            }
        }
        self.room.notify_one();
    }

    fn close(&self) {
        if let Ok(mut bytes) = self.bytes.lock() {
            *bytes = None;
        }
        self.room.notify_one();
    }
}

/// Closes the read-ahead when the run ends, however it ends.
struct Closing(Arc<Ahead>);

impl Drop for Closing {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Runs `items` on a thread of its own, handing them over a channel of [`READ_AHEAD`] places
/// and at most [`READ_AHEAD_BYTES`] (accounted in `ahead`); the thread ends when the items do
/// or the run does.
fn read_ahead<I>(items: I, ahead: Arc<Ahead>) -> Receiver<Item>
where
    I: Iterator<Item = Item> + Send + 'static,
{
    if let Ok(mut bytes) = ahead.bytes.lock() {
        *bytes = Some(0);
    }
    let (sender, receiver) = crossbeam_channel::bounded(READ_AHEAD);
    let spawned = std::thread::Builder::new()
        .name("zhclean-reader".into())
        .spawn(move || {
            for item in items {
                if !ahead.make_room(item.weight()) || sender.send(item).is_err() {
                    break;
                }
            }
        });
    if let Err(e) = spawned {
        // No thread for reading: the run ends at once with one error record saying why.
        let (sender, receiver) = crossbeam_channel::bounded(1);
        let message = format!("cannot start the reading thread: {e}");
        let _ = sender.send(Item::failed(
            crate::pipeline::InputMeta::default(),
            0,
            "io",
            message,
        ));
        return receiver;
    }
    receiver
}

/// An outcome's weight in the serialising pool: its body's bytes.
fn body_bytes(outcome: &Outcome) -> usize {
    match outcome {
        Outcome::Article(article) => article.body.len(),
        _ => 0,
    }
}

fn flush(sinks: &mut Sinks<'_>) -> io::Result<()> {
    sinks.out.flush()?;
    if let Some(errors) = sinks.errors.as_mut() {
        errors.flush()?;
    }
    Ok(())
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
    if let Some(report) = sinks.report.as_mut() {
        report.add(outcome);
    }
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
        None,
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
