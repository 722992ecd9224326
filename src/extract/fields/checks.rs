//! The rules every field value must follow: no markup or label left in, names that are
//! names, sources and titles of sensible length and shape, tags that are tags. Each check
//! returns the name of the rule a value breaks, which [`super::decide`] records as the
//! candidate's verdict.

use super::{PEN_NAME_MAX_CHARS, SOURCE_MAX_CHARS, TITLE_MAX_CHARS};

/// Markup or a field label left in a value.
fn markup_or_label(value: &str) -> Option<&'static str> {
    let bytes = value.as_bytes();
    // (One pass over the bytes tells whether any markup check is needed.)
    if bytes
        .iter()
        .any(|b| matches!(b, b'<' | b'&' | b'=' | b'"' | b'{' | b'}'))
    {
        let tag = bytes.windows(2).any(|w| {
            w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'/' | b'!' | b'?'))
        });
        let entity = ["&nbsp", "&amp;", "&lt;", "&gt;", "&quot;", "&#"]
            .iter()
            .any(|e| value.contains(e));
        if tag || entity || value.contains(['=', '"', '{', '}']) {
            return Some("markup");
        }
    }
    // Every label but four holds a colon: look for those only when a colon is there.
    const COLON_LABELS: &[&str] = &[
        "来源：",
        "来源:",
        "來源：",
        "來源:",
        "稿源：",
        "稿源:",
        "出处：",
        "出处:",
        "作者：",
        "作者:",
        "责编：",
        "责编:",
        "编辑：",
        "编辑:",
        "記者：",
        "记者：",
        "记者:",
    ];
    const LABELS: &[&str] = &["责任编辑", "責任編輯", "发布时间", "發布時間"];
    let colon = value.contains(['：', ':']);
    let long_label = value.contains(['编', '編', '时', '時']);
    ((long_label && LABELS.iter().any(|l| value.contains(l)))
        || (colon && COLON_LABELS.iter().any(|l| value.contains(l))))
    .then_some("a label left in")
}

/// Why `value` cannot be a title, if it cannot: markup, a breadcrumb trail (`A>B`, `A » B`,
/// `A_B_C`), too short or too long.
pub fn title_problem(value: &str) -> Option<&'static str> {
    let value = value.trim();
    let n = value.chars().count();
    if let Some(why) = markup_or_label(value) {
        return Some(why);
    }
    if n < 2 || !value.chars().any(char::is_alphanumeric) {
        return Some("too short");
    }
    if n > TITLE_MAX_CHARS {
        return Some("too long");
    }
    let parts = value.split('_').filter(|s| !s.trim().is_empty()).count();
    if value.contains(['>', '<', '»', '›', '＞', '＜']) || parts >= 3 {
        return Some("a breadcrumb trail");
    }
    if value.contains("://") {
        return Some("a URL");
    }
    None
}

/// UI strings that are never a name or tag: counters and buttons (`阅读（1660`, `评论5`).
const UI_WORDS: &[&str] = &[
    "阅读", "閱讀", "评论", "評論", "点击", "點擊", "收藏", "字号", "字號", "分享", "举报", "舉報",
    "关注", "關注", "浏览", "瀏覽", "打印", "关闭", "關閉", "返回", "登录", "登錄", "注册", "註冊",
    "更多", "回复", "回復", "点赞", "點讚", "转发", "轉發", "下载", "下載",
];

/// Words that are not names: anonymous credits and roles without a name.
const NOT_NAMES: &[&str] = &[
    "佚名",
    "匿名",
    "未知",
    "网友",
    "網友",
    "本报",
    "本報",
    "本刊",
    "本网",
    "本網",
    "记者",
    "記者",
    "编辑",
    "編輯",
    "作者",
    "来源",
    "來源",
    "通讯员",
    "通訊員",
    "管理员",
    "管理員",
    "admin",
    "Admin",
    "小编",
    "小編",
    "报道",
    "報道",
    "摄影",
    "攝影",
    "整理",
    "探访",
    "探訪",
    "采访",
    "採訪",
    "综合",
    "綜合",
    "编译",
    "編譯",
    "手记",
    "手記",
    "观察",
    "觀察",
    "述评",
    "述評",
    "调查",
    "調查",
];

/// Endings and words of organisations (a site, paper, agency, office); an organisation is an
/// author only after an explicit `作者：` / `发文机关：`.
const ORG_WORDS: &[&str] = &[
    "网",
    "網",
    "报",
    "報",
    "社",
    "台",
    "中心",
    "新闻",
    "新聞",
    "公司",
    "集团",
    "集團",
    "频道",
    "頻道",
    "官方",
    "客户端",
    "委员会",
    "委員會",
    "政府",
    "办公室",
    "辦公室",
    "协会",
    "協會",
    "大学",
    "大學",
    "学院",
    "學院",
    "研究院",
    "研究所",
    "银行",
    "銀行",
    "医院",
    "醫院",
    "法院",
    "董事会",
    "董事會",
    "编辑部",
    "編輯部",
    "杂志",
    "雜誌",
    "出版社",
    "网站",
    "網站",
    "平台",
    "视频",
    "視頻",
    "传媒",
    "傳媒",
    "媒体",
    "媒體",
    "日报",
    "日報",
    "晚报",
    "晚報",
    ".com",
    ".cn",
    "www",
    "http",
];

