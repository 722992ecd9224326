//! Tests of the punctuation step, and the character-level definition of its rules
//! ([`reference`]) that the candidate walk of `line.rs` must equal, compared on every short
//! line over a small alphabet and on generated long ones.

use super::*;
use crate::model::is_han;
use crate::repair::chars::{is_cjk, is_space};

fn run(text: &str) -> (String, usize) {
    let mut repairs = Repairs::default();
    let out = to_full_width(text, &mut repairs);
    (out, repairs.punctuation)
}

#[test]
fn converts_marks_after_cjk() {
    assert_eq!(
        run("據悉,2020年以來,各地;一是自願:二是!對嗎?"),
        (
            "據悉，2020年以來，各地；一是自願：二是！對嗎？".to_owned(),
            6
        )
    );
    assert_eq!(run("“1對1”,交流").0, "“1對1”，交流");
    assert_eq!(run("好?!").0, "好？！");
    assert_eq!(run("中文 , 中文").0, "中文 ， 中文");
}

#[test]
fn converts_marks_before_cjk() {
    assert_eq!(run("GDP,增長").0, "GDP，增長");
    assert_eq!(run("第5,是").0, "第5，是");
}

#[test]
fn converts_parens_with_cjk_content_or_after_cjk() {
    assert_eq!(
        run("政績工程。(記者孫紅麗)"),
        ("政績工程。（記者孫紅麗）".to_owned(), 2)
    );
    assert_eq!(run("系統(5G)健康").0, "系統（5G）健康");
    assert_eq!(run("電 (記者 陳康亮)中國").0, "電 （記者 陳康亮）中國");
    assert_eq!(run("省(區、市)").0, "省（區、市）");
    assert_eq!(run("a(b(中)c)").0, "a（b（中）c）");
    assert_eq!(run("系統（5G)健康"), ("系統（5G）健康".to_owned(), 1));
    assert_eq!(run("x(中）"), ("x（中）".to_owned(), 1));
}

#[test]
fn leaves_ascii_context_alone() {
    for text in [
        "2018-12-24 08:37",
        "1,000",
        "3.5",
        "http://www.example.com/a?b=1;c=2",
        "What? No!",
        "The model (AI) works, mostly: yes; no.",
        "(2018)",
        "score 3:2",
        "",
        "(",
        ")",
        ")(",
    ] {
        assert_eq!(run(text), (text.to_owned(), 0), "{text}");
    }
}

#[test]
fn mixed_line_keeps_times_and_numbers() {
    assert_eq!(
        run("時間:2018-12-24 08:37,共1,000元(約)"),
        ("時間：2018-12-24 08:37，共1,000元（約）".to_owned(), 4)
    );
}

#[test]
fn unmatched_parens_stay() {
    assert_eq!(run("中文(未完").0, "中文(未完");
    assert_eq!(run("中文)未完").0, "中文)未完");
}

#[test]
fn lines_are_independent() {
    assert_eq!(run("中文(\n)中文").0, "中文(\n)中文");
    assert_eq!(run("中文,\n,a").0, "中文，\n,a");
}

#[test]
fn conversions_that_enable_each_other_happen_in_one_pass() {
    assert_eq!(run("中文,(AI)").0, "中文，（AI）");
    assert_eq!(run("AI,(中文)").0, "AI，（中文）");
    assert_eq!(run("x??:中").0, "x？？：中");
    assert_eq!(run("中,(a),(b),(c)").0, "中，（a），（b），（c）");
    for text in ["В??：", "中文,(AI)", "AI,(中文)", "a,(b,(c,(中)))", "(,)中"] {
        let once = run(text).0;
        assert_eq!(run(&once), (once.clone(), 0), "{text}");
    }
}

/// The character-level definition [`convert`] implements: each line as a `Vec<char>`,
/// swept left to right, then right to left.
fn reference(text: &str) -> (String, usize) {
    let mut punctuation = 0;
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| reference_convert_line(line, &mut punctuation))
        .collect();
    (lines.join("\n"), punctuation)
}

