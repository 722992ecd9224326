//! Step 2: pinyin annotations (`據(jù)`, `鄉（xiāng）`) removed.
//!
//! Owns the recognition of Hanyu Pinyin syllables in running text. An annotation is a Han
//! character `X` directly followed by `(py)` or `（py）` where `py` is one syllable — tone
//! marks (`xiāng`), a tone number (`ju4`), `ü` or `v`, any case — and `py` without its tone
//! is one of the readings of `X` according to the `pinyin` crate (heteronyms included, and
//! traditional characters: `數` reads `shu` and `shuo`). Only then is `(py)` removed, and
//! counted in [`Repairs::pinyin_annotations`]. Anything else in parentheses stays: `(記者孫紅麗)`,
//! `(2018)`, `(AI)`, `(5G)`, `(上)`, or `(de)` after a character that is not read `de`.
//!
//! Annotations whose tone vowels were lost to an encoder that had no letter for them (Big5
//! has no `ā á ǎ à` nor `ü`: a page converted with replacement carries `飽(b?o)`, `經(j?ng)`,
//! `綠(l?)`) are removed under the same rule: `py` with some vowel in place of each `?` (at
//! most two) must be a reading of `X`, and must hold a letter besides the `?`. When the
//! annotated character was lost as well (`臨?(chu?ng)`: the encoder had no `牀` either), the
//! `?` that stands for it goes with its annotation, counted in [`Repairs::dropped_chars`].
//!
//! The scan jumps from one opening parenthesis to the next and looks at most a few characters
//! past it, so it is linear in the text and allocation-free between parentheses.
//!
//! ```
//! use zhclean::internals::repair::pinyin::strip_annotations;
//! use zhclean::Repairs;
//!
//! let mut repairs = Repairs::default();
//! let text = strip_annotations("據(jù)悉,第五代移動通信系統(tǒng)(5G)", &mut repairs);
//! assert_eq!(text, "據悉,第五代移動通信系統(5G)");
//! assert_eq!(repairs.pinyin_annotations, 2);
//! ```

use std::collections::HashSet;
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

use super::chars::NextOf;
use crate::article::Repairs;
use crate::model::is_han;

/// Removes every `X(py)` annotation whose `py` is a reading of `X`; adds to `repairs`.
pub fn strip_annotations(text: &str, repairs: &mut Repairs) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut parens = NextOf::new(text, "(", "（");
    while let Some(paren_at) = parens.in_rest(rest) {
        out.push_str(&rest[..paren_at]);
        let paren_len = if rest[paren_at..].starts_with('(') {
            1
        } else {
            '（'.len_utf8()
        };
        let after_paren = &rest[paren_at + paren_len..];
        // `out` holds everything kept so far, so consecutive annotations (`據(jù)(jù)`)
        // are all checked against the character they follow.
        let annotated = out.chars().next_back().filter(|&c| is_han(c));
        if let Some(han) = annotated {
            if let Some(syllable) = read_syllable(after_paren) {
                if is_reading_of(han, syllable.plain_bytes()) {
                    repairs.pinyin_annotations += 1;
                    rest = &after_paren[syllable.len..];
                    continue;
                }
            } else if let Some((pattern, len)) = read_syllable_with_lost_vowels(after_paren) {
                if is_reading_with_lost_vowels(han, &pattern) {
                    repairs.pinyin_annotations += 1;
                    rest = &after_paren[len..];
                    continue;
                }
            }
        } else if let Some((mark, len)) = lost_character_annotation(&out, after_paren) {
            // `臨?(chu?ng)`, `臨\u{FFFD}(chuáng)`: the mark is the lost character itself.
            out.pop();
            repairs.pinyin_annotations += 1;
            match mark {
                '?' => repairs.dropped_chars += 1,
                _ => repairs.garbled += 1,
            }
            rest = &after_paren[len..];
            continue;
        }
        out.push_str(&rest[paren_at..paren_at + paren_len]);
        rest = after_paren;
    }
    out.push_str(rest);
    out
}

