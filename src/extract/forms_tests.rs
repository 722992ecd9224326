//! The credit, date and label forms of real Chinese pages, each checked on the text path
//! (the text stage and the field decision) and on the HTML path (the whole pipeline on a
//! small page holding the same lines), with the negatives that must give nothing.

use crate::article::{Article, RemovedKind};
use crate::extract::fields::{decide, Facts};
use crate::extract::TextExtractor;
use crate::pipeline::{Cleaner, InputMeta, Options};

const TITLE: &str = "我市启动老旧小区改造三年行动";
const BODY: &str = "记者从市住房和城乡建设局获悉，今年起我市将用三年时间完成全部老旧小区的改造任务，涉及居民两万余户。";
const BODY2: &str =
    "据介绍，改造内容包括加装电梯、更新管网、整治环境等，资金由市区两级财政和居民共同承担。";

/// The text page: the title, the `head` lines, two body paragraphs, the `tail` lines.
fn text_page(head: &[&str], tail: &[&str]) -> String {
    let mut lines = vec![TITLE];
    lines.extend(head);
    lines.extend([BODY, BODY2]);
    lines.extend(tail);
    lines.join("\n")
}

/// The same page as HTML: each line a `<p>` in the article container.
fn html_page(head: &[&str], tail: &[&str], extra_head: &str) -> String {
    let p = |l: &&str| format!("<p>{l}</p>");
    let head: String = head.iter().map(p).collect();
    let tail: String = tail.iter().map(p).collect();
    format!(
        "<!doctype html><html><head><meta charset=utf-8><title>{TITLE}_示例新闻网</title>{extra_head}</head>\
         <body><div class=nav><a href=/>首页</a> <a href=/n>新闻</a></div>\
         <div class=article><h1>{TITLE}</h1>{head}<p>{BODY}</p><p>{BODY2}</p>{tail}</div>\
         <div class=footer>版权所有 示例新闻网</div></body></html>"
    )
}

/// Fields decided on the text path.
fn text(head: &[&str], tail: &[&str]) -> crate::extract::fields::Values {
    let ex = TextExtractor::new().extract(&text_page(head, tail));
    decide(ex.candidates, &Facts::default()).values
}

thread_local! {
    static CLEANER: Cleaner = Cleaner::new(Options { segment: false, ..Options::default() })
        .expect("cleaner builds");
}

fn html_with(head: &[&str], tail: &[&str], extra_head: &str, meta: &InputMeta) -> Article {
    CLEANER.with(|c| {
        c.clean(html_page(head, tail, extra_head).as_bytes(), meta)
            .expect("page cleans")
    })
}

fn html(head: &[&str], tail: &[&str]) -> Article {
    html_with(head, tail, "", &InputMeta::default())
}

/// `(lines under the title, lines after the body, the authors)`.
const AUTHOR_FORMS: &[(&[&str], &[&str], &[&str])] = &[
    (&["记者 王明"], &[], &["王明"]),
    (&["本报记者 王明 李红"], &[], &["王明", "李红"]),
    (&["新华社记者王明"], &[], &["王明"]),
    (&["中青报·中青网记者 王明"], &[], &["王明"]),
    (&["某报记者王明/文"], &[], &["王明"]),
    (&["文/王明"], &[], &["王明"]),
    (&["王明/文"], &[], &["王明"]),
    (&["撰文：王明"], &[], &["王明"]),
    (&["作者：王明"], &[], &["王明"]),
    (&["通讯员 王明"], &[], &["王明"]),
    (&["本报记者 王乐文 方　敏"], &[], &["王乐文", "方敏"]),
    (&["新华社记者李锦赵承"], &[], &["李锦", "赵承"]),
    (&["（记者 陈伟 整理）"], &[], &["陈伟"]),
    (&["记者 王明 山东某县报道"], &[], &["王明"]),
    (&[], &["（王明）"], &["王明"]),
    (&[], &["（王明 上海报道）"], &["王明"]),
    (&[], &["（经济日报评论员）"], &["经济日报评论员"]),
    (&["[ 王明 ] | 来源：[ 某报 ]"], &[], &["王明"]),
    (&["由王明张贴"], &[], &["王明"]),
    (&["发表者：王明"], &[], &["王明"]),
    (&["王明 发表于 2005-9-15"], &[], &["王明"]),
    (&["楼主：王明"], &[], &["王明"]),
    (&["Posted by Wang Ming"], &[], &["Wang Ming"]),
    (
        &["发文机关：某某市人民政府办公室"],
        &[],
        &["某某市人民政府办公室"],
    ),
    // Editors and photographers are not writers (a photographer only when alone).
    (&["记者 王明", "责任编辑：李红"], &[], &["王明"]),
    (&["记者 王明"], &["（张三 摄）"], &["王明"]),
];

