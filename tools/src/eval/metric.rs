//! The body metric: [`BodyMetric`] normalizes text (NFKC, traditional → simplified,
//! lowercase alphanumerics) and scores a predicted body against the gold one by
//! bag-of-characters F1; it also gives the title keys [`check`](super::check) compares.

use std::collections::HashMap;

use opencc_fmmseg::OpenCC;
use unicode_normalization::UnicodeNormalization;

/// The body metric: NFKC, traditional → simplified, alphanumeric characters only, bag-of-
/// characters F1.
pub struct BodyMetric {
    opencc: OpenCC,
}

impl Default for BodyMetric {
    fn default() -> Self {
        Self::new()
    }
}

impl BodyMetric {
    /// Loads the conversion dictionaries.
    pub fn new() -> BodyMetric {
        BodyMetric {
            opencc: OpenCC::new(),
        }
    }

    /// `text` as the metric sees it: NFKC, simplified script, lowercase alphanumerics only.
    pub fn normalize(&self, text: &str) -> String {
        let nfkc: String = text.nfkc().collect();
        self.opencc
            .t2s(&nfkc, false)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    }

    /// A title as compared by [`check`](super::check): normalized like the body, with title separators
    /// (`_`, `|`, `-`, `—`, …) kept as `|`, so a site suffix can be told apart.
    pub fn title_key(&self, title: &str) -> String {
        let nfkc: String = title.nfkc().collect();
        let mut key = String::new();
        for c in self.opencc.t2s(&nfkc, false).chars() {
            if c.is_alphanumeric() {
                key.extend(c.to_lowercase());
            } else if matches!(c, '_' | '|' | '｜' | '-' | '–' | '—' | ':' | '@')
                && !key.ends_with('|')
            {
                key.push('|');
            }
        }
        key.trim_end_matches('|').to_string()
    }

    /// Bag-of-characters F1 of `predicted` against `gold` (1.0 when both are empty).
    pub fn f1(&self, predicted: &str, gold: &str) -> f64 {
        let bag = |s: &str| {
            let mut counts: HashMap<char, usize> = HashMap::new();
            for c in self.normalize(s).chars() {
                *counts.entry(c).or_default() += 1;
            }
            counts
        };
        let (p, g) = (bag(predicted), bag(gold));
        let (np, ng) = (p.values().sum::<usize>(), g.values().sum::<usize>());
        if np == 0 && ng == 0 {
            return 1.0;
        }
        let common: usize = p
            .iter()
            .map(|(c, n)| (*n).min(g.get(c).copied().unwrap_or(0)))
            .sum();
        if common == 0 {
            return 0.0;
        }
        let precision = common as f64 / np as f64;
        let recall = common as f64 / ng as f64;
        2.0 * precision * recall / (precision + recall)
    }
}