/// A pinyin syllable closed by `)` or `）`, as found by [`read_syllable`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Syllable {
    /// The plain spelling, in [`Syllable::plain`]: at most [`MAX_SYLLABLE_CHARS`] letters of
    /// at most two bytes (`ü`), kept inline because a page has an annotation every few
    /// characters.
    plain: [u8; 2 * MAX_SYLLABLE_CHARS],
    plain_len: usize,
    /// Bytes from the start of the syllable through the closing parenthesis.
    pub(crate) len: usize,
}

impl Syllable {
    /// Lowercase, tone removed, `ü` spelled `ü` (the `pinyin` crate's plain style).
    pub(crate) fn plain(&self) -> &str {
        // Only whole characters are ever pushed (`push`), so this never fails.
        std::str::from_utf8(&self.plain[..self.plain_len]).unwrap_or_default()
    }

    /// [`Syllable::plain`]'s bytes (no UTF-8 check: this is asked once per annotation).
    pub(crate) fn plain_bytes(&self) -> &[u8] {
        &self.plain[..self.plain_len]
    }

    fn empty() -> Syllable {
        Syllable {
            plain: [0; 2 * MAX_SYLLABLE_CHARS],
            plain_len: 0,
            len: 0,
        }
    }

    /// Appends a letter (`a`–`z` or `ü`; at most [`MAX_SYLLABLE_CHARS`] of them).
    fn push(&mut self, letter: char) {
        let at = self.plain_len;
        if let Some(slot) = self.plain.get_mut(at..at + letter.len_utf8()) {
            letter.encode_utf8(slot);
            self.plain_len += letter.len_utf8();
        }
    }

    /// Removes a final `u`; false (and nothing removed) when the last letter is another.
    fn pop_u(&mut self) -> bool {
        let ends_with_u = self.plain_len > 0 && self.plain[self.plain_len - 1] == b'u';
        if ends_with_u {
            self.plain_len -= 1;
        }
        ends_with_u
    }
}

/// Longest syllable in letters (`zhuang`, `shuang`) with room for a tone number and
/// decomposed tone marks.
const MAX_SYLLABLE_CHARS: usize = 10;

/// Reads `py)` or `py）` at the start of `text`, where `py` is spelled like one pinyin syllable
/// (letters, tone marks, at most one final tone number). Does not check the syllable exists.
pub(crate) fn read_syllable(text: &str) -> Option<Syllable> {
    let mut syllable = Syllable::empty();
    let mut seen_tone_number = false;
    for (at, c) in text.char_indices().take(MAX_SYLLABLE_CHARS + 1) {
        match c {
            ')' | '）' => {
                if syllable.plain_len == 0 {
                    return None;
                }
                syllable.len = at + c.len_utf8();
                return Some(syllable);
            }
            // A tone number ends the syllable: only the closing parenthesis may follow.
            _ if seen_tone_number => return None,
            // The usual letters, ahead of the table of the others (`v` is `ü`).
            'a'..='u' | 'w'..='z' => syllable.push(c),
            '0'..='5' if syllable.plain_len != 0 => seen_tone_number = true,
            // Combining tone marks (decomposed `ū`): the letter before carries them.
            '\u{300}' | '\u{301}' | '\u{304}' | '\u{30C}' => {}
            // Combining diaeresis: `u` + U+0308 is `ü`.
            '\u{308}' => {
                if !syllable.pop_u() {
                    return None;
                }
                syllable.push('ü');
            }
            _ => syllable.push(toneless_letter(c)?),
        }
    }
    None
}

/// The lowercase letter without tone mark, for letters that can appear in pinyin.
fn toneless_letter(c: char) -> Option<char> {
    Some(match c {
        'v' | 'V' | 'ü' | 'Ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'Ǖ' | 'Ǘ' | 'Ǚ' | 'Ǜ' => 'ü',
        'a'..='z' => c,
        'A'..='Z' => c.to_ascii_lowercase(),
        'ā' | 'á' | 'ǎ' | 'à' | 'Ā' | 'Á' | 'Ǎ' | 'À' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'Ē' | 'É' | 'Ě' | 'È' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' | 'Ī' | 'Í' | 'Ǐ' | 'Ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' | 'Ō' | 'Ó' | 'Ǒ' | 'Ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' | 'Ū' | 'Ú' | 'Ǔ' | 'Ù' => 'u',
        'ḿ' | 'Ḿ' => 'm',
        'ń' | 'ň' | 'ǹ' | 'Ń' | 'Ň' | 'Ǹ' => 'n',
        _ => return None,
    })
}

