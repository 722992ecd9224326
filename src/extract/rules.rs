//! The rule table of the extract stage: every pattern that decides what a line is.
//!
//! This file owns *what* is recognised; [`super::lines`] owns *where* it is applied
//! (structure, position) and [`super::meta`] turns matched text into values. To change how
//! bylines, tag lines, disclaimers, … are found, edit the tables below and nothing else:
//!
//! * [`LINE_RULES`] — whole-line rules. A line is classified by the first rule (in table order)
//!   whose pattern matches and whose `max_chars` the line does not exceed; lines no rule
//!   claims are body candidates.
//! * [`CUT_RULES`] — rules that cut a piece (a byline, an editor note) off the start or end of
//!   a body paragraph, leaving the rest in the body.
//! * [`FIELD_LABELS`] — metadata labels (`来源：`, `责任编辑：`, …) and the field each fills.
//! * [`ROLE_WORDS`] — role words dropped from author names (`记者`, `通讯员`, …).
//! * The thresholds ([`TITLE_MAX_CHARS`], …) used by the structural rules.
//!
//! Patterns accept simplified and traditional forms and both half- and full-width `:` `()`.
//! All patterns are compiled once, in [`CompiledRules::new`].
//!
//! ```
//! use zhclean::internals::extract::rules::{CompiledRules, LineKind};
//! let rules = CompiledRules::new();
//! assert_eq!(rules.classify("標簽: 生活垃圾分類").map(|m| m.kind), Some(LineKind::TagLine));
//! assert_eq!(rules.classify("据悉，消息来源：不明。"), None);
//! ```

use regex::Regex;

use super::prefilter::{Possible, Prefilter};

// Building blocks, as macros so that `concat!` can assemble the patterns at compile time.

/// A date: `2018-12-24`, `2018/12/24`, `2018.12.24`, `2018年12月24日`, a two-digit year
/// before `年` (`05年7月18日`), Chinese numerals (`二〇〇五年三月十一日`).
macro_rules! date {
    () => {
        r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?:\d{4}|\d{2})\s*[年]\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*[日号])"
    };
}
/// A year and month only: `1998年3月`, `1998-3`, `1998/03`.
macro_rules! year_month {
    () => {
        r"(?:\d{4}\s*年\s*\d{1,2}\s*月|\d{4}[-/]\d{1,2})"
    };
}
/// A time after a date: `08:37`, `08:37:05`, `T08:37:05+08:00`, `11:57 AM`, `上午8:21`,
/// after an optional weekday (`週三`).
macro_rules! time {
    () => {
        r"(?:(?:\s*(?:星期|礼拜|禮拜|週|周)[一二三四五六日天])?[\sT]*(?:上午|下午|早上|晚上|凌晨|中午)?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*(?:AM|PM|am|pm))?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)"
    };
}
/// Metadata labels (keep in sync with [`FIELD_LABELS`]; a test checks it).
macro_rules! labels {
    () => {
        r"(?:本文来源|本文來源|来源|來源|稿源|出处|出處|原创|原創|责任编辑|責任編輯|编辑|編輯|责编|責編|选稿|選稿|原标题|原標題|作者|撰文|撰稿|记者|記者|通讯员|通訊員|发文机关|發文機關|发表者|發表者|发布者|發布者|發佈者|张贴者|張貼者|楼主|樓主|博主|摄影|攝影|发布时间|發佈時間|發布時間|发布日期|發佈日期|發布日期|发稿时间|發稿時間|发表时间|發表時間|更新时间|更新時間|成文日期|成文时间|成文時間|时间|時間|日期)"
    };
}
/// Date labels that may stand without a colon right before a date (`发表于 2004年12月27日`,
/// `发布时间 2005/05/17`).
macro_rules! date_labels {
    () => {
        r"(?:发表于|發表於|发布于|發佈於|發布於|发布时间|發佈時間|發布時間|发布日期|發佈日期|發布日期|发稿时间|發稿時間|发表时间|發表時間|更新时间|更新時間|时间|時間|日期)"
    };
}
/// A news outlet before a reporter's role word outside brackets (`新华社记者`,
/// `中青报·中青网记者`, `总台央视记者`): Han characters ending in an outlet word.
/// ([`super::lines`] rejects an outlet holding a verb that makes the line a sentence:
/// `他告诉新华社记者王明` is not a byline.)
macro_rules! outlet {
    () => {
        r"(?:\p{Han}{1,8}?(?:社|报|報|网|網|台|刊|视|視|频道|頻道|客户端|客戶端|杂志|雜誌|新闻|新聞)(?:·\p{Han}{1,8}?(?:报|報|网|網|台|视|視|社|新闻|新聞))?)"
    };
}
/// Role words in front of names.
macro_rules! role {
    () => {
        r"(?:(?:本报|本報|本刊|本台|本网|本網)?(?:特约|特約|实习|實習|见习|見習|首席|驻\p{Han}{1,3}|駐\p{Han}{1,3})?(?:记者|記者|通讯员|通訊員|实习生|實習生))"
    };
}
/// One person's name: 2–4 Han characters, optionally `·` and more (`买买提·艾力`).
macro_rules! name {
    () => {
        r"(?:\p{Han}{2,4}(?:·\p{Han}{1,6})?)"
    };
}
/// A byline line after its role word: names (a two-character name after the first may be
/// padded to three columns, `方  敏`, as print layouts set them), then a place and `报道`
/// (`王明 山东某县报道`), `摄`, or `/文` (`王明/文`). (Only in the whole-line rule: the
/// cut rules keep their patterns small.)
macro_rules! byline_line_names {
    () => {
        concat!(
            r"[\s：:]*",
            name!(),
            "(?:",
            sep!(),
            "(?:",
            role!(),
            r"[\s：:]*)?(?:",
            name!(),
            r"|\p{Han}[ \x{3000}]{1,3}\p{Han})){0,5}",
            r"(?:\s*\p{Han}{0,8}?(?:报道|報道)|\s*(?:摄影|攝影|摄|攝)|\s*[/／]\s*(?:文|图|圖|摄|攝))?"
        )
    };
}
/// Separator between names.
macro_rules! sep {
    () => {
        r"(?:\s+|\s*[、，,]\s*)"
    };
}
/// Up to six names.
macro_rules! names {
    () => {
        concat!(name!(), "(?:", sep!(), name!(), "){0,5}")
    };
}
/// A role word, possibly after the outlet or post it is of (`海峡导报记者`, `人民日报记者`):
/// only inside brackets, where a byline is all there is (outside them, `他告诉新京报记者王明`
/// would read as one).
macro_rules! outlet_role {
    () => {
        concat!(r"(?:\p{Han}{2,8}?)?", role!())
    };
}
/// Up to six names, the first preceded by a role word (`$role`: [`role!`] or
/// [`outlet_role!`]), later ones optionally.
macro_rules! roled_names {
    ($($role:tt)*) => {
        concat!(
            $($role)*,
            r"[\s：:]*",
            name!(),
            "(?:",
            sep!(),
            "(?:",
            role!(),
            r"[\s：:]*)?",
            name!(),
            "){0,5}",
            r"(?:\s*(?:报道|報道|摄影|攝影|摄|攝))?"
        )
    };
}

