//! Tests of the script step: conversion, and the traditional-script check (its fast path
//! against the plain definition).

use super::*;
use std::sync::OnceLock;

fn converter() -> &'static ToSimplified {
    static CONVERTER: OnceLock<ToSimplified> = OnceLock::new();
    CONVERTER.get_or_init(ToSimplified::new)
}

fn run(text: &str) -> (String, usize) {
    let mut repairs = Repairs::default();
    let out = converter().convert(text, &mut repairs);
    (out, repairs.to_simplified)
}

#[test]
fn is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ToSimplified>();
}

#[test]
fn converts_and_counts() {
    assert_eq!(
        run("(記者孫紅麗)\n標籤: 生活垃圾分類"),
        ("(记者孙红丽)\n标签: 生活垃圾分类".to_owned(), 7)
    );
}

#[test]
fn simplified_text_is_skipped_and_unchanged() {
    let text = "据悉，2020年全国城市生活垃圾分类工作广州现场会以来，各地掀起了新高潮。";
    assert!(!converter().has_traditional(text));
    assert_eq!(run(text), (text.to_owned(), 0));
    assert!(!converter().has_traditional("2018-12-24 08:37 What?"));
}

#[test]
fn has_traditional_agrees_with_the_set_for_every_scalar_value() {
    let set = &converter().tables.convertible;
    let mut buffer = [0; 4];
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        // Alone, and between characters of every UTF-8 length, none traditional-only.
        let alone = c.encode_utf8(&mut buffer);
        assert_eq!(converter().has_traditional(alone), set.contains(c), "{c:?}");
        let among = format!("a\u{e9}据{c}\u{1F600}z");
        assert_eq!(
            converter().has_traditional(&among),
            set.contains(c),
            "{c:?}"
        );
    }
}

#[test]
fn has_traditional_equals_the_char_scan_on_mixes() {
    let pool = [
        'a',
        ' ',
        '\n',
        'é',
        'Ж',
        '据',
        '悉',
        '據',
        '鄉',
        '著',
        '，',
        '\u{20000}',
        '😀',
    ];
    let mut rng = crate::testing::XorShift::new(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5_000 {
        let text = rng.text(&pool, 12);
        let expected = text
            .chars()
            .any(|c| converter().tables.convertible.contains(c));
        assert_eq!(converter().has_traditional(&text), expected, "{text:?}");
    }
}

#[test]
fn simplified_paragraphs_are_not_damaged() {
    // `著` and `乾` are simplified characters too; t2s alone would make them `着` and `干`.
    for text in ["取得了显著成就", "自清、萧乾、艾青", "论著选编", "沈阳"] {
        assert_eq!(run(text), (text.to_owned(), 0), "{text}");
    }
    // In a traditional paragraph, OpenCC's phrases decide.
    assert_eq!(run("取得了顯著成就").0, "取得了显著成就");
}

#[test]
fn converts_only_the_traditional_paragraphs() {
    assert_eq!(
        run("顯著的變化\n显著成就"),
        ("显著的变化\n显著成就".to_owned(), 2)
    );
}

#[test]
fn knows_gb2312() {
    assert!(is_gb2312('据'));
    assert!(is_gb2312('著'));
    assert!(!is_gb2312('據'));
    assert!(!is_gb2312('镕'));
    assert!(!is_gb2312('a'));
}

#[test]
fn gb2312_candidates_hold_every_gb2312_character() {
    let candidates = gb2312_candidates();
    let mut members = 0;
    for c in (0..=0xFFFF)
        .filter_map(char::from_u32)
        .filter(|&c| is_gb2312(c))
    {
        assert!(candidates.contains(c), "{c:?} U+{:04X}", u32::from(c));
        members += 1;
    }
    assert!(members > 7000, "{members}");
    assert!(!candidates.contains('據'));
}

#[test]
fn keeps_punctuation_and_line_breaks() {
    assert_eq!(run("「說」\n\n『話』").0, "「说」\n\n『话』");
}

#[test]
fn counts_changes_across_length_changes() {
    assert_eq!(count_changed_chars("abcd", "abXYZd"), 3);
    assert_eq!(count_changed_chars("abcd", "ad"), 2);
    assert_eq!(count_changed_chars("", "x"), 1);
}

#[test]
fn char_set_membership() {
    let mut set = CharSet::default();
    set.insert('據');
    set.insert('\u{2000B}');
    assert!(set.contains('據'));
    assert!(set.contains('\u{2000B}'));
    assert!(!set.contains('据'));
    assert!(!set.contains('\u{10FFFF}'));
}

// --- The matcher gives exactly what `OpenCC::t2s(line, false)` gives. ---

use opencc_fmmseg::OpenCC;

/// The crate's dictionaries, the matcher built from them, and the crate's converter as
/// the reference.
struct Reference {
    dictionary: DictionaryMaxlength,
    matcher: Matcher,
    opencc: OpenCC,
}

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let dictionary = DictionaryMaxlength::new().expect("dictionaries");
        let matcher = Matcher::t2s(&dictionary);
        let mut opencc = OpenCC::from_dictionary(DictionaryMaxlength::new().unwrap());
        opencc.set_parallel(false);
        Reference {
            dictionary,
            matcher,
            opencc,
        }
    })
}

/// Converts `line` both ways and compares text and count (the matcher appends after
/// other text, as it does in a page).
fn assert_same(matcher: &Matcher, opencc: &OpenCC, line: &str) {
    let want = opencc.t2s(line, false);
    let want_count = count_changed_chars(line, &want);
    let mut out = String::from("前\n");
    let count = matcher.convert(line, &mut out);
    assert_eq!(
        (&out["前\n".len()..], count),
        (want.as_str(), want_count),
        "{line:?}"
    );
}

