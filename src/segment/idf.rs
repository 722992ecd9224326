//! jieba's IDF table (word → inverse document frequency) and the figures the keyword ranking
//! needs from it: the median (jieba's stand-in for unknown words) and the maximum (a bound on
//! any word's IDF, with which the ranking skips most lookups).

use std::io::Read;
use std::sync::LazyLock;

use rustc_hash::{FxBuildHasher, FxHashMap};

/// jieba's IDF table, gzipped. Generated from jieba-rs 0.11's `src/data/idf.txt` (MIT) with
/// `gzip -9`.
const IDF_GZ: &[u8] = include_bytes!("../../data/jieba_idf.txt.gz");

/// The table, loaded on first use.
pub(super) static IDF: LazyLock<IdfTable> = LazyLock::new(|| {
    let mut text = String::new();
    // The table is compiled in; failing to inflate it is a build defect, and an empty table
    // still gives usable (frequency-only) keywords rather than a panic.
    let _ = flate2::read::GzDecoder::new(IDF_GZ).read_to_string(&mut text);
    IdfTable::parse(&text)
});

/// Word → IDF, plus the median and the maximum IDF.
pub(super) struct IdfTable {
    idf: FxHashMap<Box<str>, f64>,
    median: f64,
    max: f64,
}

impl IdfTable {
    /// Reads `word value` lines; a later line for the same word wins, lines without a
    /// number are skipped.
    fn parse(text: &str) -> IdfTable {
        let mut idf = FxHashMap::with_capacity_and_hasher(300_000, FxBuildHasher);
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            if let (Some(word), Some(Ok(value))) = (parts.next(), parts.next().map(str::parse)) {
                idf.insert(word.into(), value);
            }
        }
        let mut values: Vec<f64> = idf.values().copied().collect();
        values.sort_by(f64::total_cmp);
        let median = values.get(values.len() / 2).copied().unwrap_or(10.0);
        let max = values.last().copied().unwrap_or(median);
        IdfTable { idf, median, max }
    }

    /// The IDF of `word`, if the table has it.
    pub(super) fn get(&self, word: &str) -> Option<f64> {
        self.idf.get(word).copied()
    }

    /// The median IDF over all words (jieba's stand-in for unknown words).
    pub(super) fn median(&self) -> f64 {
        self.median
    }

    /// The highest IDF that [`IdfTable::get`] or [`IdfTable::median`] can return.
    pub(super) fn max(&self) -> f64 {
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_values_median_and_max() {
        let table = IdfTable::parse(
            "纽约 8.5\n天气 6.25\n北京烤鸭 9.75\n中华人民共和国 7.0\nbad line\n天气 6.5\n",
        );
        assert_eq!(table.get("纽约"), Some(8.5));
        assert_eq!(table.get("天气"), Some(6.5), "a later line wins");
        assert_eq!(table.get("中华人民共和国"), Some(7.0));
        assert_eq!(table.get("纽"), None, "a prefix is not a key");
        assert_eq!(table.get(""), None);
        // Sorted: 6.5, 7.0, 8.5, 9.75; the upper middle one, as jieba takes it.
        assert_eq!(table.median(), 8.5);
        assert_eq!(table.max(), 9.75);
    }

    #[test]
    fn the_shipped_table_loads() {
        assert!(IDF.get("垃圾").is_some_and(|idf| idf > 0.0));
        assert!(IDF.get("不是一个词语的东西").is_none());
        assert!(IDF.max() >= IDF.median() && IDF.median() > 0.0);
    }
}
