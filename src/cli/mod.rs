//! The `zhclean` command (feature `cli`): parse flags, build one `Cleaner`, hand the inputs to
//! the batch runner, report. Every decision about inputs and text lives in the stages and in
//! `batch`; this module holds the flags and the process-level concerns (exit codes, signals).
//! It is compiled into the library, next to the runner it drives, so that the runner's
//! plumbing (sources, outputs, progress) need not be public API; `src/main.rs` only calls
//! [`run`].
//!
//! Signals (SIGINT, SIGTERM, SIGHUP) are taken by a thread of their own: the first stops the
//! reading (also while stdin is idle), lets the records in flight finish, keeps the output
//! written so far in `FILE.partial` and exits with 128 + the signal's number; a second exits
//! at once (the partial file keeps what was flushed). See docs/robustness.md, "For operators".

mod args;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use crate::batch::output::{Destination, Output};
use crate::batch::progress::Progress;
use crate::batch::runner::{self, Sinks, Stop};
use crate::batch::source::{Inputs, SourceOptions};
use crate::batch::stats::Stats;
use crate::report::Collector;
use crate::Cleaner;
use clap::Parser;

use args::Args;

/// Exit code when some input failed (its error record was still written).
const EXIT_SOME_FAILED: u8 = 1;
/// Exit code for usage errors and fatal setup or output errors.
const EXIT_USAGE: u8 = 2;

/// The signal that stopped the run (0: none yet).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Prints a line on stderr; a closed stderr (a hung-up terminal) is not worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

/// Runs the `zhclean` command with the process's arguments and returns its exit code.
pub fn run() -> ExitCode {
    // First thing: no signal can find the run without its handling.
    let stop = Arc::new(Stop::new());
    handle_signals(Arc::clone(&stop));
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run_with(&args, &stop) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say!("zhclean: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The run for parsed `args`: the options checked, then one record's explain page or the
/// batch run.
fn run_with(args: &Args, stop: &Stop) -> io::Result<ExitCode> {
    let (sources, cleaner) = match prepare(args) {
        Ok(prepared) => prepared,
        Err(message) => {
            say!("zhclean: {message}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    if let Some(out) = &args.explain {
        return explain(args, sources, &cleaner, out);
    }
    run_batch(args, sources, cleaner, stop)
}

/// The input options and the cleaner of `args`, the outputs checked (before any input is
/// read); the cleaner's warnings printed. An error is a usage error's message.
fn prepare(args: &Args) -> Result<(SourceOptions, Arc<Cleaner>), String> {
    let sources = args.source_options()?;
    check_outputs(args)?;
    let cleaner = Cleaner::new(args.options()).map_err(|e| e.to_string())?;
    for warning in cleaner.warnings() {
        say!("zhclean: warning: {warning}");
    }
    Ok((sources, Arc::new(cleaner)))
}

/// The batch run: outputs (created before any input is read), the runner, then the ending
/// ([`interrupted`] or [`finish`]).
fn run_batch(
    args: &Args,
    sources: SourceOptions,
    cleaner: Arc<Cleaner>,
    stop: &Stop,
) -> io::Result<ExitCode> {
    // Create the outputs before reading anything: a bad -o path is a usage error.
    let mut out = match &args.output {
        Some(path) => Output::create(path)?,
        None => Output::stdout(),
    };
    let mut errors = args.errors.as_deref().map(Output::create).transpose()?;

    let inputs = Inputs::new(args.files.clone(), sources);
    let total = known_total(&args.files);
    let mut progress = Progress::new(!args.quiet, total, inputs.counters());
    let counters = inputs.counters();
    let mut report = args.report.as_ref().map(|_| Collector::default());
    let sinks = Sinks {
        out: &mut out,
        errors: errors.as_mut().map(|e| e as &mut dyn Write),
        report: report.as_mut(),
    };
    let result = runner::run(
        cleaner,
        inputs,
        &args.run_options(),
        sinks,
        &mut progress,
        stop,
    );
    progress.finish();
    let mut stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            // A failed write (a full disk): what was written before stays.
            let kept = keep_partials(out, errors);
            if e.kind() != io::ErrorKind::BrokenPipe {
                say!("zhclean: {e}{kept}");
            }
            return Err(e);
        }
    };
    if let Ok(not_pages) = counters.not_pages.lock() {
        stats.warc_not_pages = not_pages.clone();
    }
    stats.bytes_read = counters.bytes_read.load(Ordering::Relaxed);
    if stats.interrupted {
        interrupted(args, &mut stats, out, errors, report.as_ref())
    } else {
        finish(args, &stats, out, errors, report.as_ref())
    }
}

/// The end of a run a signal stopped: the outputs kept in their partial files, the stats and
/// report written, exit code 128 + the signal's number.
fn interrupted(
    args: &Args,
    stats: &mut Stats,
    out: Output,
    errors: Option<Output>,
    report: Option<&Collector>,
) -> io::Result<ExitCode> {
    let signal = SIGNAL.load(Ordering::SeqCst);
    stats.stopped_by = signal_name(signal).map(str::to_string);
    let kept = keep_partials(out, errors);
    say!(
        "zhclean: interrupted{}: {}{kept}",
        stats
            .stopped_by
            .as_deref()
            .map_or(String::new(), |name| format!(" by {name}")),
        how_far(stats)
    );
    write_stats(args.stats.as_deref(), stats)?;
    write_report(args.report.as_deref(), report, stats)?;
    let code = if signal > 0 { 128 + signal } else { 130 };
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(130)))
}