/// What a whole line is, according to [`LINE_RULES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// `标签：…` / `关键词：…` / `Tags:`; the values become tags.
    TagLine,
    /// A line that is only a byline (`记者 张三 报道`, `文/张三`).
    Byline,
    /// A credit in another form: a blog's or forum's (`X 发表于 2005-9-15`, `由X张贴`,
    /// `Posted by X`) or a credit line without colons (`作者 王之言 ｜ 编辑 周褶褶`).
    Credit,
    /// A line of `label：value` fields (`来源：新华社 责任编辑：李四`), possibly with a date.
    Metadata,
    /// A bare date/time line (`2018-12-21 08:46`): publication time at the head of the page,
    /// part of a related-headlines list elsewhere.
    Timestamp,
    /// Site disclaimer or copyright notice.
    Disclaimer,
    /// Breadcrumbs, share/print links, previous/next links.
    Navigation,
    /// Heading of a related-news block (`相关新闻`, `推荐阅读`, …).
    RelatedHeading,
}

/// One named whole-line rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Short name used in tests and debugging.
    pub name: &'static str,
    /// Regex tested against the trimmed line.
    pub pattern: &'static str,
    /// What a matching line is.
    pub kind: LineKind,
    /// The rule applies only to lines of at most this many characters.
    pub max_chars: usize,
}

/// Roles in a credit line without a colon (`作者 王之言 高孜然`, `编辑 周褶褶 ｜ 排版 魏蔚`).
macro_rules! credit_roles {
    () => {
        r"(?:作者|撰文|文字|记者|記者|编辑|編輯|责编|責編|责任编辑|責任編輯|排版|校对|校對|审核|審核|审校|審校|美编|美編|设计|設計|监制|監製|统筹|統籌|摄影|攝影|图片|圖片|视频|視頻|视觉|視覺|出品|策划|策劃|制作|製作)"
    };
}
/// A control of the page, not text: font size, print, close, share, back to top, follow,
/// counters (`阅读(1660)`, `评论3`), a video player's buttons.
macro_rules! control {
    () => {
        r"(?:(?:大|中|小|特大|默认|默認)?(?:字号|字號|字体|字體)(?:放大|缩小|縮小|增大|减小|減小|大|中|小)?|打印本页|打印本頁|打印|关闭窗口|關閉窗口|关闭|關閉|收藏本文|收藏|纠错|糾錯|分享到|分享至|分享|返回顶部|返回頂部|返回首页|返回首頁|返回列表|顶部|頂部|播报文章|播報文章|复制链接|複製鏈接|链接已复制|鏈接已複製|举报|舉報|[+＋]\s*关注|[+＋]\s*關注|不喜欢|不喜歡|不感兴趣|不感興趣|广告|廣告|倍速|高清|超清|标清|標清|流畅|流暢|蓝光|藍光|清晰度|循环播放|循環播放|跳过片头|跳過片頭|跳过片尾|跳過片尾|全屏|退出全屏|静音|靜音|弹幕|彈幕|直播|设置成功|設置成功|(?:阅读|閱讀|评论|評論|浏览|瀏覽|点击|點擊|点赞|點讚|转发|轉發)\s*(?:[（(]\s*\d+\s*[）)]|\d+)|编辑|編輯)"
    };
}

