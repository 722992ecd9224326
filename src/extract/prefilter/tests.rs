//! Tests of the prefilter: derived conditions, and scans against the regexes.

use super::*;

/// The requirement groups of `p`, each sorted.
fn req(p: &str) -> Vec<Vec<String>> {
    let mut groups = requirements(p);
    for g in &mut groups {
        g.sort();
    }
    groups
}

#[test]
fn derived_requirements() {
    assert_eq!(req("来源"), [["来源"]]);
    assert_eq!(req(r"^来源\s*[:：]"), [vec!["来源"], vec![":", "："]]);
    assert_eq!(req(r"(?:甲|乙)丙"), [["乙丙", "甲丙"]]);
    assert_eq!(req(r"乙\d+|甲"), [["乙", "甲"]]);
    // A branch with nothing known makes the whole alternation unknown.
    assert!(req(r"甲|\d").is_empty());
    assert!(req(r"(?:甲)?\s*").is_empty());
    assert!(req(r"\p{Han}{2,4}").is_empty());
    // Case-insensitive letters are small classes.
    assert_eq!(req(r"(?i:ab)"), [["AB", "Ab", "aB", "ab"]]);
    // A repetition of at least one keeps its requirement.
    assert_eq!(req(r"(?:ab){2,}"), [["ab"]]);
}

#[test]
fn scan_says_which_may_match() {
    let p = Prefilter::new(&[r"^来源\s*[:：]", r"\d+", "凡本(?:网|網)注明"]);
    let s = p.scan("来源：新华社");
    assert!(s.may_match(0) && s.may_match(1) && !s.may_match(2));
    let s = p.scan("凡本網注明");
    assert!(!s.may_match(0) && s.may_match(2));
    assert!(s.may_match(64));
    // Overlapping literals are all found.
    let p = Prefilter::new(&["abc", "bcd"]);
    let s = p.scan("abcd");
    assert!(s.may_match(0) && s.may_match(1));
}

#[test]
fn anchored_patterns_need_their_edge_characters() {
    let p = Prefilter::new(&[
        r"^[（(]\s*\p{Han}+",
        r"\p{Han}+[）)]$",
        r"^\s*$",
        r"^(?:甲)?乙",
    ]);
    let s = p.scan("（张三");
    assert!(s.may_match(0) && !s.may_match(1));
    let s = p.scan("张三）");
    assert!(!s.may_match(0) && s.may_match(1));
    // A pattern that can match the empty string says nothing about the edges.
    assert!(p.scan("正文").may_match(2));
    // An optional piece lets the next one begin the match.
    assert!(p.scan("乙丙").may_match(3) && p.scan("甲乙").may_match(3));
    assert!(!p.scan("丙乙").may_match(3));
    // Characters above U+FFFF take the slow path.
    assert!(!p.scan("😀张三）").may_match(0));
    let p = Prefilter::new(&["^😀", "😀$"]);
    assert!(p.scan("😀a").may_match(0) && !p.scan("😀a").may_match(1));
}

/// Every literal the scan looks for is found wherever it is: at the start, at the end,
/// after or inside another one, after characters of every width.
#[test]
fn literals_found_anywhere() {
    let p = Prefilter::new(&["凡本网", "网注", "©", "ab", "😀x"]);
    for (line, want) in [
        ("凡本网注明", [true, true, false, false, false]),
        ("é凡本网", [true, false, false, false, false]),
        ("x©", [false, false, true, false, false]),
        ("中ab", [false, false, false, true, false]),
        ("😀😀x", [false, false, false, false, true]),
        ("网", [false, false, false, false, false]),
    ] {
        let s = p.scan(line);
        let got: Vec<bool> = (0..5).map(|i| s.may_match(i)).collect();
        assert_eq!(got, want, "{line}");
    }
}
