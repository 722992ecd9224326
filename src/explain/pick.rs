//! Picking the one record an explain page is about, from any input the batch reads: a page
//! file, or one record of a JSONL or WARC file chosen by its id, its URL, or `@N` (the JSONL
//! line or WARC record number N, for records without an id).

use crate::batch::{InputError, Item};
use crate::pipeline::InputMeta;

/// Ids listed in the message when an input holds several records and none was named.
const IDS_LISTED: usize = 5;

/// The page to explain: the only record of `items`, or the one whose id or URL is `id`, or
/// whose line (JSONL) or record (WARC) number is N when `id` is `@N`.
/// Records are parsed one at a time; reading stops at the match.
///
/// # Errors
/// A message naming the input and the problem: no record, several records and no `id`, no
/// record with that id, or the chosen record could not be read or was skipped.
pub fn pick(
    items: impl Iterator<Item = Item>,
    id: Option<&str>,
    input: &str,
) -> Result<(Vec<u8>, InputMeta), String> {
    let mut seen = 0usize;
    let mut first: Option<Item> = None;
    let mut ids: Vec<String> = Vec::new();
    for item in items {
        let item = item.parse();
        seen += 1;
        let meta = match &item {
            Item::Page { meta, .. } | Item::Failed { meta, .. } | Item::Skipped { meta, .. } => {
                meta
            }
            Item::Raw { meta, .. } => meta,
        };
        let number = meta.line.or(meta.record);
        match id {
            Some(id)
                if meta.id.as_deref() == Some(id)
                    || meta.url.as_deref() == Some(id)
                    || number.is_some_and(|n| id.strip_prefix('@') == Some(&n.to_string())) =>
            {
                return into_page(item);
            }
            Some(_) => {}
            None => {
                if ids.len() < IDS_LISTED {
                    ids.push(match (&meta.id, number) {
                        (Some(id), _) => format!("{id:?}"),
                        (None, Some(n)) => format!("@{n}"),
                        (None, None) => crate::batch::describe(meta),
                    });
                }
                if first.is_some() {
                    // Count the rest only to say how many there are: stop at a bound.
                    if seen > 1000 {
                        break;
                    }
                    continue;
                }
                first = Some(item);
            }
        }
    }
    match (id, first) {
        (Some(id), _) => Err(format!(
            "{input}: no record with id, URL or number {id:?} among its {seen} records"
        )),
        (None, None) => Err(format!("{input}: no record to explain")),
        (None, Some(item)) if seen == 1 => into_page(item),
        (None, Some(_)) => Err(format!(
            "{input} holds {}{seen} records; pick one with --id ID (its id, URL or @N for the Nth), e.g. {}",
            if seen > 1000 { "more than " } else { "" },
            ids.join(", ")
        )),
    }
}

fn into_page(item: Item) -> Result<(Vec<u8>, InputMeta), String> {
    match item {
        Item::Page { bytes, meta } => Ok((bytes, meta)),
        Item::Failed {
            meta,
            error: InputError { kind, message },
            ..
        } => Err(format!(
            "{}: cannot be read ({kind}): {message}",
            crate::batch::describe(&meta)
        )),
        Item::Skipped {
            meta,
            reason,
            detail,
            ..
        } => Err(format!(
            "{}: not a page to clean ({reason}{})",
            crate::batch::describe(&meta),
            detail.map_or(String::new(), |d| format!(": {d}"))
        )),
        Item::Raw { meta, .. } => Err(format!(
            "{}: record left unparsed (a bug; please report it)",
            crate::batch::describe(&meta)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str) -> Item {
        Item::page(
            id.as_bytes().to_vec(),
            InputMeta {
                id: Some(id.to_string()),
                ..Default::default()
            },
        )
    }

    #[test]
    fn one_record_by_id_or_the_only_one() {
        let (bytes, _) = pick([page("a"), page("b")].into_iter(), Some("b"), "x").unwrap();
        assert_eq!(bytes, b"b");
        let (bytes, _) = pick([page("a")].into_iter(), None, "x").unwrap();
        assert_eq!(bytes, b"a");
        assert_eq!(
            pick([page("a"), page("b")].into_iter(), None, "x").unwrap_err(),
            "x holds 2 records; pick one with --id ID (its id, URL or @N for the Nth), e.g. \"a\", \"b\""
        );
        assert_eq!(
            pick([page("a")].into_iter(), Some("z"), "x").unwrap_err(),
            "x: no record with id, URL or number \"z\" among its 1 records"
        );
    }
}