/// Most `?` standing for lost vowels in one syllable (`nüè` in Big5 is `n??`).
const MAX_LOST_VOWELS: usize = 2;

/// Reads `py)` or `py）` at the start of `text` where `py` is lowercase (or uppercase) ASCII
/// letters with one or two `?` in place of vowels an encoder could not write: the pattern
/// (lowercase) and its length through the parenthesis. `None` without a `?` or without a
/// letter.
pub(crate) fn read_syllable_with_lost_vowels(text: &str) -> Option<(String, usize)> {
    let mut pattern = String::new();
    let (mut letters, mut lost) = (0, 0);
    for (at, c) in text.char_indices().take(MAX_SYLLABLE_CHARS + 1) {
        match c {
            ')' | '）' => {
                return (letters > 0 && lost > 0).then(|| (pattern, at + c.len_utf8()));
            }
            '?' if lost < MAX_LOST_VOWELS => {
                lost += 1;
                pattern.push('?');
            }
            'a'..='z' | 'A'..='Z' => {
                letters += 1;
                pattern.push(c.to_ascii_lowercase());
            }
            _ => return None,
        }
    }
    None
}

/// The annotation of a character that was lost: a `?` or U+FFFD right after a Han character
/// (`kept` ends with both), then the annotation (`after_paren` starts with it). A `?` is
/// taken for a lost character only before an annotation with lost vowels (`(chu?ng)`: the
/// encoder that had no `牀` had no `á` either), whose letters with some vowels in place of
/// the `?` spell a real syllable; a U+FFFD, before any real syllable. Returns the mark and
/// the annotation's length.
fn lost_character_annotation(kept: &str, after_paren: &str) -> Option<(char, usize)> {
    let mark = kept
        .chars()
        .next_back()
        .filter(|&c| matches!(c, '?' | '\u{FFFD}'))?;
    kept[..kept.len() - mark.len_utf8()]
        .chars()
        .next_back()
        .filter(|&c| is_han(c))?;
    if let Some((pattern, len)) = read_syllable_with_lost_vowels(after_paren) {
        return spells_syllable(&pattern).then_some((mark, len));
    }
    let syllable = read_syllable(after_paren).filter(|_| mark != '?')?;
    is_syllable(syllable.plain()).then_some((mark, syllable.len))
}

/// The vowels a `?` in a pinyin syllable can stand for.
const VOWELS: [char; 6] = ['a', 'e', 'i', 'o', 'u', 'ü'];

/// True when `pattern` with some vowel in place of each `?` is a real syllable.
fn spells_syllable(pattern: &str) -> bool {
    let mut spellings = vec![String::new()];
    for c in pattern.chars() {
        spellings = match c {
            '?' => spellings
                .iter()
                .flat_map(|s| VOWELS.iter().map(move |&v| format!("{s}{v}")))
                .collect(),
            _ => spellings.into_iter().map(|s| s + &c.to_string()).collect(),
        };
    }
    spellings.iter().any(|s| is_syllable(s))
}

/// True when `pattern` (lowercase letters and `?`) with some vowel in place of each `?` is a
/// plain reading of `han` (`b?o` and `飽`, read `bao`).
pub(crate) fn is_reading_with_lost_vowels(han: char, pattern: &str) -> bool {
    han.to_pinyin_multi().is_some_and(|readings| {
        readings.into_iter().any(|r| {
            let plain = r.plain();
            plain.chars().count() == pattern.chars().count()
                && plain
                    .chars()
                    .zip(pattern.chars())
                    .all(|(p, q)| p == q || (q == '?' && VOWELS.contains(&p)))
        })
    })
}

/// True when `plain` (toneless, lowercase, UTF-8) is one of the readings of `han`.
pub(crate) fn is_reading_of(han: char, plain: &[u8]) -> bool {
    han.to_pinyin_multi()
        .is_some_and(|readings| readings.into_iter().any(|r| r.plain().as_bytes() == plain))
}