/// The end of a complete run: the outputs finished, the stats and report written, the
/// summary; exit code [`EXIT_SOME_FAILED`] when an input failed.
fn finish(
    args: &Args,
    stats: &Stats,
    out: Output,
    errors: Option<Output>,
    report: Option<&Collector>,
) -> io::Result<ExitCode> {
    out.finish()?;
    if let Some(errors) = errors {
        errors.finish()?;
    }
    write_stats(args.stats.as_deref(), stats)?;
    write_report(args.report.as_deref(), report, stats)?;
    if !args.quiet {
        say!("zhclean: {}", stats.summary_line());
    }
    Ok(if stats.errors > 0 {
        ExitCode::from(EXIT_SOME_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Refuses outputs that would overwrite each other (`-o x --errors x`, also through links or
/// as another's `x.partial`), and outputs that cannot be written (a folder, a file without
/// write permission), before anything is read.
fn check_outputs(args: &Args) -> Result<(), String> {
    let named = [
        ("-o", args.output.as_deref()),
        ("--errors", args.errors.as_deref()),
        ("--stats", args.stats.as_deref()),
        ("--report", args.report.as_deref()),
        ("--explain", args.explain.as_deref()),
    ];
    let mut files: Vec<(&str, &Path, PathBuf, Option<PathBuf>)> = Vec::new();
    for (flag, path) in named {
        let Some(path) = path else { continue };
        let destination = Destination::of(path).map_err(|e| format!("{flag} {e}"))?;
        if let Some(identity) = destination.file_identity() {
            let partial = destination
                .partial_path()
                .map(|p| absolute_partial(&identity, &p));
            files.push((flag, path, identity, partial));
        }
    }
    for (i, (flag, path, identity, partial)) in files.iter().enumerate() {
        for (other_flag, other_path, other, other_partial) in &files[i + 1..] {
            if identity == other
                || partial.as_ref() == Some(other)
                || other_partial.as_ref() == Some(identity)
            {
                return Err(format!(
                    "{flag} {} and {other_flag} {} name the same file: one would overwrite the other",
                    path.display(),
                    other_path.display()
                ));
            }
        }
    }
    Ok(())
}

/// The absolute path of a destination's partial file, next to its absolute identity.
fn absolute_partial(identity: &Path, partial: &Path) -> PathBuf {
    match (identity.parent(), partial.file_name()) {
        (Some(folder), Some(name)) => folder.join(name),
        _ => partial.to_path_buf(),
    }
}

/// Keeps what the file outputs hold in their partial files; the note for the message
/// naming them.
fn keep_partials(out: Output, errors: Option<Output>) -> String {
    let mut kept = Vec::new();
    for output in std::iter::once(out).chain(errors) {
        match output.keep_partial() {
            Ok(Some(path)) => kept.push(path.display().to_string()),
            Ok(None) => {}
            // A reader that went away (`| head`) is no failure.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
            Err(e) => say!("zhclean: {e}"),
        }
    }
    match kept.len() {
        0 => String::new(),
        _ => format!(
            "; the records written so far are in {} (the output file was not changed)",
            kept.join(" and ")
        ),
    }
}

/// First SIGINT, SIGTERM or SIGHUP: stop reading and finish the records in flight (the
/// runner wakes up even while waiting for input). Second: exit at once.
fn handle_signals(stop: Arc<Stop>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        Ok(signals) => signals,
        Err(e) => {
            say!("zhclean: warning: cannot handle signals: {e}");
            return;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("zhclean-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let name = signal_name(signal).unwrap_or("a signal");
                // Noted before the stop is raised: the run reads it as soon as it stops.
                let first = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
                if first.is_err() {
                    std::process::exit(128 + signal);
                }
                stop.raise();
                say!("\nzhclean: {name}: stopping after the records in flight ({name} again to quit now)");
            }
        });
    if let Err(e) = spawned {
        say!("zhclean: warning: cannot handle signals: {e}");
    }
}

fn signal_name(signal: i32) -> Option<&'static str> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    match signal {
        SIGINT => Some("SIGINT"),
        SIGTERM => Some("SIGTERM"),
        SIGHUP => Some("SIGHUP"),
        _ => None,
    }
}

/// Sum of the input sizes when every input is a regular file (for the progress bar's ETA).
fn known_total(paths: &[PathBuf]) -> Option<u64> {
    if paths.is_empty() {
        return None;
    }
    paths.iter().try_fold(0u64, |sum, path| {
        let meta = std::fs::metadata(path).ok()?;
        meta.is_file().then(|| sum + meta.len())
    })
}

fn how_far(stats: &Stats) -> String {
    let mut text = format!(
        "{} records written ({} ok, {} errors, {} skipped)",
        stats.records_in, stats.ok, stats.errors, stats.skipped
    );
    if let Some(last) = &stats.last_input {
        text.push_str(&format!("; last input: {last}"));
    }
    text
}

fn write_stats(path: Option<&Path>, stats: &Stats) -> io::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let mut out = Output::create(path)?;
    // Stats are numbers and strings: serialising cannot fail.
    let json = serde_json::to_string_pretty(stats).unwrap_or_default();
    writeln!(out, "{json}")?;
    out.finish()
}

fn write_report(path: Option<&Path>, report: Option<&Collector>, stats: &Stats) -> io::Result<()> {
    let (Some(path), Some(report)) = (path, report) else {
        return Ok(());
    };
    let mut out = Output::create(path)?;
    out.write_all(report.render(stats).as_bytes())?;
    out.finish()
}

/// `--explain OUT PATH [--id ID]`: one record's explain page.
fn explain(
    args: &Args,
    sources: SourceOptions,
    cleaner: &Cleaner,
    out: &Path,
) -> io::Result<ExitCode> {
    let input = match args.files.as_slice() {
        [] => PathBuf::from("-"),
        [one] => one.clone(),
        _ => {
            say!(
                "zhclean: --explain takes one input (a page file, or a JSONL/WARC file with --id)"
            );
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let same = Destination::of(out)
        .ok()
        .and_then(|d| d.file_identity())
        .zip(std::fs::canonicalize(&input).ok())
        .is_some_and(|(out, input)| out == input);
    if same {
        say!(
            "zhclean: --explain {} would overwrite the page it explains",
            out.display()
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let name = if input.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        input.display().to_string()
    };
    let items = Inputs::new(vec![input], sources);
    let (bytes, meta) = match crate::explain::pick::pick(items, args.id.as_deref(), &name) {
        Ok(page) => page,
        Err(message) => {
            say!("zhclean: {message}");
            return Ok(ExitCode::from(EXIT_SOME_FAILED));
        }
    };
    let explained = match crate::explain::explain(cleaner, &bytes, &meta) {
        Ok(explained) => explained,
        Err(e) => {
            say!("zhclean: {}: {e}", crate::batch::describe(&meta));
            return Ok(ExitCode::from(EXIT_SOME_FAILED));
        }
    };
    let mut file = Output::create(out)?;
    file.write_all(crate::explain::page::render(&explained).as_bytes())?;
    file.finish()?;
    if !args.quiet {
        say!(
            "zhclean: explained {} in {}",
            crate::batch::describe(&meta),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
