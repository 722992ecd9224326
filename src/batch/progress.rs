//! The progress bar: on stderr, only when stderr is a terminal and `--quiet` is off.
//!
//! With a known total (every input a regular file) it is a bar over the bytes read, with
//! MB/s and ETA; otherwise (stdin, folders) a spinner over the records. Either way the
//! message shows records, records/s, MB of records and errors so far. Drawing is
//! rate-limited by `indicatif`, so updating once per record costs little.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::stats::Stats;
use super::stream::Counters;

/// How often the message text is rebuilt.
const MESSAGE_EVERY: Duration = Duration::from_millis(200);

/// A progress display, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
    counters: Arc<Counters>,
    total: Option<u64>,
    started: Instant,
    last_message: Instant,
}

impl Progress {
    /// A progress display if `wanted` and stderr is a terminal. `total` is the size in bytes
    /// of all inputs, when known; `counters` gives the bytes read so far.
    pub fn new(wanted: bool, total: Option<u64>, counters: Arc<Counters>) -> Progress {
        let now = Instant::now();
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = match total {
                Some(total) => ProgressBar::with_draw_target(
                    Some(total),
                    ProgressDrawTarget::stderr_with_hz(5),
                )
                .with_style(style(
                    "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} · {msg}",
                )),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(5))
                    .with_style(style("{spinner} {msg}")),
            };
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            counters,
            total,
            started: now,
            last_message: now,
        }
    }

    /// Updates the display after a record was written.
    pub fn update(&mut self, stats: &Stats) {
        let Some(bar) = &self.bar else { return };
        if self.total.is_some() {
            bar.set_position(self.counters.bytes_read.load(Ordering::Relaxed));
        }
        let now = Instant::now();
        if now.duration_since(self.last_message) < MESSAGE_EVERY {
            return;
        }
        self.last_message = now;
        let seconds = now.duration_since(self.started).as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} records ({:.0}/s), {:.1} MB ({:.2} MB/s), {} errors, {} skipped",
            stats.records_in,
            stats.records_in as f64 / seconds,
            stats.bytes_in as f64 / 1e6,
            stats.bytes_in as f64 / 1e6 / seconds,
            stats.errors,
            stats.skipped,
        ));
    }

    /// Prints `line` on stderr without tearing the bar. A closed stderr (the terminal hung
    /// up) loses the line; it does not stop the run.
    pub fn println(&self, line: &str) {
        let print = || {
            let _ = writeln!(std::io::stderr(), "{line}");
        };
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Removes the display (before the summary line is printed).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    // The templates are constants of this file; a bad one is a bug caught by any run on a
    // terminal, and falls back to the default style rather than failing the run.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}
