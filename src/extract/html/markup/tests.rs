//! Tests of reading the page's own markup: titles, dates, authors, JSON-LD.

use super::*;

#[test]
fn titles_lose_site_suffixes() {
    assert_eq!(
        clean_title("人民币中间价创逾五年新低|金融改革|黄益平_新浪财经"),
        "人民币中间价创逾五年新低"
    );
    assert_eq!(
        clean_title("关注青少年心理健康--健康·生活--人民网"),
        "关注青少年心理健康"
    );
    assert_eq!(
        clean_title("习近平主持召开座谈会-中国科普网"),
        "习近平主持召开座谈会"
    );
    assert_eq!(
        clean_title("雄安新区 - 维基百科，自由的百科全书"),
        "雄安新区"
    );
    assert_eq!(clean_title("没有后缀的标题"), "没有后缀的标题");
}

#[test]
fn titles_with_separators_inside_lose_only_the_site_part() {
    let none = Site::default();
    let h1 = |h: &'static str| Site {
        h1: Some(h),
        ..Site::default()
    };
    // Site-word suffixes: the headline's own `|` and `-` stay.
    assert_eq!(
        clean_title_for(
            "新华视界｜河北遵化：数字农机服务助力农业生产-新华网河北频道-新华网",
            &none
        ),
        "新华视界｜河北遵化：数字农机服务助力农业生产"
    );
    assert_eq!(
        clean_title_for("两会观察 | 代表委员谈民生热点问题 - 人民网", &none),
        "两会观察 | 代表委员谈民生热点问题"
    );
    assert_eq!(
        clean_title_for(
            "积极因素不断增多-前4个月外贸向好态势进一步巩固-今日头条",
            &none
        ),
        "积极因素不断增多-前4个月外贸向好态势进一步巩固"
    );
    // Channels and keywords before the site name go too.
    assert_eq!(
        clean_title_for(
            "城市有轨电车之困：一边上马一边叫停|有轨电车|珠海市_新浪新闻",
            &none
        ),
        "城市有轨电车之困：一边上马一边叫停"
    );
    assert_eq!(
        clean_title_for("关注青少年心理健康--健康·生活--人民网", &none),
        "关注青少年心理健康"
    );
    // og:site_name, also when it holds a separator itself; a domain; a host label.
    let pixnet = Site {
        name: Some("史蒂文的家_藍天"),
        host: Some("steven.pixnet.net"),
        ..Site::default()
    };
    assert_eq!(
        clean_title_for(
            "新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::",
            &pixnet
        ),
        "新竹尖石_美樹營地賞楓 (2)"
    );
    assert_eq!(
        clean_title_for(
            "5月LPR按兵不动：1年期为3.45%_经济_宏观频道首页_财经网 - CAIJING.COM.CN",
            &none
        ),
        "5月LPR按兵不动：1年期为3.45%"
    );
    let douban = Site {
        name: Some("豆瓣小组"),
        ..Site::default()
    };
    assert_eq!(
        clean_title_for("月亮的故事 | 两万字长文，多图 - 豆瓣小组", &douban),
        "月亮的故事 | 两万字长文，多图"
    );
    // Known ambiguity: a short letters-only segment after the headline's own separator
    // reads as a channel name.
    assert_eq!(
        clean_title_for("月亮的故事 | 两万字长文 - 豆瓣小组", &douban),
        "月亮的故事"
    );
    // The h1 tells headline segments from the rest.
    assert_eq!(
        clean_title_for(
            "第二章 失乡号的船长 _《深海余烬》小说在线阅读 - 起点中文网",
            &h1("第二章 失乡号的船长")
        ),
        "第二章 失乡号的船长"
    );
    assert_eq!(
        clean_title_for(
            "两万字长文 | 月亮的100个故事 (多图)",
            &h1("两万字长文 | 月亮的100个故事 (多图)")
        ),
        "两万字长文 | 月亮的100个故事 (多图)"
    );
    assert_eq!(
        clean_title_for("夜雨_原文、翻译及赏析_白居易诗词_读古诗词网", &h1("夜雨")),
        "夜雨"
    );
    // An h1 that does not start the title (a site-name h1) is no evidence.
    assert_eq!(
        clean_title_for(
            "被控受贿超5亿 原主席受审|山东省|青岛市_新浪新闻",
            &h1("新闻中心")
        ),
        "被控受贿超5亿 原主席受审"
    );
    // Without site or headline evidence: the plain first-separator cut.
    assert_eq!(
        clean_title_for("雄安新区 - 维基百科，自由的百科全书", &none),
        "雄安新区"
    );
    assert_eq!(
        clean_title_for("两万字长文 | 月亮的100个故事 (多图)", &none),
        "两万字长文"
    );
    // Hyphens inside words are not separators.
    assert_eq!(
        clean_title_for("COVID-19疫苗接种进展顺利_中国网", &none),
        "COVID-19疫苗接种进展顺利"
    );
    // Only the site's name: nothing.
    assert_eq!(clean_title_for("-铜雀历史网", &none), "");
    assert_eq!(clean_title_for("没有后缀的标题", &none), "没有后缀的标题");
}

