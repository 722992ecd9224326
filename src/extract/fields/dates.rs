//! `published_at`: how date candidates rank, how a date-only winner takes the time of a
//! candidate that agrees with it, and the fetch-date test (no page is published after it was
//! fetched), with the reading of fetch dates ([`parse_fetch_date`]).

use super::{single, Candidate, Decision, Facts, Field, Verdict, Zone};

/// Rules whose dates carry a label or a credit (`发布时间：`, `来源：… 2018-12-24`,
/// `X 发表于 …`): trusted outside the header too.
fn labelled_date_rule(rule: &str) -> bool {
    matches!(rule, "metadata_fields" | "fields_tail" | "blog_credit")
}

fn date_rank(c: &Candidate) -> Option<u8> {
    if c.rule == "written_date" {
        return Some(4);
    }
    match c.zone {
        Zone::Header => Some(0),
        Zone::Markup if c.rule.starts_with("modified:") => Some(5),
        Zone::Markup => Some(1),
        Zone::Url => Some(2),
        Zone::Body | Zone::Footer if labelled_date_rule(c.rule) => Some(3),
        Zone::Body | Zone::Footer => None,
    }
}

pub(super) fn dates(list: Vec<Candidate>, facts: &Facts) -> Decision {
    let fetched = facts.fetched_at.as_deref().and_then(Instant::of);
    let problem = |c: &Candidate| -> Option<&'static str> {
        let Some(at) = Instant::of(&c.value) else {
            return Some("not a valid date");
        };
        match fetched {
            Some(f) if at.after(&f) => Some("after the fetch date"),
            _ => None,
        }
    };
    let mut decision = single(Field::PublishedAt, list, date_rank, |c| {
        if date_rank(c).is_none() {
            return Some("a bare date outside the header");
        }
        problem(c)
    });
    // A less precise winner (a month, a day) takes the day or time of a valid candidate that
    // agrees with it (a meta tag gives the time the header line leaves out).
    let winner = decision
        .candidates
        .iter()
        .find(|j| j.verdict == Verdict::Chosen)
        .map(|j| j.candidate.value.clone());
    if let Some(short) = winner.as_ref().filter(|w| w.len() <= 10) {
        if let Some(j) = decision.candidates.iter_mut().find(|j| {
            j.verdict == Verdict::Outranked
                && j.candidate.value.len() > short.len()
                && j.candidate.value.starts_with(short.as_str())
        }) {
            j.verdict = Verdict::Chosen;
        }
    } else if let Some(at) = winner.as_deref().and_then(Instant::of) {
        // A time to the minute (`23:23`, written `23:23:00`) takes the seconds of a
        // candidate at that minute (`23:23:53`).
        if let Some(seconds) = at.seconds.filter(|s| s % 60 == 0) {
            if let Some(j) = decision.candidates.iter_mut().find(|j| {
                j.verdict == Verdict::Outranked
                    && Instant::of(&j.candidate.value).is_some_and(|c| {
                        c.days == at.days
                            && c.seconds
                                .is_some_and(|cs| cs > seconds && cs < seconds + 60)
                    })
            }) {
                j.verdict = Verdict::Chosen;
            }
        }
    }
    for j in &mut decision.candidates {
        if j.verdict == Verdict::Rejected("not used for this field") {
            j.verdict = Verdict::Rejected("a bare date outside the header");
        }
    }
    decision
}

/// The date of the chosen candidates: the first, or the more precise second that agrees
/// with it (see [`dates`]).
pub(super) fn date_value(chosen: &[&Candidate]) -> Option<String> {
    let first = chosen.first()?;
    Some(chosen.get(1).unwrap_or(first).value.clone())
}

/// A point in time, for the fetch-date test: days since 1970-01-01 and seconds into the day
/// (UTC when the value has a time and zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Instant {
    days: i64,
    /// Seconds into the (UTC) day, when the value has a time.
    seconds: Option<i64>,
}

impl Instant {
    /// Reads ISO 8601 as this module writes it: `YYYY[-MM[-DD[THH:MM:SS(Z|±HH:MM)]]]`.
    fn of(iso: &str) -> Option<Instant> {
        let (date, time) = match iso.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (iso, None),
        };
        let mut parts = date.split('-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: i64 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
        let d: i64 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
        if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let mut days = days_from_civil(y, m, d);
        let seconds = match time {
            None => None,
            Some(t) => {
                let (clock, offset) = if let Some(c) = t.strip_suffix('Z') {
                    (c, 0)
                } else {
                    let at = t.rfind(['+', '-'])?;
                    let (c, z) = t.split_at(at);
                    let sign = if z.starts_with('-') { -1 } else { 1 };
                    let (zh, zm) = z.get(1..)?.split_once(':')?;
                    (
                        c,
                        sign * (zh.parse::<i64>().ok()? * 3600 + zm.parse::<i64>().ok()? * 60),
                    )
                };
                let mut hms = clock.split(':').map(|p| p.parse::<i64>().ok());
                let h = hms.next()??;
                let mi = hms.next()??;
                let s = hms.next().flatten().unwrap_or(0);
                let mut secs = h * 3600 + mi * 60 + s - offset;
                days += secs.div_euclid(86_400);
                secs = secs.rem_euclid(86_400);
                Some(secs)
            }
        };
        Some(Instant { days, seconds })
    }

    /// Whether `self` is after `fetched`. A value without a time is after only from the day
    /// after the fetch day's next day (its zone is unknown: up to a day ahead of UTC).
    fn after(&self, fetched: &Instant) -> bool {
        match (self.seconds, fetched.seconds) {
            (Some(a), Some(b)) => (self.days, a) > (fetched.days, b),
            _ => self.days > fetched.days + 1,
        }
    }
}

