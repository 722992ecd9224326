//! Names: bylines split into names (role words stripped), editors, and sources cleaned of
//! what surrounds them.

use crate::extract::rules::ROLE_WORDS;

/// The role words of a reporter, which follow the outlet or post they are of.
const REPORTER_ROLES: [&str; 8] = [
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "评论员",
    "評論員",
];

/// Splits a byline body into names: splits on whitespace, `、` `，` `,` `/` `|`, keeps what
/// follows a reporter's role word in a token (`海峡导报记者薛洋` → `薛洋`), strips role
/// words ([`ROLE_WORDS`]: `记者`, `通讯员`, `报道`, …) from both ends of each token and drops
/// tokens that are only role words, punctuation or a single character. A two-character name
/// padded to three columns (`方  敏`) is joined; a place before `报道` after the first name
/// (`王明 山东某县报道`) is not a name. Order kept, duplicates dropped.
///
/// About 90 lines: the steps above, in that order.
pub fn parse_names(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let body = body.trim_matches(|c: char| "（）()【】[]".contains(c));
    let tokens: Vec<&str> = body
        .split(|c: char| c.is_whitespace() || "、，,/／|｜丨:：;；".contains(c))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let single_han = |t: &str| {
        let mut chars = t.chars();
        chars.next().is_some_and(crate::model::is_han) && chars.next().is_none()
    };
    let mut joined: Vec<std::borrow::Cow<str>> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if single_han(tokens[i]) && tokens.get(i + 1).is_some_and(|t| single_han(t)) {
            joined.push(format!("{}{}", tokens[i], tokens[i + 1]).into());
            i += 2;
        } else {
            joined.push(tokens[i].into());
            i += 1;
        }
    }
    for tok in &joined {
        let tok: &str = tok;
        // A fragment of markup (`<img`, `onerror=alert(1)>`) is never a name.
        if tok.contains(['<', '>', '=', '{', '}']) {
            continue;
        }
        // A place before `报道` after a name (`王明 山东某县报道`).
        if !out.is_empty() {
            if let Some(place) = tok
                .strip_suffix("报道")
                .or_else(|| tok.strip_suffix("報道"))
            {
                // (`李四报道` after a name is rarer than `上海报道`: a place.)
                if place.chars().count() >= 2 {
                    continue;
                }
            }
        }
        // What comes before a reporter's role word is the outlet or post, not a name
        // (`海峡导报记者`, `驻京记者薛洋`): the name is what follows the last one, if anything.
        // (Every role word ends in 者, 员/員 or 生: no search in a token without one.)
        let after_role = tok
            .contains(['者', '员', '員', '生'])
            .then(|| {
                REPORTER_ROLES
                    .iter()
                    .filter_map(|role| tok.rfind(role).map(|at| at + role.len()))
                    .max()
            })
            .flatten();
        let mut t = after_role.map_or(tok, |end| &tok[end..]);
        loop {
            let before = t;
            for w in ROLE_WORDS {
                t = t.strip_prefix(w).unwrap_or(t);
                if t.chars().count() > 2 {
                    t = t.strip_suffix(w).unwrap_or(t);
                }
            }
            if t == before {
                break;
            }
        }
        let t = t.trim_matches(|c: char| !c.is_alphanumeric() && c != '·');
        // Two two-character names written together (`新华社记者李锦赵承`): four Han
        // characters whose first and third start a name, without a compound surname.
        let chars: Vec<char> = t.chars().collect();
        if chars.len() == 4
            && chars.iter().all(|&c| crate::model::is_han(c))
            && crate::extract::rules::SURNAMES.contains(chars[0])
            && crate::extract::rules::SURNAMES.contains(chars[2])
            && !crate::extract::rules::starts_with_compound_surname(t)
        {
            for half in [&chars[..2], &chars[2..]] {
                let half: String = half.iter().collect();
                if !out.contains(&half) {
                    out.push(half);
                }
            }
            continue;
        }
        // One character is never a name (`文/张三` leaves `文`).
        if t.chars().count() >= 2
            && t.chars().any(char::is_alphabetic)
            && !out.iter().any(|o| o == t)
        {
            out.push(t.to_string());
        }
    }
    out
}