/// True when `plain` (toneless, lowercase) is a reading of some Han character: a real
/// syllable, not just letters.
pub(crate) fn is_syllable(plain: &str) -> bool {
    static SYLLABLES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SYLLABLES
        .get_or_init(|| {
            // About 1,500 distinct plain syllables; collecting them from the crate's own table
            // keeps one source of truth for what a reading is (a few ms, once per process).
            ('\u{3400}'..='\u{9FFF}')
                .filter_map(|c| c.to_pinyin_multi())
                .flat_map(|readings| readings.into_iter().map(|r| r.plain()))
                .filter(|plain| !plain.is_empty())
                .collect()
        })
        .contains(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, usize) {
        let mut repairs = Repairs::default();
        let out = strip_annotations(text, &mut repairs);
        (out, repairs.pinyin_annotations)
    }

    #[test]
    fn strips_annotations_from_the_seed() {
        let (out, n) = run("據(jù)住房和城鄉(xiāng)建設(shè)部官網(wǎng)消息,在尊重有關(guān)各方");
        assert_eq!(out, "據住房和城鄉建設部官網消息,在尊重有關各方");
        assert_eq!(n, 5);
    }

    #[test]
    fn accepts_heteronyms_and_traditional_characters() {
        assert_eq!(run("數(shù)量").0, "數量");
        assert_eq!(run("數(shuò)見").0, "數見");
        assert_eq!(run("樂(lè)樂(yuè)").0, "樂樂");
        assert_eq!(run("當(dāng)").0, "當");
    }

    #[test]
    fn accepts_tone_numbers_v_case_and_full_width_parens() {
        assert_eq!(run("據(ju4)").0, "據");
        assert_eq!(run("綠(lv4)綠(lü)綠(LÜ)").0, "綠綠綠");
        assert_eq!(run("鄉（xiāng）村").0, "鄉村");
        assert_eq!(run("鄉(XIANG)").0, "鄉");
        assert_eq!(run("鄉(xiang1)").0, "鄉");
        // Decomposed tone mark: `a` + combining macron.
        assert_eq!(run("鄉(xia\u{304}ng)").0, "鄉");
    }

    #[test]
    fn consecutive_annotations_are_all_removed() {
        assert_eq!(run("據(jù)(jù)悉").0, "據悉");
    }

    #[test]
    fn keeps_parentheses_that_are_not_readings() {
        for text in [
            "(記者孫紅麗)",
            "年份(2018)",
            "人工智能(AI)",
            "第五代移動通信系統(5G)",
            "報道(上)",
            "好(de)",
            "基站(站)",
            "轉(zhuǎn)載(非現代青年網)",
            "(jù)",
            "word(ju)",
            "據(ju45)",
            "據(4)",
            "據()",
            "據(jù",
            "據(jùjùjùjùjùjù)",
        ] {
            let (out, n) = run(text);
            let expected = text.replace("轉(zhuǎn)", "轉");
            assert_eq!(out, expected, "{text}");
            assert_eq!(n, usize::from(text.contains("轉(")), "{text}");
        }
    }

    #[test]
    fn annotations_with_lost_tone_vowels() {
        // Big5 has no tone letters: a converter with replacement writes `?` for them.
        assert_eq!(
            run("飽(b?o)經(j?ng)綠(l?)女(n?)歲(su?)略(l??)"),
            ("飽經綠女歲略".to_owned(), 6)
        );
        assert_eq!(run("鄉（xi?ng）村"), ("鄉村".to_owned(), 1));
        // The letters must still spell a reading of the character.
        for text in [
            "飽(b?x)",
            "飽(j?ng)",
            "飽(?)",
            "飽(??)",
            "飽(b???o)",
            "(b?o)",
            "word(b?o)",
        ] {
            assert_eq!(run(text), (text.to_owned(), 0), "{text}");
        }
    }

    #[test]
    fn a_lost_character_goes_with_its_annotation() {
        let mut repairs = Repairs::default();
        let out = strip_annotations("臨?(chu?ng)病患,張?(chu?ng)位", &mut repairs);
        assert_eq!(out, "臨病患,張位");
        assert_eq!((repairs.pinyin_annotations, repairs.dropped_chars), (2, 2));
        // A real question mark before something in parentheses stays.
        for text in [
            "是嗎?(ma)",
            "是嗎?(xyz?)",
            "好?(h?o wan)",
            "a?(b?o)",
            "?(b?o)",
        ] {
            assert_eq!(run(text), (text.to_owned(), 0), "{text}");
        }
        // A character cut in half, decoded as U+FFFD, before its annotation.
        let mut repairs = Repairs::default();
        let out = strip_annotations("部門\u{FFFD}(fù)責人,\u{FFFD}(fù)", &mut repairs);
        assert_eq!(out, "部門責人,\u{FFFD}(fù)");
        assert_eq!((repairs.pinyin_annotations, repairs.garbled), (1, 1));
    }

    #[test]
    fn de_is_stripped_only_after_a_character_read_de() {
        assert_eq!(run("的(de)").0, "的");
        assert_eq!(run("好(de)").0, "好(de)");
    }

    #[test]
    fn reads_syllables() {
        let s = read_syllable("shù)貤").map(|s| (s.plain().to_owned(), s.len));
        assert_eq!(s, Some(("shu".to_owned(), "shù)".len())));
        assert_eq!(
            read_syllable("qǐng）").map(|s| s.plain().to_owned()),
            Some("qing".into())
        );
        assert_eq!(read_syllable("2018)"), None);
        assert_eq!(read_syllable(")"), None);
        assert_eq!(read_syllable("a b)"), None);
    }

    /// [`read_syllable`] by its plain definition, building the plain spelling in a `String`.
    fn read_syllable_reference(text: &str) -> Option<(String, usize)> {
        let mut plain = String::new();
        let mut seen_tone_number = false;
        for (at, c) in text.char_indices().take(MAX_SYLLABLE_CHARS + 1) {
            match c {
                ')' | '）' => {
                    if plain.is_empty() {
                        return None;
                    }
                    return Some((plain, at + c.len_utf8()));
                }
                _ if seen_tone_number => return None,
                '0'..='5' if !plain.is_empty() => seen_tone_number = true,
                '\u{300}' | '\u{301}' | '\u{304}' | '\u{30C}' => {}
                '\u{308}' => {
                    if plain.pop() != Some('u') {
                        return None;
                    }
                    plain.push('ü');
                }
                _ => plain.push(toneless_letter(c)?),
            }
        }
        None
    }

    #[test]
    fn inline_syllables_agree_with_the_string_definition() {
        const ALPHABET: [char; 16] = [
            'a', 'u', 'v', 'V', '\u{308}', '\u{304}', 'ǖ', 'ü', '1', '5', '6', ')', '）', ' ',
            '中', 'ḿ',
        ];
        let check = |text: &str| {
            let fast = read_syllable(text).map(|s| (s.plain().to_owned(), s.len));
            assert_eq!(fast, read_syllable_reference(text), "{text:?}");
        };
        // Every text of up to four characters of the alphabet.
        let mut texts = crate::testing::every_text(&ALPHABET, 4);
        // Longer ones, around the length limit: letters (two-byte `ü` ones too), then a closer.
        for letters in 0..=MAX_SYLLABLE_CHARS + 2 {
            for letter in ["a", "ü", "ǖ", "u\u{308}", "a\u{304}"] {
                for tail in [")", "1)", "）x", ""] {
                    texts.push(format!("{}{tail}", letter.repeat(letters)));
                }
            }
        }
        let mut rng = crate::testing::XorShift::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            texts.push(rng.text(&ALPHABET, 14));
        }
        for text in &texts {
            check(text);
        }
    }

    #[test]
    fn knows_which_letters_are_syllables() {
        for real in ["shu", "qing", "de", "lü", "zhuang", "a", "er"] {
            assert!(is_syllable(real), "{real}");
        }
        for not_real in ["ai5", "what", "is", "gg", "v", ""] {
            assert!(!is_syllable(not_real), "{not_real}");
        }
    }

    #[test]
    fn survives_odd_input() {
        for text in ["(", "（", "據(", "據（", ")(", "(((", "據(ǖ", "\u{308})"] {
            let _ = run(text);
        }
    }
}
