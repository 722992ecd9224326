//! The rule table of the extract stage: every pattern that decides what a line is.
//!
//! This module owns *what* is recognised; [`super::lines`] owns *where* it is applied
//! (structure, position) and [`super::values`] turns matched text into values. To change how
//! bylines, tag lines, disclaimers, … are found, edit the tables and nothing else:
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
//! Files: this one holds the rule types, the label and role tables, the thresholds and the
//! compiled form; `patterns.rs` the patterns ([`LINE_RULES`], [`CUT_RULES`], …) and the regex
//! pieces they are built from; `comments.rs` the comment-thread rules written as code
//! ([`comment_heading`], [`comment_entry`]); `tests.rs` the table's tests.
//!
//! ```
//! use zhclean::internals::extract::rules::{CompiledRules, LineKind};
//! let rules = CompiledRules::new();
//! assert_eq!(rules.classify("標簽: 生活垃圾分類").map(|m| m.kind), Some(LineKind::TagLine));
//! assert_eq!(rules.classify("据悉，消息来源：不明。"), None);
//! ```

use regex::Regex;

use super::prefilter::{Possible, Prefilter};

pub use comments::{comment_entry, comment_heading};
pub use patterns::{
    date_group, CAPTION_CREDIT_PATTERN, CUT_RULES, DATE_PATTERN, FIELD_LABEL_PATTERN, LINE_RULES,
    YEAR_MONTH_PATTERN,
};

mod comments;
// (`macro_use`: the tests build patterns from the same pieces.)
#[macro_use]
mod patterns;

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
mod tests;