/// The whole-line rules, in priority order (first match wins).
pub const LINE_RULES: &[Rule] = &[
    Rule {
        name: "timestamp",
        pattern: concat!("^(?:", date!(), time!(), "?|", year_month!(), ")$"),
        kind: LineKind::Timestamp,
        max_chars: 40,
    },
    Rule {
        name: "tag_line",
        pattern: r"^[【\[]?\s*(?:本文|文章)?(?:标签|標簽|標籤|关键词|關鍵詞|关键字|關鍵字|(?i:tags?|keywords?))\s*[】\]]?\s*[:：]",
        kind: LineKind::TagLine,
        max_chars: 120,
    },
    Rule {
        name: "related_heading",
        pattern: r"^[【\[]?\s*(?:相关新闻|相關新聞|相关阅读|相關閱讀|相关文章|相關文章|相关报道|相關報道|热点推荐|熱點推薦|热门推荐|熱門推薦|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|猜你喜欢|猜你喜歡|更多精彩|更多新闻|更多新聞)\s*[】\]]?\s*[:：]?$",
        kind: LineKind::RelatedHeading,
        max_chars: 20,
    },
    Rule {
        name: "byline_role",
        pattern: concat!(
            r"^[（(【\[]?\s*(?:",
            outlet!(),
            ")?",
            role!(),
            byline_line_names!(),
            r"\s*[）)】\]]?(?:\s+",
            labels!(),
            r"\s*[:：].{0,40})?$"
        ),
        kind: LineKind::Byline,
        max_chars: 80,
    },
    Rule {
        name: "byline_slash",
        pattern: concat!(
            r"^[（(【\[]?\s*(?:文|图|圖|文图|文圖|图文|圖文|文/图|文/圖|撰文|撰稿)\s*[/／｜|丨]\s*(?:\p{Han}{1,10}?(?:",
            role!(),
            r"|(?:特约|特約)?(?:评论员|評論員))\s*)?",
            names!(),
            r"\s*[）)】\]]?$"
        ),
        kind: LineKind::Byline,
        max_chars: 60,
    },
    Rule {
        name: "byline_name_slash",
        pattern: concat!(
            r"^[（(【\[]?\s*",
            names!(),
            r"\s*[/／]\s*(?:文|图|圖|摄|攝)\s*[）)】\]]?$"
        ),
        kind: LineKind::Byline,
        max_chars: 40,
    },
    Rule {
        name: "metadata_fields",
        pattern: concat!(
            r"^(?:[\[【]\s*",
            names!(),
            r"\s*[\]】]\s*[|｜丨/]?\s*)?[【\[（(]?\s*(?:",
            date!(),
            time!(),
            r"?[\s|｜丨/·]*)?(?:",
            labels!(),
            r"\s*[:：|｜丨]|",
            date_labels!(),
            r"\s*[:：]?\s*",
            date!(),
            ")"
        ),
        kind: LineKind::Metadata,
        max_chars: 150,
    },
    Rule {
        name: "dated_line",
        pattern: concat!(
            "^",
            date!(),
            // After a time the name may follow at once (`04:29:4439健康网`); after a date
            // alone a separator is needed (`2020年12月27日投入使用的雄安站` is a caption).
            "(?:",
            time!(),
            r"\s*[|｜丨·/]?|\s*[\s|｜丨·/])\s*[^\s。！？!?，,]{1,20}(?:\s+[^\s。！？!?，,]{1,12})?$"
        ),
        kind: LineKind::Metadata,
        max_chars: 50,
    },
    Rule {
        name: "ip_location",
        // (`来自` + a province: a bare `来自X` line may be a heading, `来自大地或天空`.)
        pattern: r"^(?:(?:IP属地|IP屬地|ip属地)\s*[:：]?\s*\p{Han}{2,10}|(?:来自|來自)\s*(?:北京|天津|上海|重庆|重慶|河北|山西|辽宁|遼寧|吉林|黑龙江|黑龍江|江苏|江蘇|浙江|安徽|福建|江西|山东|山東|河南|湖北|湖南|广东|廣東|海南|四川|贵州|貴州|云南|雲南|陕西|陝西|甘肃|甘肅|青海|台湾|臺灣|內蒙古|内蒙古|广西|廣西|西藏|宁夏|寧夏|新疆|香港|澳门|澳門)(?:省|市|自治区|自治區|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?)$",
        kind: LineKind::Metadata,
        max_chars: 16,
    },
    Rule {
        name: "blog_credit",
        // (The verbs only, a literal search; `meta::parse_blog_credit` reads and checks the
        // form in code, and a line it finds no credit in stays body. A pattern for the
        // whole form cost more to run over short lines than everything else here.)
        pattern: r"发表于|發表於|发布于|發佈於|發布於|发表在|發表在|张贴|張貼|Posted by|posted by|POSTED BY| 于 | 於 ",
        kind: LineKind::Credit,
        max_chars: 70,
    },
    Rule {
        name: "credit_line",
        pattern: concat!(
            "^",
            credit_roles!(),
            r"[ \x{3000}]+",
            names!(),
            r"(?:\s*[｜|/丨]\s*",
            credit_roles!(),
            r"[ \x{3000}]+",
            names!(),
            "){0,4}$"
        ),
        kind: LineKind::Credit,
        max_chars: 80,
    },
    Rule {
        name: "disclaimer_anywhere",
        pattern: r"凡本(?:网|網|站|报|報|刊)(?:注明|註明)|转载请注明|轉載請註明|转载目的在于|轉載目的在於|违法和不良信息举报|違法和不良信息舉報|不代表本(?:网|網|站)(?:赞同|贊同|立场|立場|观点|觀點)|本文(?:仅|僅)代表作者|(?i:copyright)|©|\([cC]\)\s*\d{4}|未(?:经|經)[^。]{0,12}(?:授权|授權|许可|許可)[^。]{0,12}(?:不得|禁止|严禁|嚴禁|请勿|請勿|勿)(?:转载|轉載|复制|複製|使用)|仅提供信息存储服务|僅提供信息存儲服務|如(?:有|涉及)(?:侵权|侵權)[^。]{0,12}(?:联系|聯繫|删除|刪除)",
        kind: LineKind::Disclaimer,
        max_chars: 500,
    },
    Rule {
        name: "disclaimer_heading",
        pattern: r"^[【\[（(]?\s*(?:免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明|声明|聲明)\s*[】\]）)]?\s*[:：]|^.{0,20}(?:版权所有|版權所有)|^[【\[（(]?\s*(?:未经授权禁止转载|未經授權禁止轉載|禁止转载|禁止轉載)",
        kind: LineKind::Disclaimer,
        max_chars: 500,
    },
    Rule {
        name: "controls",
        pattern: concat!(
            r"^(?:[\s|｜/／【】\[\]（）()：:·•]*",
            control!(),
            r")+[\s|｜/／【】\[\]（）()：:·•]*$"
        ),
        kind: LineKind::Navigation,
        max_chars: 40,
    },
    Rule {
        name: "feed_controls",
        pattern: r"^(?:减少(?:或屏蔽)?此类(?:内容)?推荐|減少(?:或屏蔽)?此類(?:內容)?推薦|已标记为不喜欢|已標記為不喜歡|文章不错，点个赞吧|语音播报|語音播報|很抱歉，当前视频播放失败|很抱歉，當前視頻播放失敗|错误代码[:：]|錯誤代碼[:：]|正在为您切换|正在為您切換|时长[:：]\s*\d|時長[:：]\s*\d)",
        kind: LineKind::Navigation,
        max_chars: 40,
    },
    Rule {
        name: "navigation",
        pattern: r"^(?:首页|首頁|主页|主頁|网站首页|網站首頁)\s*[>＞»›/]|[>＞»›]\s*正文$|^(?:当前位置|當前位置|您现在的位置|您現在的位置|您的位置|你的位置|你现在的位置)|^(?:分享到|分享至|一键分享|一鍵分享)|^(?:扫一扫|掃一掃|微信扫一扫|微信掃一掃|扫描二维码|掃描二維碼)|^返回搜狐|打印本页|打印本頁|关闭窗口|關閉窗口|^[【\[]?(?:纠错|糾錯|打印|收藏|关闭|關閉)[】\]]|(?:字号|字號|字体|字體)\s*[:：]?\s*[【\[]?\s*[大中小]\s*[大中小]\s*[大中小]?|^(?:字号|字號|字体|字體)\s*[:：]?$|^[^\s>＞»›。，！？；]{1,15}(?:\s*(?:>>?|＞|»|›)\s*[^\s>＞»›。，！？；]{1,15}){2,7}$|^(?:上一篇|下一篇|上一页|下一頁|下一页|上一頁)|点击进入专题|點擊進入專題|^(?:返回顶部|返回頂部|返回首页|返回首頁|返回列表)",
        kind: LineKind::Navigation,
        max_chars: 100,
    },
];