#[test]
fn author_forms_on_text_and_html() {
    for (head, tail, want) in AUTHOR_FORMS {
        assert_eq!(text(head, tail).authors, *want, "text: {head:?} {tail:?}");
        assert_eq!(html(head, tail).authors, *want, "html: {head:?} {tail:?}");
    }
}

#[test]
fn a_bare_name_ending_the_article_is_its_last_line_only() {
    // Mid-article, a bracketed name is an aside: it stays.
    let v = text(&["（王明）"], &[]);
    assert!(v.authors.is_empty(), "{:?}", v.authors);
    // Not a surname, a year, a single character: not a credit.
    for tail in ["（附图）", "（2018）", "（完）", "（刘满仓摄）"] {
        assert!(text(&[], &[tail]).authors.is_empty(), "{tail}");
    }
}

/// `(lines under the title, the date)`.
const DATE_FORMS: &[(&[&str], &str)] = &[
    (
        &["发表于 2004年12月27日 12:40"],
        "2004-12-27T12:40:00+08:00",
    ),
    (
        &["发表于2005年09月07日 11:57 AM"],
        "2005-09-07T11:57:00+08:00",
    ),
    (
        &["发表于2005年09月07日 11:57 PM"],
        "2005-09-07T23:57:00+08:00",
    ),
    (
        &["发布时间 2005/05/17 22:11:42"],
        "2005-05-17T22:11:42+08:00",
    ),
    (&["发布于：2015-11-05 11:34"], "2015-11-05T11:34:00+08:00"),
    (&["时间：2004年10月21日14:18"], "2004-10-21T14:18:00+08:00"),
    (&["2005-07-18 13:03:17"], "2005-07-18T13:03:17+08:00"),
    (&["2005-5-7"], "2005-05-07"),
    (&["05年7月18日"], "2005-07-18"),
    (&["二〇〇五年三月十一日"], "2005-03-11"),
    (&["1998年3月"], "1998-03"),
    (&["1998-3"], "1998-03"),
    (&["2024年5月22日週三 下午2:05"], "2024-05-22T14:05:00+08:00"),
    // A government page: the publication date wins over the date it was written.
    (
        &["成文日期：2019年1月2日", "发布日期：2019年1月5日"],
        "2019-01-05",
    ),
    (&["成文日期：2019年1月2日"], "2019-01-02"),
    // A dateline with its source, the header's own line.
    (
        &["2024年04月24日23:52 | 来源：新华网"],
        "2024-04-24T23:52:00+08:00",
    ),
];

#[test]
fn date_forms_on_text_and_html() {
    for (head, want) in DATE_FORMS {
        assert_eq!(
            text(head, &[]).published_at.as_deref(),
            Some(*want),
            "text: {head:?}"
        );
        assert_eq!(
            html(head, &[]).published_at.as_deref(),
            Some(*want),
            "html: {head:?}"
        );
    }
}

/// `(lines under the title, the source, the editor)`.
const LABEL_FORMS: &[(&[&str], Option<&str>, Option<&str>)] = &[
    (&["来源：新华网"], Some("新华网"), None),
    (&["稿源：某某日报"], Some("某某日报"), None),
    (&["出处：某某网"], Some("某某网"), None),
    (
        &["来源 | 综合某某报、某某网"],
        Some("综合某某报、某某网"),
        None,
    ),
    (&["2024-05-09 22:30·新华社"], Some("新华社"), None),
    (
        &["2024-05-13 09:16:04 来源: 北青网-北京青年报 北京 举报"],
        Some("北青网-北京青年报"),
        None,
    ),
    (&["【编辑:王明】"], None, Some("王明")),
    (&["责任编辑：支全明 SF099"], None, Some("支全明")),
    (&["编辑：倪仕轩 责任编辑：杨格"], None, Some("倪仕轩、杨格")),
    (&["选稿：许文杰"], None, Some("许文杰")),
];

