//! Tests of the rule table: every pattern compiles and keeps its contract, the prefilter
//! agrees with every regex, and the rules classify the lines they are for.

use super::*;

fn kind(line: &str) -> Option<LineKind> {
    CompiledRules::new().classify(line).map(|m| m.kind)
}

#[test]
fn every_pattern_compiles() {
    for r in LINE_RULES {
        assert!(Regex::new(r.pattern).is_ok(), "{}", r.name);
    }
    for c in CUT_RULES {
        let re = compile(c.pattern);
        let names: Vec<_> = re.capture_names().flatten().collect();
        assert!(
            names.contains(&"cut") && names.contains(&"body"),
            "{}",
            c.name
        );
        assert_eq!(c.at == CutAt::Head, names.contains(&"pre"), "{}", c.name);
        if c.at == CutAt::Head {
            let hir = regex_syntax::Parser::new().parse(c.pattern).expect(c.name);
            let looks = hir.properties().look_set();
            assert!(
                looks.is_empty()
                    || looks
                        == regex_syntax::hir::LookSet::singleton(regex_syntax::hir::Look::Start),
                "{}: a head pattern may assert nothing but `^`",
                c.name
            );
        }
    }
    let _ = CompiledRules::new();
}

/// What [`CompiledRules::classify`] computed before the prefilter: every rule's regex, in
/// table order.
fn classify_slow(rules: &CompiledRules, line: &str) -> Option<LineMatch> {
    let chars = line.chars().count();
    rules
        .lines
        .iter()
        .find(|(r, re)| chars <= r.max_chars && re.is_match(line))
        .map(|(r, _)| LineMatch {
            kind: r.kind,
            rule: r.name,
        })
}

/// The prefilter never rules out a rule that matches: classification is the same as by
/// every regex, and every cut rule that matches a line is among the possible ones.
fn same_as_slow(rules: &CompiledRules, line: &str) {
    assert_eq!(rules.classify(line), classify_slow(rules, line), "{line:?}");
    let possible = rules.scan(line);
    for (i, (c, re)) in rules.cuts.iter().enumerate() {
        assert!(
            !re.is_match(line) || possible.may_match(LINE_RULES.len() + i),
            "{} ruled out on {line:?}",
            c.name
        );
    }
}

/// Pieces of lines the rules care about, and some they do not.
const PIECES: &[&str] = &[
    "标签",
    "標簽",
    "Tags",
    "KEYWORDS",
    "：",
    ":",
    " ",
    "\u{3000}",
    "（",
    "）",
    "(",
    ")",
    "【",
    "】",
    "[",
    "]",
    "记者",
    "記者",
    "本报",
    "实习生",
    "通讯员",
    "张三",
    "李四",
    "买买提·艾力",
    "文",
    "/",
    "｜",
    "来源",
    "责任编辑",
    "原标题",
    "新华社",
    "2018-12-24",
    "08:37",
    "2018年12月24日",
    "12月20日",
    "电",
    "讯",
    "凡本网注明",
    "不代表本站观点",
    "版权所有",
    "Copyright",
    "(c) 2018",
    "©",
    "未经授权不得转载",
    "如有侵权请联系删除",
    "免责声明",
    "首页",
    ">",
    "正文",
    "相关新闻",
    "推荐阅读",
    "字号",
    "大中小",
    "分享到",
    "上一篇",
    "打印本页",
    "。",
    "，",
    "、",
    "😀",
    "é",
    "a",
    "1",
    "报道",
    "摄",
];

#[test]
fn prefilter_agrees_with_every_regex_on_rule_lines() {
    let rules = CompiledRules::new();
    let lines = [
        "标签： 生活垃圾分类",
        "（记者 张三 李四）",
        "记者 张三 报道",
        "文/张三",
        "2018-12-24 08:37 来源：人民网 作者：张三",
        "2018-12-24 08:37:05 人民网",
        "【责任编辑：李四】",
        "2018年12月24日08:37",
        "凡本网注明“XXX（非现代青年网）提供”的作品，均转载自其它媒体。",
        "Copyright © 2018 某网 版权所有",
        "首页 > 新闻 > 正文",
        "【纠错】",
        "【推荐阅读】",
        "新华社北京12月20日电（记者高亢）记者20日获悉。（编辑：李四）",
        "中新网银川12月20日（于翔 杨迪）12月20日，工程投产。",
        "…政绩工程。（记者孙红丽）",
        "法院认为，该公司对涉案作品享有著作权，被告未经许可使用构成侵权。",
    ];
    for line in lines {
        same_as_slow(&rules, line);
    }
    for a in PIECES {
        for b in PIECES {
            same_as_slow(&rules, &format!("{a}{b}"));
            same_as_slow(&rules, &format!("{a}正文内容{b}"));
        }
    }
}

proptest::proptest! {
    #[test]
    fn prefilter_agrees_with_every_regex(
        picks in proptest::collection::vec(0..PIECES.len(), 1..12)
    ) {
        thread_local!(static RULES: CompiledRules = CompiledRules::new());
        let line: String = picks.iter().map(|&i| PIECES[i]).collect();
        RULES.with(|r| same_as_slow(r, line.trim()));
    }
}