/// Where a [`CutRule`] applies in a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutAt {
    /// At the start; the pattern starts with `^` and has a `pre` group (kept in the body) and
    /// a `cut` group (removed).
    Head,
    /// At the end; the pattern ends with `$` and its `cut` group is removed.
    Tail,
}

/// What a cut piece is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutKind {
    /// A byline: its `body` group holds the names.
    Byline,
    /// A `label：value` note: its `body` group is parsed as metadata fields.
    Fields,
}

/// A rule that cuts a piece off the start or end of a body paragraph.
#[derive(Debug, Clone, Copy)]
pub struct CutRule {
    /// Short name used in tests and debugging.
    pub name: &'static str,
    /// Regex with groups `cut` (the removed text) and `body` (what is parsed), and for
    /// [`CutAt::Head`] a `pre` group kept in the body. A head pattern has no assertion but
    /// its leading `^` (no `$`, no `\b`): [`super::lines`] looks for its groups within the
    /// match only.
    pub pattern: &'static str,
    /// Start or end of the paragraph.
    pub at: CutAt,
    /// What the cut piece is.
    pub kind: CutKind,
}

/// The cut rules, tried in order; at most one head cut and one tail cut per paragraph.
///
/// Contract relied on by [`super::lines`] to skip the regexes on most lines: every `cut`
/// group opens with a bracket (`(` `（` `[` `【`), and a tail cut's ends the line with a
/// closing one (`)` `）` `]` `】`).
pub const CUT_RULES: &[CutRule] = &[
    // `…政绩工程。（记者孙红丽）`
    CutRule {
        name: "byline_tail",
        pattern: concat!(
            r"(?P<cut>[（(]\s*(?P<body>",
            roled_names!(outlet_role!()),
            r")\s*[）)])$"
        ),
        at: CutAt::Tail,
        kind: CutKind::Byline,
    },
    // `…。（责任编辑：张三）`, `【编辑：李四】`
    CutRule {
        name: "fields_tail",
        pattern: concat!(
            r"(?P<cut>[（(【\[]\s*(?P<body>",
            labels!(),
            r"\s*[:：][^（）()【】\[\]]{1,40})\s*[）)】\]])$"
        ),
        at: CutAt::Tail,
        kind: CutKind::Fields,
    },
    // `新华社北京12月20日电（记者高亢）记者20日…`, `中新网深圳12月20日电 （陈文 任冠元）…`
    CutRule {
        name: "byline_after_dateline",
        pattern: concat!(
            r"^(?P<pre>[^（()）。！？]{0,30}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電|讯|訊)\s*)(?P<cut>[（(]\s*(?P<body>",
            roled_names!(outlet_role!()),
            "|",
            names!(),
            r")\s*[）)])"
        ),
        at: CutAt::Head,
        kind: CutKind::Byline,
    },
    // `中新网银川12月20日（于翔 杨迪）…`: no 电, so at least two names or a role word.
    CutRule {
        name: "byline_after_date",
        pattern: concat!(
            r"^(?P<pre>[^（()）。！？]{0,30}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*)(?P<cut>[（(]\s*(?P<body>",
            roled_names!(outlet_role!()),
            "|",
            name!(),
            "(?:",
            sep!(),
            name!(),
            r"){1,5})\s*[）)])"
        ),
        at: CutAt::Head,
        kind: CutKind::Byline,
    },
    // `（记者 张三）正文…`
    CutRule {
        name: "byline_head",
        pattern: concat!(
            r"^(?P<pre>)(?P<cut>[（(]\s*(?P<body>",
            roled_names!(outlet_role!()),
            r")\s*[）)])"
        ),
        at: CutAt::Head,
        kind: CutKind::Byline,
    },
    // `本报讯（记者叶婉）近日…`, `北京商报讯（记者 岳品瑜 董晗萱）…`: no date before `讯`,
    // so a role word is needed.
    CutRule {
        name: "byline_after_xun",
        pattern: concat!(
            r"^(?P<pre>\p{Han}{1,12}?(?:讯|訊)\s*)(?P<cut>[（(]\s*(?P<body>",
            roled_names!(outlet_role!()),
            r")\s*[）)])"
        ),
        at: CutAt::Head,
        kind: CutKind::Byline,
    },
];

