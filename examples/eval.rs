//! Evaluates zhclean on labelled page sets and prints per-page and mean scores.
//!
//! ```text
//! cargo run --release --example eval -- ../shared/devset/magic-html ../shared/devset/readability ../shared/devset/trafilatura
//! cargo run --release --example eval -- --raw ../shared/devset/magic-html   # DOM extraction only
//! cargo run --release --example eval -- -v ../shared/devset/trafilatura     # show failures
//! ```
//!
//! `--raw` scores the HTML extractor's paragraphs before the repair and text stages (the
//! metric converts to simplified itself), to tell the two apart when a page scores badly.
//! The body metric and the loaders live in `zhclean::eval`.

use std::path::PathBuf;
use std::process::ExitCode;

use zhclean::eval::{self, BodyMetric, Prediction};
use zhclean::extract::html;
use zhclean::{Cleaner, InputMeta, Options};

fn main() -> ExitCode {
    let mut raw = false;
    let mut verbose = false;
    let mut dump: Option<String> = None;
    let mut dirs = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--raw" => raw = true,
            "-v" | "--verbose" => verbose = true,
            _ if arg.starts_with("--dump=") => dump = Some(arg["--dump=".len()..].to_string()),
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    if dirs.is_empty() {
        eprintln!("usage: eval [--raw] [-v] DEVSET_DIR...");
        return ExitCode::from(2);
    }
    let cleaner = if raw {
        None
    } else {
        match Cleaner::new(Options {
            segment: false,
            ..Options::default()
        }) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("eval: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let metric = BodyMetric::new();
    let mut failed_checks = 0usize;
    for dir in &dirs {
        let cases = match eval::load(dir) {
            Ok(cases) => cases,
            Err(e) => {
                eprintln!("eval: {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        };
        println!("== {} ({} pages)", dir.display(), cases.len());
        let (mut f1s, mut titles, mut dates, mut authors) = (Vec::new(), (0, 0), (0, 0), (0, 0));
        let (mut snippets, mut snippet_fails) = (0usize, 0usize);
        for case in &cases {
            let bytes = match std::fs::read(&case.path) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("eval: {}: {e}", case.path.display());
                    continue;
                }
            };
            let meta = InputMeta {
                path: Some(case.path.display().to_string()),
                url: case.url.clone(),
                ..InputMeta::default()
            };
            let prediction = match &cleaner {
                None => raw_prediction(&bytes),
                Some(cleaner) => match cleaner.clean(&bytes, &meta) {
                    Ok(a) => Prediction {
                        body: a.body,
                        title: a.title,
                        published_at: a.published_at,
                        authors: a.authors,
                    },
                    Err(e) => {
                        eprintln!("eval: {}: {e}", case.name);
                        Prediction::default()
                    }
                },
            };
            let out = eval::check(&metric, case, &prediction);
            if dump.as_deref().is_some_and(|d| case.name.starts_with(d)) {
                println!(
                    "---- predicted body\n{}\n---- gold body\n{}\n----",
                    prediction.body,
                    case.body.as_deref().unwrap_or("")
                );
            }
            let mut line = format!("{:<48}", case.name);
            if let Some(f1) = out.f1 {
                f1s.push(f1);
                line += &format!(" f1={f1:.3}");
            }
            let mut tally = |ok: Option<bool>, what: &str, acc: &mut (usize, usize)| {
                if let Some(ok) = ok {
                    acc.1 += 1;
                    acc.0 += usize::from(ok);
                    line += &format!(" {what}={}", if ok { "ok" } else { "NO" });
                }
            };
            tally(out.title_ok, "title", &mut titles);
            tally(out.date_ok, "date", &mut dates);
            tally(out.author_ok, "author", &mut authors);
            snippets += case.must_contain.len() + case.must_not_contain.len();
            snippet_fails += out.missing.len() + out.unwanted.len();
            failed_checks += out.missing.len()
                + out.unwanted.len()
                + usize::from(out.title_ok == Some(false))
                + usize::from(out.date_ok == Some(false));
            if !out.missing.is_empty() {
                line += &format!(" missing={:?}", out.missing);
            }
            if !out.unwanted.is_empty() {
                line += &format!(" unwanted={:?}", out.unwanted);
            }
            println!("{line}");
            if verbose
                && (out.title_ok == Some(false)
                    || out.date_ok == Some(false)
                    || out.author_ok == Some(false))
            {
                println!(
                    "    got title={:?} date={:?} authors={:?}; want title={:?} date={:?} author={:?}",
                    prediction.title, prediction.published_at, prediction.authors, case.title, case.date, case.author
                );
            }
        }
        if !f1s.is_empty() {
            let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
            let min = f1s.iter().copied().fold(f64::INFINITY, f64::min);
            let below = f1s.iter().filter(|&&f| f < 0.5).count();
            println!(
                "body F1: mean {mean:.4}  min {min:.3}  pages below 0.5: {below}/{}",
                f1s.len()
            );
        }
        for (what, (ok, n)) in [("titles", titles), ("dates", dates), ("authors", authors)] {
            if n > 0 {
                println!("{what}: {ok}/{n}");
            }
        }
        if snippets > 0 {
            println!(
                "snippet checks: {}/{snippets} pass",
                snippets - snippet_fails
            );
        }
    }
    if failed_checks > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The HTML extractor alone: decode, extract, no repair or text stage.
fn raw_prediction(bytes: &[u8]) -> Prediction {
    let Ok(decoded) = zhclean::decode::decode(bytes, &Default::default()) else {
        return Prediction::default();
    };
    let page = html::extract(&decoded.text);
    Prediction {
        body: page.content.paragraphs.join("\n"),
        title: page.meta.title,
        published_at: page.meta.published_at,
        authors: page.meta.authors,
    }
}