#[test]
fn label_forms_keep_no_labels_on_text_and_html() {
    for (head, source, editor) in LABEL_FORMS {
        let v = text(head, &[]);
        assert_eq!(v.source.as_deref(), *source, "text: {head:?}");
        assert_eq!(v.editor.as_deref(), *editor, "text: {head:?}");
        let a = html(head, &[]);
        assert_eq!(a.source.as_deref(), *source, "html: {head:?}");
        assert_eq!(a.editor.as_deref(), *editor, "html: {head:?}");
    }
}

#[test]
fn negatives_give_nothing() {
    // A sentence that names a reporter credits no one.
    for line in ["他告诉记者王明", "他告诉新华社记者王明"] {
        let v = text(&[line], &[]);
        assert!(v.authors.is_empty(), "{line}: {:?}", v.authors);
        assert!(html(&[line], &[]).authors.is_empty(), "html {line}");
        let ex = TextExtractor::new().extract(&text_page(&[line], &[]));
        assert!(
            ex.paragraphs.iter().any(|p| p == line),
            "{line} left the body"
        );
    }
    // A comment's timestamp, a related headline's date, a copyright year: no date.
    let comments: &[&str] = &[
        "网友评论",
        "网友小李 2024-05-20 10:00",
        "说得好，支持改造。",
        "老王 2024-05-21 09:30",
        "希望早点开工。",
    ];
    let related: &[&str] = &[
        "相关新闻",
        "加装电梯补贴标准公布",
        "2024-03-15 10:00",
        "老旧小区改造进展",
        "2024-03-10 09:00",
    ];
    let copyright: &[&str] = &["Copyright © 2005 示例新闻网 版权所有"];
    for tail in [comments, related, copyright] {
        assert_eq!(text(&[], tail).published_at, None, "text {tail:?}");
        assert_eq!(html(&[], tail).published_at, None, "html {tail:?}");
    }
    // A numeric `<meta name=author>`, or one naming the site: no author.
    for meta in [
        "<meta name=author content=105092>",
        "<meta name=author content=\"L_104485\">",
        "<meta name=author content=\"示例新闻网\">",
    ] {
        let a = html_with(&[], &[], meta, &InputMeta::default());
        assert!(a.authors.is_empty(), "{meta}: {:?}", a.authors);
    }
    // An interview's questions (`记者：…？`) stay text and credit no one.
    let question = "记者：这次改造与以前有何不同？";
    let ex = TextExtractor::new().extract(&text_page(&[], &[question]));
    assert!(ex.paragraphs.iter().any(|p| p == question));
    assert!(text(&[], &[question]).authors.is_empty());
    // `来自` + a province is an IP location; `来自大地或天空` is a heading.
    let ex = TextExtractor::new().extract(&text_page(&[], &["来自甘肃", "来自大地或天空"]));
    assert_eq!(
        ex.paragraphs.last().map(String::as_str),
        Some("来自大地或天空")
    );
    // UI strings are not names.
    for line in ["作者：阅读（1660）", "作者：评论（5）"] {
        assert!(text(&[line], &[]).authors.is_empty(), "{line}");
    }
}

#[test]
fn markup_authors_fill_in_when_the_page_credits_no_one() {
    let a = html_with(
        &[],
        &[],
        "<meta name=author content=\"张三、李四\">",
        &InputMeta::default(),
    );
    assert_eq!(a.authors, ["张三", "李四"]);
    // The byline zone beats the meta tag.
    let a = html_with(
        &["本报记者 王明"],
        &[],
        "<meta name=author content=张三>",
        &InputMeta::default(),
    );
    assert_eq!(a.authors, ["王明"]);
}

#[test]
fn a_date_after_the_fetch_is_not_taken() {
    let meta = InputMeta {
        url: Some("http://news.example.cn/2024-03/18/c_1.htm".into()),
        fetched_at: Some("2024-03-19T02:00:00Z".into()),
        ..InputMeta::default()
    };
    let head = "<meta property=article:published_time content=2024-05-01T08:00:00+08:00>";
    let a = html_with(&[], &[], head, &meta);
    assert_eq!(a.published_at.as_deref(), Some("2024-03-18"));
    // Without a fetch date the meta tag stands.
    let a = html_with(&[], &[], head, &InputMeta::default());
    assert_eq!(a.published_at.as_deref(), Some("2024-05-01T08:00:00+08:00"));
}

