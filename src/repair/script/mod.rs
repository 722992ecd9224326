//! Step 5: traditional → simplified script.
//!
//! Owns the script conversion. It uses OpenCC's `t2s` dictionaries (phrases first, then single
//! characters) from `opencc-fmmseg`, punctuation untouched (`「」` stay).
//!
//! `t2s` is only safe on text that really is traditional: run over simplified text it turns
//! `显著` into `显着` and `萧乾` into `萧干`, because `著` and `乾` are also traditional forms.
//! So each paragraph (line) is converted only when it has a *traditional-only* character: one
//! that `t2s` changes and that is not in GB2312, the simplified standard set (`據 鄉 設` are
//! traditional-only; `著 乾 沈 覆` are not). The set is built once from the same dictionaries
//! and checking a paragraph is one bitmap lookup per character, so simplified text costs
//! almost nothing and comes out unchanged.
//!
//! The conversion is our own forward maximum matching over the crate's dictionaries, not
//! `OpenCC::t2s`, for speed alone: `t2s` collects each paragraph into a `Vec<char>` and, at
//! each character, hashes a `[char]` slice per candidate length, which cost more than half as
//! much as segmenting the page. The `t2s` dictionaries are small (about 500 phrases and 4,000
//! characters), so one table lookup per character gives its replacement or its few phrase
//! keys (see `Matcher`): a third of the instructions. The result is exactly what
//! `OpenCC::t2s(line, false)` gives; the tests compare the two.
//!
//! Every changed character counts in [`Repairs::to_simplified`]. `t2s` maps characters one to
//! one almost always; where a paragraph changes length, the changed span between the common
//! prefix and suffix is counted instead.
//!
//! ```
//! use zhclean::internals::repair::script::ToSimplified;
//! use zhclean::Repairs;
//!
//! let converter = ToSimplified::new();
//! let mut repairs = Repairs::default();
//! assert_eq!(converter.convert("據悉，住房和城鄉建設部", &mut repairs), "据悉，住房和城乡建设部");
//! assert_eq!(repairs.to_simplified, 3);
//! ```

use std::sync::OnceLock;

use opencc_fmmseg::{is_delimiter, DictMaxLen, DictionaryMaxlength};

use crate::article::Repairs;
use crate::model::three_byte_block_and_bit;

/// Converts traditional Chinese to simplified. Cheap to build: the tables are made from
/// OpenCC's dictionaries once per process, on the first `new`, and shared.
pub struct ToSimplified {
    tables: &'static Tables,
}

/// What [`ToSimplified`] looks things up in; built from the dictionaries once.
struct Tables {
    /// Traditional-only characters: a paragraph without any of them is left as it is.
    convertible: CharSet,
    /// The `t2s` conversion.
    matcher: Matcher,
}

impl ToSimplified {
    /// Loads the dictionaries embedded in `opencc-fmmseg` (no I/O) the first time it runs in a
    /// process. If they fail to load, the converter changes nothing.
    pub fn new() -> ToSimplified {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        let tables = TABLES.get_or_init(|| {
            let dictionary = DictionaryMaxlength::new().unwrap_or_default();
            Tables {
                convertible: traditional_only_chars(&dictionary.ts_characters),
                matcher: Matcher::t2s(&dictionary),
            }
        });
        ToSimplified { tables }
    }

