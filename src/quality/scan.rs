//! The one pass of [`super::assess`] over a body's UTF-8 bytes: every count but the rare
//! second looks (pinyin remnants, residual mojibake). Written for speed: most characters are
//! counted from their bytes by one table lookup ([`Tables`]). The tests hold the plain
//! definition it must equal (`assess_reference`, one decoded character at a time) and compare
//! the two on every scalar value in context and on generated bodies.

use std::sync::LazyLock;

use super::{is_tone_vowel, pinyin_remnants, residual_mojibake, Counts};
use crate::model::{is_han, model, three_byte_block_and_bit};

/// The counts of [`assess`].
///
/// One pass over the characters gathers every count; the pinyin-remnant count needs a second
/// look only when that pass saw a tone-marked vowel (a remnant is a word with one, and clean
/// bodies have none), the mojibake count only when it saw many rare characters.
///
/// Most characters of a body are *plain* for the counts (see [`Tables`]): Han characters of
/// the BMP and the other BMP characters that are neither whitespace, nor possible marks of
/// damage, nor tone vowels. A stretch of them is counted straight from the UTF-8 bytes, one
/// table lookup per character, and what they leave behind (the paragraph, the damage-mark
/// neighbours) is set once per stretch. Every other character is decoded and takes the
/// general path.
///
/// One function of about 120 lines: the stretch loop and the general path update the same
/// ten counters, which stay local (in registers) this way. Its plain definition is
/// `tests::assess_reference`.
pub(super) fn count(body: &str) -> Counts {
    let m = model();
    let tables = &*TABLES;
    let bytes = body.as_bytes();
    // `chars` = `han` + `other`: every non-whitespace character is one of the two.
    let (mut han, mut other, mut rare, mut garbled) = (0usize, 0usize, 0usize, 0usize);
    let mut paragraphs = 0usize;
    // Whether the current `\n`-separated line already has a non-whitespace character: a line
    // counts as a paragraph when it has one (what `lines()` + `trim()` + `is_empty()` say).
    let mut in_paragraph = false;
    let mut tone_vowel_seen = false;
    // What the damage marks need of the previous character.
    let mut prev_is_han = false;
    let mut latin1_run = false;
    let mut rest = bytes;
    loop {
        // A stretch of plain characters. `rest` starts at a character boundary of valid
        // UTF-8, so a lead byte `1110xxxx` has two continuation bytes after it and `110xxxxx`
        // one: their low bits are the code point's block (`code >> 6`) and its place in it.
        let stretch_len = rest.len();
        let mut last_is_han = prev_is_han;
        loop {
            match rest {
                [lead, b1, b2, tail @ ..] if lead & 0xF0 == 0xE0 => {
                    let (block, bit) = three_byte_block_and_bit(*lead, *b1, *b2);
                    if tables.han_block[block] {
                        han += 1;
                        rare += (tables.rare[block] >> bit) as usize & 1;
                        last_is_han = true;
                    } else if tables.plain[block] >> bit & 1 != 0 {
                        other += 1;
                        last_is_han = false;
                    } else {
                        break;
                    }
                    rest = tail;
                }
                [lead, b1, tail @ ..] if lead & 0xE0 == 0xC0 => {
                    let block = usize::from(lead & 0x1F);
                    if tables.plain[block] >> (b1 & 0x3F) & 1 == 0 {
                        break;
                    }
                    other += 1;
                    last_is_han = false;
                    rest = tail;
                }
                [b, tail @ ..] if b.is_ascii() => {
                    if tables.plain[usize::from(b >> 6)] >> (b & 0x3F) & 1 == 0 {
                        break;
                    }
                    other += 1;
                    last_is_han = false;
                    rest = tail;
                }
                _ => break,
            }
        }
        if rest.len() != stretch_len {
            // Plain characters are not whitespace, and none is Latin-1.
            paragraphs += usize::from(!in_paragraph);
            in_paragraph = true;
            prev_is_han = last_is_han;
            latin1_run = false;
        }
        // The general path, for one character that is not plain.
        let at = bytes.len() - rest.len();
        let Some(c) = body[at..].chars().next() else {
            break;
        };
        let next_at = at + c.len_utf8();
        rest = &bytes[next_at..];
        // Supplementary-plane Han characters (four bytes) come here.
        if is_han(c) {
            han += 1;
            paragraphs += usize::from(!in_paragraph);
            in_paragraph = true;
            rare += usize::from(m.is_rare(c));
            prev_is_han = true;
            latin1_run = false;
            continue;
        }
        if c.is_whitespace() {
            if c == '\n' {
                in_paragraph = false;
            }
        } else {
            other += 1;
            paragraphs += usize::from(!in_paragraph);
            in_paragraph = true;
        }
        let latin1 = matches!(c as u32, 0xC0..=0xFF);
        if c == '?' || !c.is_ascii() {
            // Damage marks are all `?` or non-ASCII, non-Han: other ASCII characters only
            // move `prev` and end a Latin-1 run. The next character is decoded only here.
            let next = || body[next_at..].chars().next();
            if is_damage_mark(c, prev_is_han, next, latin1_run) {
                garbled += 1;
            }
            // Every tone vowel is in U+00E0..=U+01DC.
            if matches!(c as u32, 0xE0..=0x1DC) && is_tone_vowel(c) {
                tone_vowel_seen = true;
            }
        }
        latin1_run = latin1;
        prev_is_han = false;
    }
    let pinyin_remnants = if tone_vowel_seen {
        pinyin_remnants(body)
    } else {
        0
    };
    Counts {
        chars: han + other,
        han,
        rare,
        garbled,
        paragraphs,
        pinyin_remnants,
        mojibake: residual_mojibake(body, han, rare, m),
        guessed: 0,
        lost: 0,
        repaired: 0,
    }
}