/// Days from 1970-01-01 to the civil date `y-m-d` (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A fetch date as ISO 8601 (UTC): a WARC-Date (`2024-05-20T08:15:30Z`, ISO 8601 with any
/// zone) or an HTTP `Date` header (`Mon, 20 May 2024 08:15:30 GMT`). `None` when it is
/// neither.
///
/// ```
/// use zhclean::internals::extract::fields::parse_fetch_date;
/// assert_eq!(parse_fetch_date("Mon, 20 May 2024 08:15:30 GMT").as_deref(), Some("2024-05-20T08:15:30Z"));
/// assert_eq!(parse_fetch_date("2024-05-20T08:15:30Z").as_deref(), Some("2024-05-20T08:15:30Z"));
/// assert_eq!(parse_fetch_date("yesterday"), None);
/// ```
pub fn parse_fetch_date(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(iso) = crate::extract::html::markup::normalize_date(value) {
        if value.len() >= 10 && value.as_bytes().get(4) == Some(&b'-') {
            return Some(iso);
        }
    }
    // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let rest = value.split_once(',').map_or(value, |(_, r)| r).trim();
    let mut parts = rest.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? + 1;
    let year: u32 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    let zone = parts.next().unwrap_or("GMT");
    if !zone.eq_ignore_ascii_case("GMT") && !zone.eq_ignore_ascii_case("UTC") {
        return None;
    }
    let mut hms = time.split(':').map(|p| p.parse::<u32>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{h:02}:{mi:02}:{s:02}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{c, decided};
    use super::super::*;
    use super::*;

    #[test]
    fn dates_rank_by_zone_and_respect_the_fetch_date() {
        let header = c(
            Field::PublishedAt,
            "2024-05-06T15:47:53+08:00",
            Zone::Header,
            "blog_credit",
        );
        let meta = c(
            Field::PublishedAt,
            "2024-05-07T22:12:13+08:00",
            Zone::Markup,
            "meta:pubdate",
        );
        let url = c(Field::PublishedAt, "2024-05-06", Zone::Url, "url");
        let r = decided(vec![meta.clone(), url.clone(), header.clone()]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T15:47:53+08:00")
        );
        // A bare date in the footer (a comment's, a related headline's) is never taken.
        let footer = c(Field::PublishedAt, "2024-05-09", Zone::Footer, "timestamp");
        let r = decided(vec![footer.clone()]);
        assert_eq!(r.values.published_at, None);
        assert_eq!(
            r.decision(Field::PublishedAt).unwrap().candidates[0].verdict,
            Verdict::Rejected("a bare date outside the header")
        );
        // After the fetch date: rejected, the next one wins.
        let facts = Facts {
            fetched_at: Some("2024-05-07T01:00:00Z".into()),
            ..Facts::default()
        };
        let r = decide(vec![meta, url], &facts);
        assert_eq!(r.values.published_at.as_deref(), Some("2024-05-06"));
        // A date-only header date takes the time of a same-day meta tag.
        let r = decided(vec![
            c(Field::PublishedAt, "2024-05-06", Zone::Header, "timestamp"),
            c(
                Field::PublishedAt,
                "2024-05-06T15:47:53+08:00",
                Zone::Markup,
                "meta:pubdate",
            ),
        ]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T15:47:53+08:00")
        );
        // A time to the minute takes the seconds of that minute, in any zone.
        let r = decided(vec![
            c(
                Field::PublishedAt,
                "2024-05-06T15:47:00+08:00",
                Zone::Header,
                "timestamp",
            ),
            c(
                Field::PublishedAt,
                "2024-05-06T07:47:53Z",
                Zone::Markup,
                "meta:pubdate",
            ),
        ]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T07:47:53Z")
        );
        let r = decided(vec![
            c(
                Field::PublishedAt,
                "2024-05-06T15:47:00+08:00",
                Zone::Header,
                "timestamp",
            ),
            c(
                Field::PublishedAt,
                "2024-05-06T15:48:53+08:00",
                Zone::Markup,
                "meta:pubdate",
            ),
        ]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T15:47:00+08:00")
        );
    }

    #[test]
    fn instants_compare_across_zones() {
        let a = Instant::of("2024-05-20T07:00:00+08:00").unwrap();
        let b = Instant::of("2024-05-19T23:30:00Z").unwrap();
        assert!(!a.after(&b));
        assert!(Instant::of("2024-05-20T08:00:00+08:00").unwrap().after(&b));
        // Without a time, the next day is still allowed (zones ahead of UTC).
        assert!(!Instant::of("2024-05-20").unwrap().after(&b));
        assert!(Instant::of("2024-05-21").unwrap().after(&b));
        assert_eq!(Instant::of("1970-01-01").unwrap().days, 0);
        assert_eq!(Instant::of("2000-03-01").unwrap().days, 11_017);
        assert_eq!(Instant::of("1998-03").unwrap().days, 10_286);
        assert_eq!(Instant::of("2024-02-30x"), None);
    }

    #[test]
    fn fetch_dates() {
        assert_eq!(
            parse_fetch_date("Sun, 06 Nov 1994 08:49:37 GMT").as_deref(),
            Some("1994-11-06T08:49:37Z")
        );
        assert_eq!(
            parse_fetch_date("2024-05-20T16:15:30+08:00").as_deref(),
            Some("2024-05-20T16:15:30+08:00")
        );
        assert_eq!(parse_fetch_date("Sun, 06 Nov 1994 08:49:37 PST"), None);
    }
}