/// Compares on `line` and on its traditional form (OpenCC's `s2t`).
fn assert_same_both_scripts(line: &str) {
    let Reference {
        matcher, opencc, ..
    } = reference();
    assert_same(matcher, opencc, line);
    assert_same(matcher, opencc, &opencc.s2t(line, false));
}

/// A small deterministic generator (xorshift64*), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Random strings made of pieces of `keys`: whole keys, their prefixes and suffixes, two
/// keys overlapping by a character, values, delimiters, ASCII, astral characters and
/// simplified text.
fn generated(keys: &[(Vec<char>, String)], count: usize, seed: u64) -> Vec<String> {
    let delimiters: Vec<char> = " \t!,.:;()-—、。，；：？！（）《》「」　…～"
        .chars()
        .collect();
    let plain = [
        "abc",
        "2024",
        "x",
        "的",
        "中国",
        "显著",
        "\u{20000}",
        "😀",
        "\u{2A6D6}",
    ];
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..rng.below(12) + 1 {
                let (key, value) = rng.pick(keys);
                match rng.below(9) {
                    0 | 1 => text.extend(key),
                    2 => text.extend(&key[..rng.below(key.len()) + 1]),
                    3 => text.extend(&key[rng.below(key.len())..]),
                    4 => {
                        // `key` then a key that starts with its last character, sharing it.
                        text.extend(key);
                        let last = key[key.len() - 1];
                        if let Some((next, _)) = keys.iter().find(|(k, _)| k[0] == last) {
                            text.extend(&next[1..]);
                        }
                    }
                    5 => text.push_str(value),
                    6 | 7 => text.push(*rng.pick(&delimiters)),
                    _ => text.push_str(rng.pick::<&str>(&plain)),
                }
            }
            text
        })
        .collect()
}

fn keys_of(dictionaries: &[&DictMaxLen]) -> Vec<(Vec<char>, String)> {
    let mut keys: Vec<(Vec<char>, String)> = dictionaries
        .iter()
        .flat_map(|d| d.iter())
        .map(|(key, value)| (key.to_vec(), value.to_owned()))
        .collect();
    keys.sort();
    keys
}

#[test]
fn matches_opencc_on_the_fixtures() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let mut stack = vec![std::path::PathBuf::from(root)];
    let mut lines = 0;
    while let Some(dir) = stack.pop() {
        for path in std::fs::read_dir(&dir)
            .expect("fixtures")
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).expect("fixture");
            let hint = crate::decode::Hint::default();
            let Ok(decoded) = crate::decode::decode(&bytes, &hint) else {
                continue;
            };
            for line in decoded.text.lines() {
                assert_same_both_scripts(line);
                lines += 1;
            }
        }
    }
    assert!(lines > 100, "{lines} lines");
}

#[test]
fn matches_opencc_on_strings_made_of_its_keys() {
    let Reference {
        dictionary,
        matcher,
        opencc,
    } = reference();
    let keys = keys_of(&[&dictionary.ts_phrases, &dictionary.ts_characters]);
    let phrases = keys_of(&[&dictionary.ts_phrases]);
    for text in generated(&keys, 3000, 1)
        .iter()
        .chain(&generated(&phrases, 3000, 2))
    {
        assert_same(matcher, opencc, text);
    }
}

/// Dictionaries with what the real ones lack today: a key in both dictionaries, keys with
/// delimiters (inside, at the end, alone), values of another length, astral keys.
#[test]
fn matches_opencc_on_dictionary_edge_cases() {
    let pairs = |pairs: &[(&str, &str)]| {
        DictMaxLen::build_from_pairs(
            pairs
                .iter()
                .map(|&(key, value)| (key.to_owned(), value.to_owned())),
        )
    };
    let mut dictionary = DictionaryMaxlength::default();
    dictionary.ts_phrases = pairs(&[
        ("中國", "中国"),
        ("中國人", "中国人民"),
        ("重", "phrase"),
        ("好，", "好!"),
        ("，好", "never"),
        ("a,b", "never"),
        ("長長", "长"),
        ("同", "同"),
        ("\u{20000}\u{20001}", "xy"),
        ("一二三四五六七八九十", "一〇"),
    ]);
    dictionary.ts_characters = pairs(&[
        ("重", "character"),
        ("國", "国"),
        ("，", ","),
        (" ", "_"),
        ("\u{20000}", "x"),
        ("人", "亻"),
        ("長", "长"),
    ]);
    let matcher = Matcher::t2s(&dictionary);
    let keys = keys_of(&[&dictionary.ts_phrases, &dictionary.ts_characters]);
    let mut opencc = OpenCC::from_dictionary(dictionary);
    opencc.set_parallel(false);
    for text in ["，", "，，好，", "a，", "好，好", "重", " a b  c", "長長長"] {
        assert_same(&matcher, &opencc, text);
    }
    for text in generated(&keys, 5000, 3) {
        assert_same(&matcher, &opencc, &text);
    }
}

/// Every line of `../shared/corpus` (not in the repository: run with `--ignored` where it
/// exists), as it is and converted to traditional with `s2t`.
#[test]
#[ignore]
fn matches_opencc_on_the_corpus() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    let mut lines = 0;
    for path in std::fs::read_dir(root)
        .expect("corpus")
        .flatten()
        .map(|e| e.path())
    {
        let bytes = std::fs::read(&path).expect("corpus file");
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => encoding_rs::GBK.decode(&bytes).0.into_owned(),
        };
        for line in text.lines() {
            assert_same_both_scripts(line);
            lines += 1;
        }
    }
    assert!(lines > 0, "no lines under {root}");
    eprintln!("{lines} lines convert the same");
}