/// What the stretch loop of [`assess`] needs to know of a BMP character, by its 64-character
/// block (`code >> 6`) and its place in the block (`code & 63`).
struct Tables {
    /// Whether the block is Han: every Han range of [`is_han`] in the BMP starts and ends
    /// on a 64-character boundary, so Han-ness is a property of the block.
    han_block: [bool; 1024],
    /// [`crate::model::CharModel::is_rare`] of each character of the block.
    rare: [u64; 1024],
    /// Whether each character of the block is plain (see [`is_plain`]).
    plain: [u64; 1024],
}

/// A character that only counts as a non-whitespace, non-Han character and leaves no state
/// behind but "the previous character is not Han, nor Latin-1": not Han, not whitespace, not
/// a possible damage mark (`?`, U+FFFD, private use, U+00C0..=U+00FF) and not a tone vowel.
fn is_plain(c: char) -> bool {
    // Every tone vowel is in U+00E0..=U+01DC (and the search is slow).
    let tone_vowel = matches!(c as u32, 0xE0..=0x1DC) && is_tone_vowel(c);
    !is_han(c)
        && !c.is_whitespace()
        && !matches!(c as u32, 0x3F | 0xFFFD | 0xE000..=0xF8FF | 0xC0..=0xFF)
        && !tone_vowel
}

/// Built once from [`is_han`], [`is_plain`] and the model (about a million instructions).
static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let m = model();
    let mut tables = Tables {
        han_block: [false; 1024],
        rare: [0; 1024],
        plain: [0; 1024],
    };
    for c in (0..0x1_0000).filter_map(char::from_u32) {
        let (block, bit) = (c as usize >> 6, c as usize & 63);
        // Only Han characters can be rare, and none is plain.
        if is_han(c) {
            tables.han_block[block] = true;
            tables.rare[block] |= u64::from(m.is_rare(c)) << bit;
        } else {
            tables.plain[block] |= u64::from(is_plain(c)) << bit;
        }
    }
    tables
});