/// The field a metadata label fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `来源：` → [`super::Extracted::source`].
    Source,
    /// `责任编辑：` → [`super::Extracted::editor`] (never an author).
    Editor,
    /// `原标题：` → [`super::Extracted::original_title`].
    OriginalTitle,
    /// `作者：` / `记者：` → [`super::Extracted::authors`].
    Author,
    /// `发布时间：` → [`super::Extracted::published_at`].
    Date,
    /// `成文日期：`: when a document was written or signed (government pages), which is not
    /// when it was published; used only when no publication date is found.
    WrittenDate,
    /// `摄影：`: a photographer, an author only when no one else is credited.
    Photographer,
}

/// Metadata labels and the field each fills. Every label here is in the `labels!` pattern.
pub const FIELD_LABELS: &[(&str, Field)] = &[
    ("本文来源", Field::Source),
    ("本文來源", Field::Source),
    ("来源", Field::Source),
    ("來源", Field::Source),
    ("稿源", Field::Source),
    ("出处", Field::Source),
    ("出處", Field::Source),
    ("原创", Field::Source),
    ("原創", Field::Source),
    ("责任编辑", Field::Editor),
    ("責任編輯", Field::Editor),
    ("编辑", Field::Editor),
    ("編輯", Field::Editor),
    ("责编", Field::Editor),
    ("責編", Field::Editor),
    ("选稿", Field::Editor),
    ("選稿", Field::Editor),
    ("原标题", Field::OriginalTitle),
    ("原標題", Field::OriginalTitle),
    ("作者", Field::Author),
    ("撰文", Field::Author),
    ("撰稿", Field::Author),
    ("记者", Field::Author),
    ("記者", Field::Author),
    ("通讯员", Field::Author),
    ("通訊員", Field::Author),
    ("发文机关", Field::Author),
    ("發文機關", Field::Author),
    ("发表者", Field::Author),
    ("發表者", Field::Author),
    ("发布者", Field::Author),
    ("發布者", Field::Author),
    ("發佈者", Field::Author),
    ("张贴者", Field::Author),
    ("張貼者", Field::Author),
    ("楼主", Field::Author),
    ("樓主", Field::Author),
    ("博主", Field::Author),
    ("摄影", Field::Photographer),
    ("攝影", Field::Photographer),
    ("发布时间", Field::Date),
    ("發佈時間", Field::Date),
    ("發布時間", Field::Date),
    ("发布日期", Field::Date),
    ("發佈日期", Field::Date),
    ("發布日期", Field::Date),
    ("发稿时间", Field::Date),
    ("發稿時間", Field::Date),
    ("发表时间", Field::Date),
    ("發表時間", Field::Date),
    ("更新时间", Field::Date),
    ("更新時間", Field::Date),
    ("成文日期", Field::WrittenDate),
    ("成文时间", Field::WrittenDate),
    ("成文時間", Field::WrittenDate),
    ("时间", Field::Date),
    ("時間", Field::Date),
    ("日期", Field::Date),
];