    /// True when `text` has a traditional-only character (see the module doc).
    ///
    /// Walks the bytes: most characters of Chinese text are three UTF-8 bytes, whose bitmap
    /// word and bit are read off the bytes directly (`text` is valid UTF-8, so a lead byte
    /// `0xE0..=0xEF` has two continuation bytes after it), and ASCII is skipped; other
    /// characters are decoded as `chars` would. About half the instructions of
    /// `text.chars().any(…)`, on the scan every page pays.
    pub fn has_traditional(&self, text: &str) -> bool {
        let set = &self.tables.convertible;
        let mut rest = text.as_bytes();
        loop {
            match rest {
                [lead @ 0xE0..=0xEF, second, third, after @ ..] => {
                    let (word, bit) = three_byte_block_and_bit(*lead, *second, *third);
                    if set.bmp[word] & (1 << bit) != 0 {
                        return true;
                    }
                    rest = after;
                }
                [lead, after @ ..] if lead.is_ascii() => rest = after,
                [] => return false,
                [lead, ..] => {
                    // A two- or four-byte character: decode just its bytes.
                    let len = if *lead >= 0xF0 { 4 } else { 2 };
                    let (head, after) = rest.split_at(len.min(rest.len()));
                    match std::str::from_utf8(head)
                        .ok()
                        .and_then(|c| c.chars().next())
                    {
                        Some(c) if set.contains(c) => return true,
                        Some(_) => rest = after,
                        // Unreachable for a `&str`'s bytes; stop rather than loop.
                        None => return false,
                    }
                }
            }
        }
    }

    /// Converts the traditional paragraphs of `text` to simplified script; adds the number of
    /// changed characters to `repairs`.
    pub fn convert(&self, text: &str, repairs: &mut Repairs) -> String {
        if !self.has_traditional(text) {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        for (index, line) in text.split('\n').enumerate() {
            if index > 0 {
                out.push('\n');
            }
            if self.has_traditional(line) {
                repairs.to_simplified += self.tables.matcher.convert(line, &mut out);
            } else {
                out.push_str(line);
            }
        }
        out
    }
}

impl Default for ToSimplified {
    fn default() -> Self {
        ToSimplified::new()
    }
}

/// OpenCC's `t2s` (without punctuation) as forward maximum matching over a table built from
/// its dictionaries.
///
/// It reproduces what `opencc-fmmseg` 0.13 does in `t2s(line, false)`:
/// - at each position the longest key wins; at equal length (the same key in both
///   dictionaries) the phrase dictionary's value wins over the character dictionary's;
/// - a paragraph is cut into segments that each end *after* a delimiter
///   ([`is_delimiter`]), and no match crosses a segment's end: a key with a delimiter before
///   its last character never matches, so such keys are left out;
/// - a segment that is a lone delimiter is copied unchanged, even if a key would map it.
///
/// Keys are no longer than the crate's match-length cap, the longest key of either
/// dictionary, so the cap never cuts a match here.
///
/// Most characters that start a key start only themselves, mapped to one character: their
/// slot holds that character and converting them takes no comparison. The others (a few
/// hundred phrase starters) point to their keys, tried longest first against the paragraph's
/// UTF-8.
struct Matcher {
    /// The slot of each character of the Basic Multilingual Plane (see [`Matcher::slot`]).
    bmp: Box<[u32]>,
    /// The slots of characters beyond the BMP that start a key, sorted by character.
    astral: Vec<(char, u32)>,
    /// Keys to compare, longest first, for the slots that point here.
    starts: Vec<Box<[Entry]>>,
}

/// A slot with this bit points to `starts[slot & !KEYS]`; without it, a non-zero slot is the
/// one character that replaces its own character, and 0 means no key starts there.
const KEYS: u32 = 1 << 31;

/// One dictionary key and what replaces it.
struct Entry {
    from: Box<str>,
    to: Box<str>,
    /// Positions where `to` differs from `from`; `None` when their lengths (in characters)
    /// differ, and the paragraph's count has to be taken on the whole converted text.
    changed: Option<usize>,
    /// The key is a single delimiter, left alone where it is a segment of its own.
    lone_delimiter: bool,
}

impl Matcher {
    /// Builds the matcher for `t2s`: the phrase dictionary, then the character dictionary.
    fn t2s(dictionary: &DictionaryMaxlength) -> Matcher {
        Matcher::build(&[&dictionary.ts_phrases, &dictionary.ts_characters])
    }

