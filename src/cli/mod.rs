//! Runs the CLI: parse flags, build one `Cleaner`, hand the inputs to the library's batch
//! runner, report. Every decision about inputs and text lives in `zhclean::batch`.

mod args;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Parser;
use zhclean::batch::output::{self, Output};
use zhclean::batch::progress::Progress;
use zhclean::batch::runner::{self, Sinks};
use zhclean::batch::source::Inputs;
use zhclean::batch::stats::Stats;
use zhclean::Cleaner;

use args::Args;

/// Exit code when some input failed (its error record was still written).
const EXIT_SOME_FAILED: u8 = 1;
/// Exit code for usage errors and fatal setup or output errors.
const EXIT_USAGE: u8 = 2;
/// Exit code after Ctrl-C (128 + SIGINT, as shells expect).
const EXIT_INTERRUPTED: u8 = 130;

/// Raised by the first Ctrl-C: read no more input, finish what is in flight.
static STOP: AtomicBool = AtomicBool::new(false);

pub fn run() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run_with(&args) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zhclean: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run_with(args: &Args) -> io::Result<ExitCode> {
    // First thing, so that no Ctrl-C can find an output file without its clean-up.
    install_ctrlc();
    let sources = match args.source_options() {
        Ok(sources) => sources,
        Err(message) => {
            eprintln!("zhclean: {message}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let cleaner = match Cleaner::new(args.options()) {
        Ok(cleaner) => Arc::new(cleaner),
        Err(e) => {
            eprintln!("zhclean: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    for warning in cleaner.warnings() {
        eprintln!("zhclean: warning: {warning}");
    }
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
    let sinks = Sinks {
        out: &mut out,
        errors: errors.as_mut().map(|e| e as &mut dyn Write),
    };
    let result = runner::run(
        cleaner,
        inputs,
        &args.run_options(),
        sinks,
        &mut progress,
        &STOP,
    );
    progress.finish();
    let mut stats = result?;
    if let Ok(not_pages) = counters.not_pages.lock() {
        stats.warc_not_pages = not_pages.clone();
    }
    stats.bytes_read = counters.bytes_read.load(Ordering::Relaxed);

    if stats.interrupted {
        // Dropping the file outputs deletes their temporary files: no half file is left.
        drop(out);
        drop(errors);
        eprintln!("zhclean: interrupted: {}", how_far(&stats, args));
        write_stats(args.stats.as_deref(), &stats)?;
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    out.finish()?;
    if let Some(errors) = errors {
        errors.finish()?;
    }
    write_stats(args.stats.as_deref(), &stats)?;
    if !args.quiet {
        eprintln!("zhclean: {}", stats.summary_line());
    }
    Ok(if stats.errors > 0 {
        ExitCode::from(EXIT_SOME_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// First Ctrl-C: stop reading and finish the records in flight. Second: delete unfinished
/// output files and exit at once.
fn install_ctrlc() {
    let result = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            output::remove_unfinished();
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        eprintln!("\nzhclean: stopping after the records in flight (Ctrl-C again to quit now)");
    });
    if let Err(e) = result {
        eprintln!("zhclean: warning: cannot handle Ctrl-C: {e}");
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

fn how_far(stats: &Stats, args: &Args) -> String {
    let mut text = format!(
        "{} records written ({} ok, {} errors, {} skipped)",
        stats.records_in, stats.ok, stats.errors, stats.skipped
    );
    if let Some(last) = &stats.last_input {
        text.push_str(&format!("; last input: {last}"));
    }
    if let Some(path) = &args.output {
        text.push_str(&format!("; {} was not written", path.display()));
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
