//! Comment-thread rules, written as code rather than patterns: a regex's automaton would be
//! built, state by state, over every short line of every page for lines few pages have.

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