fn reference_convert_line(line: &str, punctuation: &mut usize) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    let mut closer_of = vec![None; chars.len()];
    let mut open_at: Vec<usize> = Vec::new();
    for (at, &c) in chars.iter().enumerate() {
        match c {
            '(' | '（' => open_at.push(at),
            ')' | '）' => {
                if let Some(open) = open_at.pop() {
                    closer_of[open] = Some(at);
                }
            }
            _ => {}
        }
    }
    let mut han_before = vec![0];
    for &c in &chars {
        han_before.push(han_before.last().unwrap() + usize::from(is_han(c)));
    }
    let mut last_non_space: Option<char> = None;
    for at in 0..chars.len() {
        let c = chars[at];
        if let Some(close) = closer_of[at] {
            let convert = match (c, chars[close]) {
                ('(', ')') => {
                    han_before[close] > han_before[at + 1] || last_non_space.is_some_and(is_cjk)
                }
                ('（', '）') => false,
                _ => true,
            };
            if convert {
                for (at, full) in [(at, '（'), (close, '）')] {
                    if chars[at] != full {
                        chars[at] = full;
                        *punctuation += 1;
                    }
                }
            }
        } else if let Some(full) = full_width_mark(c) {
            if last_non_space.is_some_and(is_cjk) {
                chars[at] = full;
                *punctuation += 1;
            }
        }
        if !is_space(chars[at]) {
            last_non_space = Some(chars[at]);
        }
    }
    for at in (0..chars.len()).rev() {
        if let Some(full) = full_width_mark(chars[at]) {
            if chars.get(at + 1).copied().is_some_and(is_cjk) {
                chars[at] = full;
                *punctuation += 1;
            }
        }
    }
    chars.into_iter().collect()
}

/// Characters that matter to the rules, and some that do not.
const ALPHABET: [char; 16] = [
    ',', '?', ':', '(', ')', '（', '）', ' ', '\t', '\n', '中', 'a', '1', '，', '“', 'é',
];

fn check_against_reference(text: &str) {
    let mut repairs = Repairs::default();
    let fast = convert(text, &mut repairs);
    let (slow, count) = reference(text);
    assert_eq!(
        (fast.as_ref(), repairs.punctuation),
        (slow.as_str(), count),
        "{text:?}"
    );
    assert_eq!(matches!(fast, Cow::Borrowed(_)), count == 0, "{text:?}");
}

#[test]
fn marks_agree_with_the_character_level_definition() {
    // Every string of up to four characters of the alphabet.
    let mut texts = vec![String::new()];
    let mut all = Vec::new();
    for _ in 0..4 {
        let mut longer = Vec::new();
        for text in &texts {
            for c in ALPHABET {
                let mut t = text.clone();
                t.push(c);
                longer.push(t);
            }
        }
        all.extend(longer.iter().cloned());
        texts = longer;
    }
    for text in &all {
        check_against_reference(text);
    }
    // Longer generated lines (a fixed xorshift sequence), and the seed.
    let mut rng = crate::testing::XorShift::new(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        check_against_reference(&rng.text(&ALPHABET, 40));
    }
    let seed = include_str!("../../../fixtures/seed/000_f764d41b789eb620.txt");
    check_against_reference(seed);
    for line in seed.lines() {
        check_against_reference(line);
    }
}

/// A line of runs, each one character of [`ALPHABET`] (but `\n`) repeated up to 12
/// times: long stretches of adjacent marks, of spaces and of nested parentheses, where a
/// sweep that reads the wrong neighbour or pairs the wrong parentheses shows.
fn line_of_runs(rng: &mut crate::testing::XorShift, max_runs: u64) -> String {
    let mut line = String::new();
    for _ in 0..rng.next_u64() % max_runs {
        // Half the runs are of a mark, a parenthesis or a space (the alphabet's first nine).
        let c = match rng.next_u64() % 2 {
            0 => *rng.pick(&ALPHABET[..9]),
            _ => *rng.pick(&ALPHABET),
        };
        for _ in 0..=rng.next_u64() % 12 {
            line.push(if c == '\n' { '中' } else { c });
        }
    }
    line
}

#[test]
fn long_lines_agree_with_the_character_level_definition() {
    let mut rng = crate::testing::XorShift::new(0x2545_F491_4F6C_DD1D);
    for _ in 0..3_000 {
        check_against_reference(&line_of_runs(&mut rng, 200));
    }
    // Runs longer than a word of decisions (64 candidates), and deep nesting.
    let long_runs = [
        format!("中{}中", ":".repeat(1000)),
        format!("a{}中", ":".repeat(1000)),
        format!("中{}a", ", ".repeat(1000)),
        format!("{}中{}", "(".repeat(1000), ")".repeat(1000)),
        format!("中{}a{}", "(".repeat(1000), ")".repeat(999)),
        format!("a{}a{}", "(".repeat(999), ")".repeat(1000)),
        format!("a{}", "(:".repeat(1000)),
        format!("中{}", "(:".repeat(1000)),
        format!("{}中", ":)".repeat(1000)),
        format!("{}中{}", "（(".repeat(500), ")）".repeat(500)),
    ];
    for text in &long_runs {
        check_against_reference(text);
    }
}

#[test]
fn idempotent() {
    let once = run("據悉,系統(5G)健康?What? 1,000 (AI) 中文(a)").0;
    assert_eq!(run(&once), (once.clone(), 0));
}