/// The last character of a short organisation's name (`新京报`, `人民网`, `新华社`).
const ORG_ENDINGS: &[char] = &[
    '网', '網', '报', '報', '社', '台', '部', '局', '厅', '廳', '院', '所', '会', '會',
];

/// Two-character endings of four-character organisations (`中山大学`, `某某公司`).
const ORG_ENDINGS_2: &[&str] = &[
    "大学", "大學", "学院", "學院", "公司", "集团", "集團", "中心", "政府", "医院", "醫院", "银行",
    "銀行", "协会", "協會", "日报", "日報", "晚报", "晚報",
];

/// Rules after which an organisation or a pen name is a credit (`作者：某某委员会`, a blog's
/// `X 发表于`, author markup).
fn explicit_credit(rule: &str) -> bool {
    rule == "metadata_fields"
        || rule == "credit_line"
        || rule == "blog_credit"
        || rule == "commentator"
        || rule.starts_with("meta:")
        || rule.starts_with("json-ld:")
        || rule == "author_element"
}

/// Why `name` (found by `rule`) cannot be stored as a person's name, if it cannot.
///
/// A name is 2–4 Han characters, or 5–6 after a compound surname, or `·`-joined Han parts
/// (`买买提·艾力`), or a Latin-script name (letters, spaces, `.`, `-`), or, after an explicit
/// credit (`作者：`, a blog credit, author markup), a pen name or organisation of at most
/// [`PEN_NAME_MAX_CHARS`] characters. Never: digits, markup, `=`/quotes/brackets, sentence
/// punctuation, a UI string (`阅读`, `评论`, … with or without a count), an anonymous credit
/// (`佚名`) or a role without a name.
pub fn name_problem(name: &str, rule: &str) -> Option<&'static str> {
    let name = name.trim();
    let n = name.chars().count();
    if n < 2 {
        return Some("too short");
    }
    let han = |c: char| crate::model::is_han(c);
    let all_han = name.chars().all(han);
    // Most names are a few Han characters: no markup, digits or punctuation to look for.
    if !all_han {
        if let Some(why) = non_han_problem(name) {
            return Some(why);
        }
    }
    if UI_WORDS.iter().any(|w| name.starts_with(w)) {
        return Some("a UI string");
    }
    if NOT_NAMES.contains(&name) {
        return Some("not a name");
    }
    if all_han && n <= 4 && !explicit_credit(rule) {
        // (Only a longer Han name can end in an organisation's word: `王网` is a name,
        // `新京报`, `中山大学` are not.)
        let org = (n > 2 && name.ends_with(ORG_ENDINGS))
            || (n == 4 && ORG_ENDINGS_2.iter().any(|e| name.ends_with(e)));
        return org.then_some("an organisation");
    }
    name_shape_problem(name, n, all_han, rule)
}

/// The checks of [`name_problem`] a name with characters other than Han needs.
fn non_han_problem(name: &str) -> Option<&'static str> {
    if let Some(why) = markup_or_label(name) {
        return Some(why);
    }
    if name.chars().any(char::is_numeric) {
        return Some("digits");
    }
    if name
        .chars()
        .any(|c| "()（）[]【】<>《》{}「」『』'‘’“”\"".contains(c))
    {
        return Some("brackets or quotes");
    }
    if name
        .chars()
        .any(|c| "。，,！!？?；;：:、|｜/／\\@#%&*+".contains(c))
    {
        return Some("punctuation");
    }
    // `sina_mobile`, `L_104485`: a system's identifier, not a byline.
    if name.contains('_') && name.is_ascii() {
        return Some("an identifier");
    }
    None
}

/// The shape checks of [`name_problem`]: a person's name, or a pen name or organisation
/// after an explicit credit.
fn name_shape_problem(name: &str, n: usize, all_han: bool, rule: &str) -> Option<&'static str> {
    let han = |c: char| crate::model::is_han(c);
    let dotted = name.contains(['·', '•'])
        && name
            .split(['·', '•'])
            .all(|p| !p.is_empty() && p.chars().all(han))
        && n <= 16;
    let latin = name
        .chars()
        .all(|c| c.is_ascii_alphabetic() || " .-".contains(c))
        && name.chars().filter(char::is_ascii_alphabetic).count() >= 2
        && n <= 40
        && name.split_whitespace().count() <= 4;
    let compound = crate::extract::rules::starts_with_compound_surname(name);
    let person = (all_han && (n <= 4 || (compound && n <= 6))) || dotted || latin;
    let commentator = name.ends_with("评论员") || name.ends_with("評論員");
    let org = ORG_WORDS.iter().any(|w| name.contains(w));
    if explicit_credit(rule) {
        if commentator {
            return None;
        }
        if n > PEN_NAME_MAX_CHARS {
            return Some("too long");
        }
        // After `作者：` an organisation is the credited writer; a blogger's handle is
        // whatever they chose. Markup naming an organisation names the site.
        if org && !matches!(rule, "metadata_fields" | "credit_line" | "blog_credit") {
            return Some("an organisation");
        }
        return None;
    }
    if commentator && n <= PEN_NAME_MAX_CHARS {
        return None;
    }
    if !person {
        return Some("not name-shaped");
    }
    if all_han && n > 2 && org && !compound {
        return Some("an organisation");
    }
    None
}

