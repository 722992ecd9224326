//! The patterns of the rule table: [`LINE_RULES`], [`CUT_RULES`] and the patterns that find
//! dates, year-months, caption credits and field labels inside a line, assembled at compile
//! time from small regex pieces (the macros below). To change how bylines, tag lines,
//! disclaimers, … are found, edit this file.

use super::{CutAt, CutKind, CutRule, LineKind, Rule};

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
/// ([`crate::extract::lines`] rejects an outlet holding a verb that makes the line a sentence:
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
        // (The verbs only, a literal search; `values::parse_blog_credit` reads and checks the
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

/// The cut rules, tried in order; at most one head cut and one tail cut per paragraph.
///
/// Contract relied on by [`crate::extract::lines`] to skip the regexes on most lines: every `cut`
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

/// Pattern finding metadata labels (`来源：`) inside a line.
pub const FIELD_LABEL_PATTERN: &str = concat!(r"(?P<label>", labels!(), r")\s*[:：|｜丨]");
