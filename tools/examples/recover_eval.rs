//! Evaluates byte-shift recovery on `../shared/` (not part of `cargo test`: the data is not in
//! the repository).
//!
//! ```text
//! cargo run --release -p zhclean-tools --example recover_eval [-- SHARED_DIR]
//! ```
//!
//! 1. SogouCA (`corpus/sogouca_mini_gbk.dat`, GBK): every record whose content has a `?`
//!    is damaged; counts records left with no `?` at all, records improved, records unchanged,
//!    records made worse (model log-probability per character went down), and prints sample
//!    before/after pairs.
//! 2. False positives: People's Daily lines (clean text) with a `?` inserted after a
//!    sentence-final mark and at a pseudo-random position: every change is a false repair.
//! 3. Lost-byte guesses: for Han characters of clean lines, guess the character from its first
//!    byte and its neighbours; precision and coverage at the shipped margin.

use std::path::PathBuf;

use encoding_rs::GBK;
use zhclean::internals::model::model;
use zhclean::internals::repair::recover::{guess_char, recover, GUESS_MARGIN};

fn main() {
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    sogouca(&shared);
    eprintln!("PHASE fp");
    false_positives(&shared);
    guesses(&shared);
}

fn contents(text: &str) -> Vec<&str> {
    text.split("<content>")
        .skip(1)
        .filter_map(|s| s.split("</content>").next())
        .collect()
}

fn sogouca(shared: &std::path::Path) {
    let path = shared.join("corpus/sogouca_mini_gbk.dat");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("cannot read {}", path.display());
        return;
    };
    let (text, _, _) = GBK.decode(&bytes);
    let m = model();
    let (mut damaged, mut clean, mut improved, mut same, mut worse) = (0, 0, 0, 0, 0);
    let (mut q_before, mut q_after, mut spans) = (0, 0, 0);
    let (mut no_shift, mut lost_marks) = (0, 0);
    let mut samples = Vec::new();
    for content in contents(&text) {
        if !content.contains('?') {
            continue;
        }
        damaged += 1;
        let out = recover(content, GBK);
        let before_q = content.matches('?').count();
        let after_q = out.text.matches('?').count();
        lost_marks += out.text.matches('\u{FFFD}').count();
        if shift_signatures(&out.text) == 0 {
            no_shift += 1;
        }
        q_before += before_q;
        q_after += after_q;
        spans += out.spans.len();
        let before_lp = m.mean_logp(content, None);
        // A lost character (U+FFFD) is scored as the `?` that marked it before.
        let after_lp = m.mean_logp(&out.text.replace('\u{FFFD}', "?"), None);
        if after_lp + 1e-9 < before_lp {
            worse += 1;
            eprintln!("WORSE: {content}\n   -> {}", out.text);
        }
        if after_q == 0 {
            clean += 1;
        } else if out.text != content {
            improved += 1;
        } else {
            same += 1;
        }
        if std::env::var_os("SHOW_LEFT").is_some() {
            let t = &out.text;
            for (i, _) in t.match_indices('?') {
                let a = t[..i].char_indices().rev().nth(3).map_or(0, |x| x.0);
                let b = t[i..].char_indices().nth(12).map_or(t.len(), |x| x.0 + i);
                eprintln!("LEFT: {}", &t[a..b]);
            }
        }
        for s in out.spans.iter().take(2) {
            if samples.len() < 24 {
                samples.push((s.before.clone(), s.after.clone()));
            }
        }
    }
    println!("== SogouCA byte-shift recovery");
    println!("damaged records (content has '?'): {damaged}");
    println!("  no shift signature left: {no_shift}   (no '?' + full-width-form character: SogouCA's shifted start)");
    println!("  no '?' left:            {clean}");
    println!("  improved, '?' remain:   {improved}");
    println!("  unchanged:              {same}");
    println!("  worse (mean logp down): {worse}");
    println!("'?' marks: {q_before} before, {q_after} after; spans recovered: {spans}; lost characters marked U+FFFD: {lost_marks}");
    for (b, a) in samples {
        println!("  {b}  =>  {a}");
    }
}

/// SogouCA's damage starts with a lost lead byte whose trail byte `A3` pairs with the next
/// byte: `?` followed by a character from GBK row A3 (full-width forms). Counted only here,
/// as an independent check; the recovery itself does not look for it.
fn shift_signatures(text: &str) -> usize {
    text.match_indices('?')
        .filter(|(i, _)| {
            text[i + 1..].chars().next().is_some_and(|c| {
                let bytes = GBK.encode(&c.to_string()).0.into_owned();
                bytes.len() == 2 && bytes[0] == 0xA3
            })
        })
        .count()
}

/// A small deterministic generator (xorshift) so that runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn people_lines(shared: &std::path::Path, n: usize) -> Vec<String> {
    let path = shared.join("corpus/peoples_daily_199801.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| l.chars().count() >= 20)
        .take(n)
        .map(String::from)
        .collect()
}

fn false_positives(shared: &std::path::Path) {
    let lines = people_lines(shared, 5_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut trials, mut changed) = (0, 0);
    for line in &lines {
        let chars: Vec<char> = line.chars().collect();
        // After each sentence end (a half-width question mark the page really had) ...
        let mut variants: Vec<String> =
            vec![line.replacen('。', "。?", 1), line.replace('？', "?")];
        // ... and at a random position.
        let at = rng.next(chars.len());
        let mut v: String = chars[..at].iter().collect();
        v.push('?');
        v.extend(&chars[at..]);
        variants.push(v);
        // ... and around 1 to 3 characters (`?X?`, `?XY?`, `?XYZ?`).
        for width in 1..=3 {
            let at = rng.next(chars.len().saturating_sub(width));
            let mut v: String = chars[..at].iter().collect();
            v.push('?');
            v.extend(&chars[at..at + width]);
            v.push('?');
            v.extend(&chars[at + width..]);
            variants.push(v);
        }
        for v in variants {
            if !v.contains('?') {
                continue;
            }
            trials += 1;
            let out = recover(&v, GBK);
            if out.text != v {
                changed += 1;
                if changed <= 10 {
                    eprintln!("FALSE REPAIR: {:?}", out.spans);
                }
            }
        }
    }
    println!("== False positives on clean People's Daily lines with inserted '?'");
    println!("texts: {trials}, changed: {changed}");
}

fn guesses(shared: &std::path::Path) {
    let lines = people_lines(shared, 3_000);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut total, mut right, mut wrong, mut abstained) = (0, 0, 0, 0);
    for line in &lines {
        let chars: Vec<char> = line.chars().collect();
        let i = rng.next(chars.len());
        let c = chars[i];
        if !zhclean::internals::model::is_han(c) {
            continue;
        }
        let lead = GBK.encode(&c.to_string()).0[0];
        let before = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        total += 1;
        match guess_char(lead, before, next, GBK) {
            Some((g, margin)) if margin >= GUESS_MARGIN => {
                if g == c {
                    right += 1
                } else {
                    wrong += 1
                }
            }
            _ => abstained += 1,
        }
    }
    println!("== Lost second byte guessed from context (margin {GUESS_MARGIN} nats)");
    println!("chars: {total}, right: {right}, wrong: {wrong}, abstained: {abstained}");
}