    /// Builds the matcher for `dictionaries`, in order of precedence.
    fn build(dictionaries: &[&DictMaxLen]) -> Matcher {
        let mut entries: Vec<(Vec<char>, Entry)> = Vec::new();
        for (rank, dictionary) in dictionaries.iter().enumerate() {
            for (key, value) in dictionary.iter() {
                let Some((_, inner)) = key.split_last() else {
                    continue;
                };
                let shadowed = dictionaries[..rank].iter().any(|d| d.get(key).is_some());
                if shadowed || inner.iter().any(|&c| is_delimiter(c)) {
                    continue;
                }
                let to: Vec<char> = value.chars().collect();
                let changed = (to.len() == key.len())
                    .then(|| key.iter().zip(&to).filter(|(k, t)| k != t).count());
                let entry = Entry {
                    from: key.iter().collect(),
                    to: value.into(),
                    changed,
                    lone_delimiter: inner.is_empty() && is_delimiter(key[0]),
                };
                entries.push((key.to_vec(), entry));
            }
        }
        // By starting character, then longest first.
        entries.sort_by(|(a, _), (b, _)| a[0].cmp(&b[0]).then(b.len().cmp(&a.len())));

        let mut matcher = Matcher {
            bmp: vec![0; 0x10000].into_boxed_slice(),
            astral: Vec::new(),
            starts: Vec::new(),
        };
        let mut entries = entries.into_iter().peekable();
        while let Some((key, entry)) = entries.next() {
            let first = key[0];
            let mut group = vec![entry];
            while let Some((_, entry)) = entries.next_if(|(next, _)| next[0] == first) {
                group.push(entry);
            }
            let slot = match &*group {
                [only] if !only.lone_delimiter => match only.to.chars().collect::<Vec<_>>()[..] {
                    [to] if to != '\0' => u32::from(to),
                    _ => KEYS,
                },
                _ => KEYS,
            };
            let slot = if slot == KEYS {
                matcher.starts.push(group.into_boxed_slice());
                KEYS | (matcher.starts.len() - 1) as u32
            } else {
                slot
            };
            match matcher.bmp.get_mut(u32::from(first) as usize) {
                Some(bmp_slot) => *bmp_slot = slot,
                None => matcher.astral.push((first, slot)),
            }
        }
        matcher
    }

    /// What starts at `c`: 0 (no key), a replacement character, or `KEYS` and an index.
    fn slot(&self, c: char) -> u32 {
        match self.bmp.get(u32::from(c) as usize) {
            Some(&slot) => slot,
            None => match self.astral.binary_search_by_key(&c, |&(c, _)| c) {
                Ok(at) => self.astral[at].1,
                Err(_) => 0,
            },
        }
    }