/// Why `value` cannot be a source, if it cannot: markup or a label left in, a date or time,
/// sentence punctuation, longer than [`SOURCE_MAX_CHARS`].
pub fn source_problem(value: &str) -> Option<&'static str> {
    if let Some(why) = markup_or_label(value) {
        return Some(why);
    }
    let n = value.chars().count();
    if n < 2 || !value.chars().any(char::is_alphanumeric) {
        return Some("too short");
    }
    if n > SOURCE_MAX_CHARS {
        return Some("too long");
    }
    if value.chars().any(|c| "。！？；!?;".contains(c)) {
        return Some("punctuation");
    }
    if value.contains(['：', ':']) {
        return Some("a label or time left in");
    }
    if value.contains(['年', '月']) && value.chars().any(|c| c.is_ascii_digit()) {
        return Some("a date");
    }
    if UI_WORDS.iter().any(|w| value.starts_with(w)) {
        return Some("a UI string");
    }
    None
}

/// Why `value` cannot be a tag: markup, a bare number, longer than 20 characters, sentence
/// punctuation.
pub(super) fn tag_problem(value: &str) -> Option<&'static str> {
    if let Some(why) = markup_or_label(value) {
        return Some(why);
    }
    let n = value.chars().count();
    if n == 0
        || value
            .chars()
            .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
    {
        return Some("a number or punctuation");
    }
    if n > 20 {
        return Some("too long");
    }
    if value.chars().any(|c| "。！？；!?;，,".contains(c)) {
        return Some("punctuation");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::{c, decided};
    use super::super::*;

    #[test]
    fn junk_names_are_rejected_with_their_rule() {
        for (name, rule, why) in [
            ("105092", "meta:author", "digits"),
            ("L_104485", "meta:author", "digits"),
            ("size=\"20", "meta:author", "markup"),
            ("阅读（1660", "byline_role", "digits"),
            ("评论", "byline_role", "a UI string"),
            ("收藏本文", "meta:author", "a UI string"),
            ("新京报", "meta:author", "an organisation"),
            ("他告诉记者王明", "byline_role", "not name-shaped"),
            ("佚名", "metadata_fields", "not a name"),
            ("谁能告诉我这是为什么", "byline_role", "not name-shaped"),
            ("你觉得呢？", "metadata_fields", "punctuation"),
        ] {
            assert_eq!(name_problem(name, rule), Some(why), "{name}");
        }
        for (name, rule) in [
            ("王明", "byline_role"),
            ("欧阳中石", "byline_role"),
            ("买买提·艾力", "byline_role"),
            ("Jeremy Tsheng", "meta:author"),
            ("私~川流", "blog_credit"),
            ("A-肖老师-树谷学院", "blog_credit"),
            ("经济日报评论员", "commentator"),
            ("某某市人民政府办公室", "metadata_fields"),
        ] {
            assert_eq!(name_problem(name, rule), None, "{name}");
        }
    }

    #[test]
    fn titles_are_never_breadcrumbs_or_markup() {
        let r = decided(vec![
            c(Field::Title, "站名>栏目", Zone::Markup, "title"),
            c(
                Field::Title,
                "<?xml version=\"1.0\"?>",
                Zone::Header,
                "title_line",
            ),
            c(Field::Title, "新闻_国内_某某网", Zone::Markup, "og:title"),
            c(
                Field::Title,
                "我市启动老旧小区改造",
                Zone::Header,
                "title_line",
            ),
        ]);
        assert_eq!(r.values.title.as_deref(), Some("我市启动老旧小区改造"));
    }

    #[test]
    fn sources_and_editors_keep_no_labels() {
        assert_eq!(source_problem("来源：新华网"), Some("a label left in"));
        assert_eq!(source_problem("size=\"20\""), Some("markup"));
        assert_eq!(source_problem("新华网"), None);
        assert_eq!(source_problem("1905电影网"), None);
        let r = decided(vec![
            c(Field::Editor, "倪仕轩", Zone::Footer, "metadata_fields"),
            c(Field::Editor, "杨格", Zone::Footer, "metadata_fields"),
            c(Field::Editor, "倪仕轩", Zone::Footer, "fields_tail"),
        ]);
        assert_eq!(r.values.editor.as_deref(), Some("倪仕轩、杨格"));
    }
}
