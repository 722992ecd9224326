//! The run summary: every record accounted for, and what happened to the text.
//!
//! [`Stats::add`] is called once per output line. The invariant `records_in == ok + errors +
//! skipped` holds by construction; [`Stats::summary_line`] is the one line printed on stderr
//! at the end, and the whole struct is the `--stats FILE` JSON.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::Outcome;
use crate::article::Repairs;

/// Counts for a batch run; serialised as the `--stats` JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Input records seen (= `ok + errors + skipped`).
    pub records_in: u64,
    /// Articles written.
    pub ok: u64,
    /// Error records written.
    pub errors: u64,
    /// Skip records written.
    pub skipped: u64,
    /// `true` when the run was stopped early (a signal); the counts cover what was done.
    pub interrupted: bool,
    /// The signal that stopped the run (`SIGINT`, `SIGTERM`, `SIGHUP`), if one did.
    pub stopped_by: Option<String>,
    /// Bytes of the records (after decompression) that reached the output.
    pub bytes_in: u64,
    /// Bytes read from the inputs as stored (before decompression).
    pub bytes_read: u64,
    /// Articles by the encoding they were decoded with.
    pub by_encoding: BTreeMap<String, u64>,
    /// Error records by `error.kind`.
    pub errors_by_kind: BTreeMap<String, u64>,
    /// Skip records by reason (`not_html`, `http_status`, …).
    pub skipped_by_reason: BTreeMap<String, u64>,
    /// Removed pieces of text by `removed.kind`, over all articles.
    pub removed_by_kind: BTreeMap<String, u64>,
    /// Repairs summed over all articles.
    pub repairs: Repairs,
    /// WARC records that are not pages (requests, metadata, …) by type: read, no output line.
    pub warc_not_pages: BTreeMap<String, u64>,
    /// Worker threads.
    pub jobs: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Records per second.
    pub records_per_sec: f64,
    /// Megabytes (10^6 bytes of decompressed records) per second.
    pub mb_per_sec: f64,
    /// The last input written (e.g. `dump.jsonl:1234`), to say how far a stopped run got.
    pub last_input: Option<String>,
}

impl Stats {
    /// Counts one output record.
    pub fn add(&mut self, outcome: &Outcome) {
        self.records_in += 1;
        let input = match outcome {
            Outcome::Article(article) => {
                self.ok += 1;
                *self
                    .by_encoding
                    .entry(article.input.encoding.clone())
                    .or_default() += 1;
                for removed in &article.removed {
                    *self
                        .removed_by_kind
                        .entry(removed.kind.as_str().to_string())
                        .or_default() += 1;
                }
                self.repairs.add(&article.repairs);
                &article.input
            }
            Outcome::Error(record) => {
                self.errors += 1;
                *self
                    .errors_by_kind
                    .entry(record.error.kind.clone())
                    .or_default() += 1;
                &record.input
            }
            Outcome::Skipped(record) => {
                self.skipped += 1;
                *self
                    .skipped_by_reason
                    .entry(record.skipped.clone())
                    .or_default() += 1;
                &record.input
            }
        };
        self.bytes_in += input.bytes as u64;
    }

    /// Sets the timing figures from the run's wall-clock time.
    pub fn finish(&mut self, elapsed: Duration) {
        self.seconds = elapsed.as_secs_f64();
        if self.seconds > 0.0 {
            self.records_per_sec = self.records_in as f64 / self.seconds;
            self.mb_per_sec = self.bytes_in as f64 / 1e6 / self.seconds;
        }
    }

    /// The one-line summary printed at the end of a run.
    pub fn summary_line(&self) -> String {
        let mut line = format!(
            "{} records in = {} ok + {} errors + {} skipped; {:.1} MB in {:.1} s ({:.0} records/s, {:.2} MB/s, {} jobs)",
            self.records_in,
            self.ok,
            self.errors,
            self.skipped,
            self.bytes_in as f64 / 1e6,
            self.seconds,
            self.records_per_sec,
            self.mb_per_sec,
            self.jobs,
        );
        if !self.errors_by_kind.is_empty() {
            line.push_str("; errors: ");
            line.push_str(&counts(&self.errors_by_kind));
        }
        if !self.skipped_by_reason.is_empty() {
            line.push_str("; skipped: ");
            line.push_str(&counts(&self.skipped_by_reason));
        }
        line
    }
}

fn counts(map: &BTreeMap<String, u64>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, ErrorInfo, ErrorRecord, InputReport, SkipRecord};

    #[test]
    fn every_record_is_counted_once_by_its_kind() {
        let mut stats = Stats::default();
        let article = Article {
            input: InputReport {
                encoding: "GBK".into(),
                bytes: 100,
                ..InputReport::default()
            },
            ..Article::default()
        };
        stats.add(&Outcome::Article(Box::new(article)));
        stats.add(&Outcome::Error(Box::new(ErrorRecord {
            id: None,
            input: InputReport::default(),
            error: ErrorInfo {
                kind: "not_json".into(),
                message: String::new(),
            },
            meta: None,
        })));
        stats.add(&Outcome::Skipped(Box::new(SkipRecord {
            id: None,
            input: InputReport::default(),
            skipped: "not_html".into(),
            detail: None,
            meta: None,
            quality: None,
        })));
        assert_eq!(
            (stats.records_in, stats.ok, stats.errors, stats.skipped),
            (3, 1, 1, 1)
        );
        assert_eq!(stats.by_encoding["GBK"], 1);
        stats.finish(Duration::from_secs(2));
        assert_eq!(
            stats.summary_line(),
            "3 records in = 1 ok + 1 errors + 1 skipped; 0.0 MB in 2.0 s (2 records/s, 0.00 MB/s, 0 jobs); errors: not_json 1; skipped: not_html 1"
        );
    }
}