/// Role words stripped from the start or end of a name token (longest first is not needed:
/// stripping repeats until nothing changes).
pub const ROLE_WORDS: &[&str] = &[
    "本报",
    "本報",
    "本刊",
    "本台",
    "本网",
    "本網",
    "特约",
    "特約",
    "实习生",
    "實習生",
    "实习",
    "實習",
    "见习",
    "見習",
    "首席",
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "摄影",
    "攝影",
    "报道",
    "報道",
    "摄",
    "攝",
    "编辑",
    "編輯",
    "作者",
    "撰文",
    "撰稿",
    "整理",
    "编译",
    "編譯",
    "采写",
    "採寫",
];

/// Characters that end a sentence; a line ending in one is not a title or headline.
pub const SENTENCE_END: &[char] = &['。', '！', '？', '…', '!', '?', '.', '；', ';'];
/// A title is at most this many characters.
pub const TITLE_MAX_CHARS: usize = 40;
/// A line of at least this many characters ending a sentence is clearly body.
pub const BODY_MIN_CHARS: usize = 50;
/// A headline in a related-headlines run is at most this many characters.
pub const HEADLINE_MAX_CHARS: usize = 100;
/// A run of headline + timestamp pairs needs at least this many pairs.
pub const MIN_HEADLINE_PAIRS: usize = 2;

/// Pattern finding a date (with optional time) inside a line. Groups: `y m d` (four-digit
/// year), `yy mm dd` (two-digit year before `年`), `cy cm cd` (Chinese numerals); `ap`
/// (上午/下午 before the time) or `ampm` (AM/PM after it), `H M S`, `tz`.
pub const DATE_PATTERN: &str = r"(?:(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*[日号]?|(?P<yy>\d{2})\s*年\s*(?P<mm>\d{1,2})\s*月\s*(?P<dd>\d{1,2})\s*[日号]|(?P<cy>[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(?P<cm>[一二三四五六七八九十]{1,3})\s*月\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*[日号])(?:(?:\s*(?:星期|礼拜|禮拜|週|周)[一二三四五六日天])?[\sT]*(?P<ap>上午|下午|早上|晚上|凌晨|中午)?\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?(?:\s*(?P<ampm>AM|PM|am|pm))?(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?)?";
/// Indices of the groups of [`DATE_PATTERN`] (a test checks them against the names).
pub mod date_group {
    /// `y`: four-digit year.
    pub const Y: usize = 1;
    /// `m`.
    pub const M: usize = 2;
    /// `d`.
    pub const D: usize = 3;
    /// `yy`: two-digit year before `年`.
    pub const YY: usize = 4;
    /// `mm`.
    pub const MM: usize = 5;
    /// `dd`.
    pub const DD: usize = 6;
    /// `cy`: year in Chinese numerals.
    pub const CY: usize = 7;
    /// `cm`.
    pub const CM: usize = 8;
    /// `cd`.
    pub const CD: usize = 9;
    /// `ap`: 上午/下午 before the time.
    pub const AP: usize = 10;
    /// `H`.
    pub const HOUR: usize = 11;
    /// `M`.
    pub const MINUTE: usize = 12;
    /// `S`.
    pub const SECOND: usize = 13;
    /// `ampm`: AM/PM after the time.
    pub const AMPM: usize = 14;
    /// `tz`.
    pub const TZ: usize = 15;
}

/// Pattern finding a year and month without a day (`1998年3月`, `1998-3`): groups `y`, `m`.
/// Used only where a line has no full date and the value is a date's (a timestamp line, a
/// date label's value).
pub const YEAR_MONTH_PATTERN: &str =
    r"(?P<y>\d{4})\s*(?:年\s*(?P<m>\d{1,2})\s*月|[-/](?P<m2>\d{1,2})(?:[^\d\-/.]|$))";
/// Pattern finding a photographer's credit ending a caption: an outlet and a role word, names,
/// `摄` (`新华社记者 李梦馨 摄`).
pub const CAPTION_CREDIT_PATTERN: &str = concat!(
    "(?:",
    outlet!(),
    ")?",
    role!(),
    r"\s*",
    names!(),
    r"\s*(?:摄|攝)$"
);

/// Whether `line` is a comment thread's heading (`网友评论`, `发表评论`, `评论13`,
/// `评论（13）`, `已有5条评论`, `最新评论`, `评论区`), and if so whether it is a button or a
/// count (`Some(true)`: the thread follows without doubt) or a plain heading (`Some(false)`).
///
/// Written as code rather than a pattern: a regex's automaton would be built, state by
/// state, over every short line of every page for a heading few pages have.
pub fn comment_heading(line: &str) -> Option<bool> {
    let trim = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || "【】[]:：".contains(c))
            .to_string()
    };
    let mut s = trim(line);
    if s.is_empty() || s.len() > 60 {
        return None;
    }
    let mut strong = false;
    // A count before the word: `已有5条评论`, `13条评论`.
    for p in ["已有", "共有", "共"] {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest.trim_start().to_string();
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        strong = true;
        s = s[digits..]
            .trim_start()
            .trim_start_matches(['条', '則', '则', '人'])
            .to_string();
    }
    // A count after it: `评论13`, `评论（13）`, `评论(13条)`.
    let body = s.trim_end_matches([')', '）', '条', '則', '则']).trim_end();
    let tail = body.bytes().rev().take_while(u8::is_ascii_digit).count();
    if tail > 0 {
        strong = true;
        s = body[..body.len() - tail]
            .trim_end()
            .trim_end_matches(['(', '（'])
            .trim_end()
            .to_string();
    }
    let mut rest = s.as_str();
    for p in [
        "发表",
        "發表",
        "我要",
        "查看全部",
        "全部",
        "最新",
        "热门",
        "熱門",
        "精彩",
    ] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            strong = true;
            break;
        }
    }
    for p in ["网友", "網友", "用户", "用戶", "读者", "讀者"] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            break;
        }
    }
    let rest = ["评论", "評論", "留言", "跟帖", "回复", "回覆", "回應"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))?;
    match rest {
        "" => Some(strong),
        "区" | "區" | "列表" => Some(true),
        _ => None,
    }
}

