//! Runs the CLI: parse flags, build one `Cleaner`, clean each input, write one JSON line each.

mod args;

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use clap::Parser;
use zhclean::{Cleaner, InputMeta};

use args::Args;

/// Exit code when some input failed (its error record was still written).
const EXIT_SOME_FAILED: u8 = 1;
/// Exit code for usage errors and fatal setup errors.
const EXIT_USAGE: u8 = 2;

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
    let cleaner = match Cleaner::new(args.options()) {
        Ok(cleaner) => cleaner,
        Err(e) => {
            eprintln!("zhclean: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    for warning in cleaner.warnings() {
        eprintln!("zhclean: warning: {warning}");
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(std::fs::File::create(path).map_err(
            |e| io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display())),
        )?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let inputs = if args.files.is_empty() {
        vec!["-".into()]
    } else {
        args.files.clone()
    };
    let mut failed = 0usize;
    for input in &inputs {
        let shown = input.display().to_string();
        let (meta, bytes) = if shown == "-" {
            let mut bytes = Vec::new();
            let read = io::stdin().lock().read_to_end(&mut bytes);
            (InputMeta::default(), read.map(|_| bytes))
        } else {
            let meta = InputMeta {
                path: Some(shown.clone()),
                ..InputMeta::default()
            };
            (meta, std::fs::read(input))
        };
        let line = match bytes {
            Ok(bytes) => match cleaner.clean_record(&bytes, &meta) {
                Ok(article) => match args.min_quality {
                    Some(min) if article.quality.score < min => {
                        to_json(&skip_record(article, min), args.pretty)
                    }
                    _ => to_json(&article, args.pretty),
                },
                Err(record) => {
                    failed += 1;
                    eprintln!("zhclean: {shown}: {}", record.error.message);
                    to_json(&record, args.pretty)
                }
            },
            Err(e) => {
                failed += 1;
                eprintln!("zhclean: {shown}: {e}");
                let error = zhclean::Error::Io {
                    path: shown.clone(),
                    source: e,
                };
                to_json(&zhclean::error_record(&meta, 0, &error), args.pretty)
            }
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(EXIT_SOME_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn to_json<T: serde::Serialize>(value: &T, pretty: bool) -> String {
    let result = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    // Our types are plain strings, numbers and lists: serialisation cannot fail.
    result
        .unwrap_or_else(|e| format!("{{\"error\":{{\"kind\":\"internal\",\"message\":\"{e}\"}}}}"))
}

/// The skip record written for an article whose quality is below `--min-quality`.
fn skip_record(article: zhclean::Article, min: f64) -> zhclean::article::SkipRecord {
    zhclean::article::SkipRecord {
        id: article.id,
        input: article.input,
        skip: zhclean::ErrorInfo {
            kind: "low_quality".to_string(),
            message: format!(
                "quality score {} is below --min-quality {min}",
                article.quality.score
            ),
        },
        quality: article.quality,
    }
}