/// Splits an editor value into names: on whitespace, `、` `，` `,` `/` `|`; a staff code
/// (`SF099`, `PN269`, `_NN2587` after a name) is not a name.
pub fn parse_editors(value: &str) -> Vec<String> {
    let code = |t: &str| {
        t.chars().any(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let mut out: Vec<String> = Vec::new();
    for tok in value.split(|c: char| c.is_whitespace() || "、，,/／|｜丨;；".contains(c)) {
        let tok = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '·');
        let tok = match tok.rsplit_once('_') {
            Some((name, tail)) if code(tail) => name,
            _ => tok,
        };
        if tok.is_empty() || code(tok) || out.iter().any(|o| o == tok) {
            continue;
        }
        out.push(tok.to_string());
    }
    out
}

/// A source value without what pages put after it: the label if one is left in
/// (`来源：新华网` from a `<meta>`), a location (`来自北京市`), a posting note (`发布于…`), and
/// anything after the first space unless the name is Latin words (`新华网 王帆`,
/// `鞭牛士 北京 举报` → `新华网`, `鞭牛士`; `China Daily` stays).
///
/// ```
/// use zhclean::internals::extract::values::clean_source;
/// assert_eq!(clean_source("来源：新华网").as_deref(), Some("新华网"));
/// assert_eq!(clean_source("北青网-北京青年报 北京 举报").as_deref(), Some("北青网-北京青年报"));
/// assert_eq!(clean_source("政能亮 来自北京市").as_deref(), Some("政能亮"));
/// assert_eq!(clean_source("China Daily").as_deref(), Some("China Daily"));
/// ```
pub fn clean_source(value: &str) -> Option<String> {
    let sep = |c: char| c.is_whitespace() || "|｜丨·/【】[]（）()".contains(c);
    let mut v = value.trim_matches(sep);
    if let Some((label, rest)) = v.split_once(['：', ':']) {
        if matches!(
            label.trim(),
            "来源" | "來源" | "稿源" | "出处" | "出處" | "本文来源" | "本文來源"
        ) {
            v = rest.trim_matches(sep);
        }
    }
    for stop in [
        "来自",
        "來自",
        "发布于",
        "發佈於",
        "發布於",
        "发表于",
        "發表於",
    ] {
        if let Some(at) = v.find(stop) {
            v = v[..at].trim_matches(sep);
        }
    }
    let words: Vec<&str> = v.split_whitespace().collect();
    let latin = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "&.-'".contains(c))
    };
    let mut kept = words.first().map_or(0, |_| 1);
    while kept < words.len() && latin(words[kept - 1]) && latin(words[kept]) {
        kept += 1;
    }
    let out = words[..kept].join(" ");
    (!out.is_empty()).then_some(out)
}

/// The name ending a writer's description after a title (`…研究员徐占忱`, `某大学教授 王明`):
/// 2–3 Han characters starting with a surname.
pub(super) fn titled_name(value: &str) -> Option<String> {
    const TITLES: &[&str] = &[
        "研究员",
        "研究員",
        "教授",
        "讲师",
        "講師",
        "博士",
        "主任",
        "部长",
        "部長",
        "院长",
        "院長",
        "所长",
        "所長",
        "主编",
        "主編",
        "编审",
        "編審",
        "学者",
        "學者",
        "专家",
        "專家",
        "律师",
        "律師",
        "记者",
        "記者",
    ];
    let value = value.trim();
    TITLES.iter().find_map(|t| {
        let at = value.rfind(t)?;
        let name = value[at + t.len()..].trim();
        let n = name.chars().count();
        ((2..=3).contains(&n)
            && name.chars().all(crate::model::is_han)
            && crate::extract::rules::starts_with_surname(name))
        .then(|| name.to_string())
    })
}