/// Whether `line` is a comment entry's header: a reply mark (`# re: 标题 …`, `回复：`), a
/// floor (`3楼`, `第3楼`, `5#`), or a short line with a date and time (or `5分钟前`) and a
/// name beside it (`网友名 2005-4-16 17:22`; a date and time alone is a timestamp). Code,
/// not a pattern, for the reason given at [`comment_heading`].
pub fn comment_entry(line: &str) -> bool {
    let t = line.trim();
    if t.chars().count() > 60 {
        return false;
    }
    let unmarked = t.trim_start_matches('#').trim_start();
    for mark in [
        "re:",
        "RE:",
        "Re:",
        "re：",
        "RE：",
        "Re：",
        "回复：",
        "回复:",
        "回覆：",
    ] {
        if unmarked.starts_with(mark) {
            return true;
        }
    }
    let floor = t.strip_prefix("第").unwrap_or(t).trim_start();
    let digits = floor.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && floor[digits..].trim_start().starts_with(['楼', '樓', '#']) {
        return true;
    }
    let short_name = |s: &str| {
        let s = s.trim_matches(|c: char| c.is_whitespace() || "|｜·:：".contains(c));
        !s.is_empty() && s.chars().count() <= 24 && !s.contains(['。', '！', '？'])
    };
    for ago in ["分钟前", "分鐘前", "小时前", "小時前", "天前"]
        .iter()
        .filter(|_| t.contains('前'))
    {
        if let Some(at) = t.find(ago) {
            let before = t[..at]
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end();
            return short_name(before) || short_name(&t[at + ago.len()..]);
        }
    }
    // A time `H:MM` after a date (`2005-4-16 17:22`, `2005年4月16日 17:22`), found by hand:
    // an unanchored regex search over every short line would build its automaton over
    // text that never holds one. The name may stand before the date or after the time.
    let bytes = t.as_bytes();
    let Some(colon) = (1..bytes.len().saturating_sub(2)).find(|&i| {
        bytes[i] == b':'
            && bytes[i - 1].is_ascii_digit()
            && bytes[i + 1..i + 3].iter().all(u8::is_ascii_digit)
    }) else {
        return false;
    };
    let mut start = colon;
    while start > 0 && (bytes[start - 1].is_ascii_digit() || b"-/. ".contains(&bytes[start - 1])) {
        start -= 1;
    }
    let head = &t[..start];
    let head = ["日", "号"]
        .iter()
        .fold(head, |h, s| h.strip_suffix(s).unwrap_or(h));
    // The date: digits and separators, or `年…月…日`, right before the time.
    let date_start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_digit() || "-/.年月 ".contains(c))
        .last()
        .map_or(head.len(), |(i, _)| i);
    let date = &head[date_start..];
    if date.bytes().filter(u8::is_ascii_digit).count() < 4 || !date.contains(['-', '/', '.', '月'])
    {
        return false;
    }
    let mut end = colon + 3;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b':') {
        end += 1;
    }
    let _ = date;
    short_name(&t[..date_start]) || short_name(&t[end..])
}

/// Common Chinese surnames (simplified and traditional forms), one character each: a name
/// found without a role word (`（钟才文）` ending an article) must start with one, or with a
/// compound surname ([`starts_with_compound_surname`]).
pub const SURNAMES: &str = "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付傅方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺官封谈談匡鞠惠荆荊乐樂冀郁胥南班储儲原栗燕楚鄢劳勞谌諶奚皮粟冼蔺藺楼樓盘盤满滿闻聞位厉厲伊仝区區郜海阚闞花权權强強帅帥屠豆朴盖蓋练練廉禹井祖漆巴丰支卿国國狄平计計索宣晋晉相初门門云雲容敬来來扈晁芮都普阙闕浦戈伏鹿薄邸雍辜羊阿乌烏母裘亓修邰赫杭况況那宿鲜鮮印逯隆茹诸諸战戰慕危玉银銀亢嵇公哈湛宾賓戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴陰昝智幸奉植衡富尧堯闭閉由";

/// Whether `name` starts with a common surname ([`SURNAMES`]) or a compound one.
pub fn starts_with_surname(name: &str) -> bool {
    starts_with_compound_surname(name) || name.chars().next().is_some_and(|c| SURNAMES.contains(c))
}

/// Whether `name` starts with a compound surname (`欧阳`, `司马`, …).
pub fn starts_with_compound_surname(name: &str) -> bool {
    const COMPOUND: &[&str] = &[
        "欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方", "皇甫", "尉迟",
        "令狐", "慕容", "公孙", "公孫", "长孙", "長孫", "宇文", "司徒", "夏侯", "端木", "独孤",
        "南宫", "西门", "呼延", "澹台", "申屠", "太史", "拓跋", "钟离", "鍾離", "闻人",
    ];
    COMPOUND.iter().any(|c| name.starts_with(c))
}