/// Whether `c` (after a Han character when `prev_is_han`, before `next()`) is a mark of
/// damage: U+FFFD, `?` between two Han characters, a private-use character, or the first of a
/// run of Latin-1 letters glued to Han text (`latin1_run`: the previous character was Latin-1
/// too). `next` is asked only when the answer depends on it.
fn is_damage_mark(
    c: char,
    prev_is_han: bool,
    next: impl Fn() -> Option<char>,
    latin1_run: bool,
) -> bool {
    match c {
        '\u{FFFD}' => true,
        '?' => prev_is_han && next().is_some_and(is_han),
        c if matches!(c as u32, 0xE000..=0xF8FF) => true,
        c if matches!(c as u32, 0xC0..=0xFF) => {
            !latin1_run && (prev_is_han || next().is_some_and(is_han))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{assess, Quality};
    use super::*;

    /// [`assess`] by its definition: each character decoded, its neighbours looked at, the
    /// paragraphs counted by `lines()`.
    fn assess_reference(body: &str) -> Quality {
        let m = model();
        let (mut chars, mut han, mut rare, mut garbled) = (0usize, 0usize, 0usize, 0usize);
        let mut prev: Option<char> = None;
        let mut latin1_run = false;
        let mut it = body.chars().peekable();
        while let Some(c) = it.next() {
            if !c.is_whitespace() {
                chars += 1;
            }
            if is_han(c) {
                han += 1;
                if m.is_rare(c) {
                    rare += 1;
                }
            }
            let latin1 = matches!(c as u32, 0xC0..=0xFF);
            if damage_mark_reference(c, prev, it.peek().copied(), latin1_run) {
                garbled += 1;
            }
            latin1_run = latin1;
            prev = Some(c);
        }
        let paragraphs = body.lines().filter(|l| !l.trim().is_empty()).count();
        let pinyin_remnants = pinyin_remnants(body);
        Counts {
            chars,
            han,
            rare,
            garbled,
            paragraphs,
            pinyin_remnants,
            mojibake: residual_mojibake(body, han, rare, m),
            guessed: 0,
            lost: 0,
            repaired: 0,
        }
        .quality()
    }

    /// The damage-mark definition, on the neighbours themselves.
    fn damage_mark_reference(
        c: char,
        prev: Option<char>,
        next: Option<char>,
        latin1_run: bool,
    ) -> bool {
        match c {
            '\u{FFFD}' => true,
            '?' => prev.is_some_and(is_han) && next.is_some_and(is_han),
            c if matches!(c as u32, 0xE000..=0xF8FF) => true,
            c if matches!(c as u32, 0xC0..=0xFF) => {
                !latin1_run && (prev.is_some_and(is_han) || next.is_some_and(is_han))
            }
            _ => false,
        }
    }

    #[test]
    fn one_pass_agrees_with_the_definition_on_generated_bodies() {
        const ALPHABET: [char; 22] = [
            '据',
            '\u{9FA5}',
            '\u{20000}',
            '?',
            'À',
            'é',
            'ǜ',
            'd',
            'X',
            ' ',
            '\n',
            '\r',
            '\u{3000}',
            '\u{E000}',
            '\u{FFFD}',
            '，',
            '1',
            '\u{85}',
            '·',
            '。',
            '\u{4DC0}',
            '\u{2028}',
        ];
        // Every body of up to four characters of the alphabet, then longer generated ones.
        let mut bodies = crate::testing::every_text(&ALPHABET, 4);
        let mut rng = crate::testing::XorShift::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..5_000 {
            bodies.push(rng.text(&ALPHABET, 60));
        }
        for body in &bodies {
            assert_eq!(assess(body), assess_reference(body), "{body:?}");
        }
    }

    #[test]
    fn one_pass_agrees_with_the_definition() {
        let seed = include_str!("../../fixtures/seed/000_f764d41b789eb620.txt");
        let mut bodies = vec![
            seed.to_string(),
            String::new(),
            "据报道，地方政府表示?将加强管理。\nshù 和 dāng 仍在。".into(),
            "  \n\r\n \u{3000}\n\u{B}x\u{85}\n".into(),
            "数?据 æ•°æ®数Àé据\u{E000}\u{FFFD}\u{F8FF}?".into(),
            "ÀÀ据据ÀàǜŪ dāng,DĀNG shùxyz ǚ\r\nlǜ".into(),
            "\u{20000}?\u{2000B}\u{3400}À".into(),
        ];
        // Every line of the seed alone, and every cut of an awkward string.
        bodies.extend(seed.lines().map(str::to_string));
        let awkward = "据?据À\n\n é?\u{FFFD}dàng据 \u{E40C}x";
        bodies.extend(
            awkward
                .char_indices()
                .map(|(at, _)| awkward[at..].to_string()),
        );
        for body in &bodies {
            assert_eq!(assess(body), assess_reference(body), "{body:?}");
        }
    }

    /// The stretch loop reads Han-ness, rarity and plainness from the tables: they must say
    /// what the definitions say for every BMP character.
    #[test]
    fn tables_agree_with_the_definitions() {
        let m = model();
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            let (block, bit) = (c as usize >> 6, c as usize & 63);
            assert_eq!(TABLES.han_block[block], is_han(c), "{c:?}");
            assert_eq!(TABLES.rare[block] >> bit & 1 == 1, m.is_rare(c), "{c:?}");
            assert_eq!(TABLES.plain[block] >> bit & 1 == 1, is_plain(c), "{c:?}");
        }
    }

    /// Every scalar value, between neighbours that each count or mark differently: the
    /// stretch loop and the general path must agree with the definition on all of them.
    #[test]
    fn every_scalar_value_in_context_agrees_with_the_definition() {
        let contexts = [("据", "据"), ("", "?据"), ("À", "\n"), ("a ", "·")];
        let mut body = String::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for (before, after) in contexts {
                body.clear();
                body.push_str(before);
                body.push(c);
                body.push_str(after);
                assert_eq!(assess(&body), assess_reference(&body), "{body:?}");
            }
        }
    }
}