/// The title [`crate::extract::fields::decide`] makes of the markup's candidates, and
/// the rule that won.
fn choose_title(
    site: &Site,
    og: Option<&str>,
    ld: Option<&str>,
    title: Option<&str>,
) -> (Option<String>, Option<&'static str>) {
    let candidates = title_candidates(site, og, ld, title)
        .into_iter()
        .map(|(f, v, rule)| Candidate::new(f, &v, Zone::Markup, rule, &v))
        .collect();
    let report = crate::extract::fields::decide(candidates, &Facts::default());
    let rule = report.chosen(Field::Title).first().map(|c| c.rule);
    (report.values.title, rule)
}

#[test]
fn title_choice_uses_h1_evidence() {
    let site = |h1: &'static str| Site {
        h1: Some(h1),
        ..Site::default()
    };
    let title = Some("两会观察 | 代表委员谈民生 - 人民网");
    assert_eq!(
        choose_title(&site("两会观察 | 代表委员谈民生"), None, None, title),
        (
            Some("两会观察 | 代表委员谈民生".to_string()),
            Some("h1+title")
        )
    );
    // A site-name h1 is not confirmed (and the short segment reads as a channel).
    assert_eq!(
        choose_title(&site("人民网"), None, None, title),
        (Some("两会观察".to_string()), Some("title"))
    );
    assert_eq!(
        choose_title(
            &site("人民网"),
            None,
            None,
            Some("两会观察 | 代表委员谈民生：就业 - 人民网")
        ),
        (
            Some("两会观察 | 代表委员谈民生：就业".to_string()),
            Some("title")
        )
    );
    // A title that names only the site falls back to the h1.
    assert_eq!(
        choose_title(&site("疫情政策怎么投诉"), None, None, Some("-铜雀历史网")),
        (Some("疫情政策怎么投诉".to_string()), Some("h1"))
    );
    assert_eq!(
        choose_title(&site("疫情政策怎么投诉"), None, None, None),
        (None, None)
    );
    // A breadcrumb `<title>` is not a title; the h1 is.
    assert_eq!(
        choose_title(&site("我市启动老旧小区改造"), None, None, Some("站名>栏目")),
        (Some("我市启动老旧小区改造".to_string()), Some("h1"))
    );
}

#[test]
fn dates_normalize_or_fail() {
    assert_eq!(normalize_date("2020-02-19").as_deref(), Some("2020-02-19"));
    assert_eq!(normalize_date("20200219").as_deref(), Some("2020-02-19"));
    assert_eq!(
        normalize_date("2020/2/19 9:05:07").as_deref(),
        Some("2020-02-19T09:05:07+08:00")
    );
    assert_eq!(
        normalize_date("2020-02-19T01:05:07Z").as_deref(),
        Some("2020-02-19T01:05:07Z")
    );
    assert_eq!(
        normalize_date("2020-02-19T01:05:07+0800").as_deref(),
        Some("2020-02-19T01:05:07+08:00")
    );
    assert_eq!(normalize_date("2020-02-30"), None);
    assert_eq!(normalize_date("1789-07-14"), None);
    assert_eq!(normalize_date("不是日期"), None);
}