/// Pattern finding metadata labels (`来源：`) inside a line.
pub const FIELD_LABEL_PATTERN: &str = concat!(r"(?P<label>", labels!(), r")\s*[:：|｜丨]");

/// The result of classifying one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMatch {
    /// What the line is.
    pub kind: LineKind,
    /// Name of the rule that matched.
    pub rule: &'static str,
}

/// All rules compiled once. Built by [`CompiledRules::new`]; cheap to share.
#[derive(Debug, Clone)]
pub struct CompiledRules {
    /// [`LINE_RULES`] compiled one by one, in table order. Not a `RegexSet`: a set must run
    /// every pattern over the whole line, while single regexes keep their own optimisations
    /// (a `^`-anchored rule fails within a few bytes) and classification stops at the first
    /// rule that matches.
    lines: Vec<(Rule, Regex)>,
    cuts: Vec<(CutRule, Regex)>,
    /// The literals every match of each rule needs, derived from [`LINE_RULES`] then
    /// [`CUT_RULES`] (in that order, so cut `i` is prefilter pattern `LINE_RULES.len() + i`).
    prefilter: Prefilter,
    /// Finds dates in a line (see [`DATE_PATTERN`]).
    pub date: Regex,
    /// Finds a year and month (see [`YEAR_MONTH_PATTERN`]).
    pub year_month: Regex,
    /// Finds a photographer's credit ending a caption (see [`CAPTION_CREDIT_PATTERN`]).
    pub caption_credit: Regex,

    /// Finds metadata labels in a line (see [`FIELD_LABEL_PATTERN`]).
    pub field_label: Regex,
}

fn compile(pattern: &str) -> Regex {
    // The patterns are constants of this file; `tests::every_pattern_compiles` guards them.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad extract rule pattern {pattern:?}: {e}"))
}

impl CompiledRules {
    /// Compiles every table of this file.
    ///
    /// Panics only if a pattern of this file is invalid, which the tests rule out.
    pub fn new() -> CompiledRules {
        CompiledRules {
            lines: LINE_RULES
                .iter()
                .map(|r| (*r, compile(r.pattern)))
                .collect(),
            cuts: CUT_RULES.iter().map(|c| (*c, compile(c.pattern))).collect(),
            prefilter: Prefilter::new(
                &LINE_RULES
                    .iter()
                    .map(|r| r.pattern)
                    .chain(CUT_RULES.iter().map(|c| c.pattern))
                    .collect::<Vec<_>>(),
            ),
            date: compile(DATE_PATTERN),
            year_month: compile(YEAR_MONTH_PATTERN),
            caption_credit: compile(CAPTION_CREDIT_PATTERN),

            field_label: compile(FIELD_LABEL_PATTERN),
        }
    }

    /// Which rules (line and cut rules) may match `line`, by the literals their patterns need
    /// (see [`super::prefilter`]). One pass over the line; pass the result to
    /// [`Self::classify_scanned`] and [`Self::cuts`].
    pub fn scan(&self, line: &str) -> Possible {
        // A line rule longer lines than its `max_chars` cannot be matched: not looked at.
        // (`len` bounds the count of characters from above, so short lines skip the count.)
        let longest = self
            .lines
            .iter()
            .map(|(r, _)| r.max_chars)
            .max()
            .unwrap_or(0);
        let among = if line.len() <= longest {
            Possible::ALL
        } else {
            let chars = line.chars().count();
            Possible::ALL.filter(|i| self.lines.get(i).is_none_or(|(r, _)| chars <= r.max_chars))
        };
        self.prefilter.scan_among(line, among)
    }

    /// Classifies a trimmed line by [`LINE_RULES`]; `None` means a body candidate.
    #[cfg(any(test, feature = "internals"))]
    pub fn classify(&self, line: &str) -> Option<LineMatch> {
        self.classify_scanned(line, self.scan(line))
    }

    /// [`Self::classify`] with the line's [`Self::scan`] already done. Exactly the same
    /// result: a rule the scan rules out cannot match, so not running its regex changes
    /// nothing.
    pub fn classify_scanned(&self, line: &str, possible: Possible) -> Option<LineMatch> {
        let mut chars = None;
        self.lines
            .iter()
            .enumerate()
            .find(|(i, (r, re))| {
                possible.may_match(*i)
                    && *chars.get_or_insert_with(|| line.chars().count()) <= r.max_chars
                    && re.is_match(line)
            })
            .map(|(_, (r, _))| LineMatch {
                kind: r.kind,
                rule: r.name,
            })
    }

    /// The compiled [`CUT_RULES`] that may match a line whose [`Self::scan`] gave `possible`,
    /// in table order (the others cannot match it).
    pub fn cuts(&self, possible: Possible) -> impl Iterator<Item = (&CutRule, &Regex)> {
        let first = self.lines.len();
        self.cuts
            .iter()
            .enumerate()
            .filter(move |(i, _)| possible.may_match(first + i))
            .map(|(_, (c, r))| (c, r))
    }
}

impl Default for CompiledRules {
    fn default() -> Self {
        Self::new()
    }
}

/// The field a label (as matched by [`FIELD_LABEL_PATTERN`]) fills.
pub fn field_of(label: &str) -> Option<Field> {
    FIELD_LABELS
        .iter()
        .find(|(l, _)| *l == label)
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
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
                            == regex_syntax::hir::LookSet::singleton(
                                regex_syntax::hir::Look::Start
                            ),
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
}