#[test]
fn date_group_indices_match_the_names() {
    let re = compile(DATE_PATTERN);
    let names: Vec<Option<&str>> = re.capture_names().collect();
    for (i, name) in [
        (date_group::Y, "y"),
        (date_group::M, "m"),
        (date_group::D, "d"),
        (date_group::YY, "yy"),
        (date_group::MM, "mm"),
        (date_group::DD, "dd"),
        (date_group::CY, "cy"),
        (date_group::CM, "cm"),
        (date_group::CD, "cd"),
        (date_group::AP, "ap"),
        (date_group::HOUR, "H"),
        (date_group::MINUTE, "M"),
        (date_group::SECOND, "S"),
        (date_group::AMPM, "ampm"),
        (date_group::TZ, "tz"),
    ] {
        assert_eq!(names[i], Some(name));
    }
    assert_eq!(names.len(), 16);
}

#[test]
fn labels_table_and_pattern_agree() {
    let re = compile(&format!("^{FIELD_LABEL_PATTERN}$"));
    for (label, _) in FIELD_LABELS {
        let line = format!("{label}：");
        let m = re.captures(&line).expect(label);
        assert_eq!(&m["label"], *label);
    }
    let alt = labels!().trim_start_matches("(?:").trim_end_matches(')');
    for label in alt.split('|') {
        assert!(field_of(label).is_some(), "{label} missing in FIELD_LABELS");
    }
}

#[test]
fn tag_lines_in_both_scripts() {
    for l in [
        "标签： 生活垃圾分类",
        "標簽: 生活垃圾分類",
        "关键词：a,b",
        "關鍵詞:甲",
        "Tags: x y",
    ] {
        assert_eq!(kind(l), Some(LineKind::TagLine), "{l}");
    }
}

#[test]
fn bylines() {
    for l in [
        "（记者 张三 李四）",
        "(記者孫紅麗)",
        "记者 张三 报道",
        "本报记者 张三",
        "文/张三",
        "文｜张三",
        "通讯员 王五",
        "（记者 张三 通讯员 李四）",
    ] {
        assert_eq!(kind(l), Some(LineKind::Byline), "{l}");
    }
    for l in [
        "（2018）",
        "（5G）",
        "（非现代青年网）",
        "记者20日从中国二维码注册认证中心获悉，近期成立。",
    ] {
        assert_ne!(kind(l), Some(LineKind::Byline), "{l}");
    }
}

#[test]
fn metadata_lines() {
    for l in [
        "来源：新华社",
        "來源: 新華社",
        "责任编辑：王五",
        "原标题：某某",
        "2018-12-24 08:37 来源：人民网 作者：张三",
        "作者：张三",
        "【责任编辑：李四】",
        "2018-12-24 08:37:05 人民网",
    ] {
        assert_eq!(kind(l), Some(LineKind::Metadata), "{l}");
    }
    for l in [
        "据来源于当地的消息，2018年12月24日有雨。",
        "他说，消息来源：不明，还在调查。",
    ] {
        assert_eq!(kind(l), None, "{l}");
    }
}

#[test]
fn timestamps() {
    for l in [
        "2018-12-21 08:46",
        "2018-12-24",
        "2018年12月24日 08:37",
        "2018年12月24日08:37",
        "2018/12/24",
        "2018.12.24",
        "2018-12-24 08:37:05",
    ] {
        assert_eq!(kind(l), Some(LineKind::Timestamp), "{l}");
    }
}

#[test]
fn disclaimers_and_navigation() {
    for l in [
        "凡本网注明“XXX（非现代青年网）提供”的作品，均转载自其它媒体。",
        "免责声明：本站内容来自网络。",
        "Copyright © 2018 某网 版权所有",
        "人民网版权所有，未经书面授权禁止使用",
        "违法和不良信息举报电话：12377",
        "本文仅代表作者观点，不代表本站立场。",
    ] {
        assert_eq!(kind(l), Some(LineKind::Disclaimer), "{l}");
    }
    for l in [
        "首页 > 新闻 > 正文",
        "当前位置：首页",
        "分享到：微信 微博",
        "扫一扫，用手机看新闻",
        "返回搜狐，查看更多",
        "【打印本页】【关闭窗口】",
        "【纠错】",
        "字号：大 中 小",
        "字号：",
        "中国台湾网 > 台湾频道 > 时政",
        "台海网 >> 新闻中心 >> 台湾 >> 海峡漫话",
        "新闻中心 » 国内 » 社会",
        "上一篇：某某",
        "点击进入专题：某某",
    ] {
        assert_eq!(kind(l), Some(LineKind::Navigation), "{l}");
    }
    assert_eq!(kind("相关新闻"), Some(LineKind::RelatedHeading));
    assert_eq!(kind("【推荐阅读】"), Some(LineKind::RelatedHeading));
    // A comparison in a sentence, or one step, is not a breadcrumb trail.
    for l in [
        "今年的增速 > 去年的增速，说明经济在恢复。",
        "收入 > 支出",
        "字号是一种商业标识，受法律保护。",
    ] {
        assert_eq!(kind(l), None, "{l}");
    }
    // Body sentences that mention copyright stay body.
    assert_eq!(
        kind("法院认为，该公司对涉案作品享有著作权，被告未经许可使用构成侵权。"),
        None
    );
}