#[test]
fn body_edges_move_to_removed() {
    let head: &[&str] = &[
        "2024年04月24日23:52 | 来源：新华网",
        "小字号",
        "【字体：大 中 小】",
        "【打印】【关闭】",
    ];
    let tail: &[&str] = &["返回顶部", "分享到："];
    let ex = TextExtractor::new().extract(&text_page(head, tail));
    assert_eq!(ex.paragraphs, [BODY, BODY2]);
    let kinds: Vec<RemovedKind> = ex.removed.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            RemovedKind::Title,
            RemovedKind::Metadata,
            RemovedKind::Navigation,
            RemovedKind::Navigation,
            RemovedKind::Navigation,
            RemovedKind::Navigation,
            RemovedKind::Navigation,
        ]
    );
    let a = html(head, tail);
    assert_eq!(a.body, format!("{BODY}\n{BODY2}"));
    assert_eq!(a.source.as_deref(), Some("新华网"));
}

#[test]
fn comment_threads_move_to_removed() {
    // A blog's comments: `# re:` entries with their user and time.
    let tail: &[&str] = &[
        "# re: 我市启动老旧小区改造三年行动 2005-4-16 17:22 小张",
        "写得很好，期待改造完成。",
        "# re: 我市启动老旧小区改造三年行动 2005-4-16 18:03 老李",
        "我们小区什么时候开始？",
        "# re: 我市启动老旧小区改造三年行动 2005-4-17 09:10 路人",
        "支持！",
    ];
    let ex = TextExtractor::new().extract(&text_page(&["王明 发表于 2005-4-16 12:00"], tail));
    assert_eq!(ex.paragraphs, [BODY, BODY2]);
    let comments: Vec<&str> = ex
        .removed
        .iter()
        .filter(|r| r.kind == RemovedKind::Comments)
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(comments, [tail.join("\n")]);
    // The post's own dated credit is not a comment.
    let v = decide(ex.candidates, &Facts::default()).values;
    assert_eq!(v.authors, ["王明"]);
    assert_eq!(v.published_at.as_deref(), Some("2005-04-16T12:00:00+08:00"));
    // A comment container in the markup.
    let page = html_page(&[], &[], "").replace(
        "</div><div class=footer>",
        "</div><div class=comment-list><h3>网友评论</h3><p>小张 2024-05-20 10:00</p>\
         <p>写得很好，期待改造完成，希望早日开工建设。</p></div><div class=footer>",
    );
    let a = CLEANER.with(|c| c.clean(page.as_bytes(), &InputMeta::default()).unwrap());
    assert_eq!(a.body, format!("{BODY}\n{BODY2}"));
    assert_eq!(a.published_at, None);
}

#[test]
fn titles_are_never_breadcrumbs_and_lose_site_suffixes() {
    let page = html_page(&[], &[], "")
        .replace(
            &format!("<title>{TITLE}_示例新闻网</title>"),
            "<title>示例新闻网>本地新闻</title>",
        )
        .replace(&format!("<h1>{TITLE}</h1>"), "");
    let a = CLEANER.with(|c| c.clean(page.as_bytes(), &InputMeta::default()).unwrap());
    assert_eq!(a.title, None);
    for (title, want) in [
        (
            "关注青少年心理健康--健康·生活--人民网",
            "关注青少年心理健康",
        ),
        ("人民币中间价创新低_新浪网", "人民币中间价创新低"),
        ("美联储维持利率不变 - 人民网", "美联储维持利率不变"),
    ] {
        let page = html_page(&[], &[], "")
            .replace(
                &format!("<title>{TITLE}_示例新闻网</title>"),
                &format!("<title>{title}</title>"),
            )
            .replace(&format!("<h1>{TITLE}</h1>"), "");
        let a = CLEANER.with(|c| c.clean(page.as_bytes(), &InputMeta::default()).unwrap());
        assert_eq!(a.title.as_deref(), Some(want), "{title}");
    }
}