    /// Appends the conversion of `line` (one paragraph, no `\n`) to `out` and returns how many
    /// characters changed, as [`count_changed_chars`] counts them. Unconverted stretches are
    /// copied as they are; while every match keeps its length, the count is the sum of the
    /// matches' own counts, otherwise it is taken on the result.
    fn convert(&self, line: &str, out: &mut String) -> usize {
        let start = out.len();
        let mut changed = 0;
        let mut aligned = true;
        // `line[copied..]` is not yet in `out`; `line[..resume]` has been matched.
        let mut copied = 0;
        let mut resume = 0;
        for (at, c) in line.char_indices() {
            if at < resume {
                continue;
            }
            let slot = self.slot(c);
            if slot == 0 {
                continue;
            }
            if copied < at {
                out.push_str(&line[copied..at]);
            }
            copied = at;
            if slot & KEYS == 0 {
                // The character alone, replaced by one character (a valid one: it was built
                // from a `char`).
                let to = char::from_u32(slot).unwrap_or(c);
                out.push(to);
                changed += usize::from(to != c);
                copied += c.len_utf8();
                continue;
            }
            let rest = &line.as_bytes()[at..];
            let Some(entry) = self.starts[(slot & !KEYS) as usize]
                .iter()
                .find(|entry| rest.starts_with(entry.from.as_bytes()))
            else {
                continue;
            };
            if entry.lone_delimiter && line[..at].chars().next_back().is_none_or(is_delimiter) {
                continue;
            }
            out.push_str(&entry.to);
            resume = at + entry.from.len();
            copied = resume;
            match entry.changed {
                Some(count) => changed += count,
                None => aligned = false,
            }
        }
        out.push_str(&line[copied..]);
        if aligned {
            changed
        } else {
            count_changed_chars(line, &out[start..])
        }
    }
}

/// Characters that the single-character dictionary changes and that are not in GB2312.
fn traditional_only_chars(characters: &DictMaxLen) -> CharSet {
    let candidates = gb2312_candidates();
    let mut set = CharSet::default();
    for (key, value) in characters.iter() {
        if let [from] = key {
            let in_gb2312 = candidates.contains(*from) && is_gb2312(*from);
            if value.chars().ne([*from]) && !in_gb2312 {
                set.insert(*from);
            }
        }
    }
    set
}

/// True for characters of GB2312, the simplified-Chinese standard set: in GBK (its superset,
/// same code points) they are the two-byte codes with both bytes in 0xA1..=0xFE.
fn is_gb2312(c: char) -> bool {
    let mut buffer = [0u8; 4];
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(c.encode_utf8(&mut buffer));
    !had_errors && matches!(*bytes, [0xA1..=0xFE, 0xA1..=0xFE])
}

/// A superset of GB2312, cheap to build: every character that a GB2312 code (both bytes in
/// 0xA1..=0xFE) decodes to in GBK, and the Private Use Area. What GBK encodes into that range
/// decodes back from it, except ten private-use characters (U+E78D..=U+E796, vertical forms
/// that GB18030-2005 moved to U+FE10..): a character outside this set needs no
/// [`is_gb2312`]. The encoder searches its tables, so decoding all 94 × 94 codes at once is
/// much cheaper than encoding the 4,000 dictionary characters one by one.
fn gb2312_candidates() -> CharSet {
    let codes: Vec<u8> = (0xA1..=0xFE)
        .flat_map(|lead| (0xA1..=0xFE).flat_map(move |trail| [lead, trail]))
        .collect();
    let (text, _) = encoding_rs::GBK.decode_without_bom_handling(&codes);
    let mut set = CharSet::default();
    for c in text.chars().chain('\u{E000}'..='\u{F8FF}') {
        set.insert(c);
    }
    set
}

/// Counts characters that differ between `before` and `after`.
fn count_changed_chars(before: &str, after: &str) -> usize {
    if before == after {
        return 0;
    }
    let before: Vec<char> = before.chars().collect();
    let after: Vec<char> = after.chars().collect();
    if before.len() == after.len() {
        return before.iter().zip(&after).filter(|(b, a)| b != a).count();
    }
    let prefix = before
        .iter()
        .zip(&after)
        .take_while(|(b, a)| b == a)
        .count();
    let suffix = before[prefix..]
        .iter()
        .rev()
        .zip(after[prefix..].iter().rev())
        .take_while(|(b, a)| b == a)
        .count();
    (before.len() - prefix - suffix).max(after.len() - prefix - suffix)
}

/// A set of characters: a bitmap for the Basic Multilingual Plane, a sorted list beyond it.
struct CharSet {
    /// Indexed by a code point's bits above the lowest six: a fixed size, so no index made of
    /// sixteen bits can be out of bounds.
    bmp: Box<[u64; BMP_WORDS]>,
    astral: Vec<char>,
}

const BMP_WORDS: usize = 0x10000 / 64;

impl Default for CharSet {
    fn default() -> Self {
        CharSet {
            bmp: Box::new([0; BMP_WORDS]),
            astral: Vec::new(),
        }
    }
}

impl CharSet {
    fn insert(&mut self, c: char) {
        let code = u32::from(c) as usize;
        if let Some(word) = self.bmp.get_mut(code / 64) {
            *word |= 1 << (code % 64);
        } else if let Err(at) = self.astral.binary_search(&c) {
            self.astral.insert(at, c);
        }
    }

    fn contains(&self, c: char) -> bool {
        let code = u32::from(c) as usize;
        match self.bmp.get(code / 64) {
            Some(word) => word & (1 << (code % 64)) != 0,
            None => self.astral.binary_search(&c).is_ok(),
        }
    }
}

#[cfg(test)]
mod tests;
