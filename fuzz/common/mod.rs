//! What the fuzz targets share: one cleaner, built once per process, without segmentation
//! (jieba is not what is being fuzzed, and it would slow every execution down), and the
//! reader targets' check that each item becomes one output record.
// Each target includes this module and uses part of it.
#![allow(dead_code)]

use std::sync::LazyLock;

use zhclean::internals::batch::{clean_item, Item};
use zhclean::{Cleaner, Options};

pub static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| {
    Cleaner::new(Options::default().segment(false)).expect("default options build")
});

/// Pages longer than this are cut before cleaning (see [`shorten`]).
pub const CLEAN_BYTES: usize = 512;

/// The item with its page cut to [`CLEAN_BYTES`]: the cleaner on arbitrary bytes is
/// `clean_bytes`'s job; the reader targets only need each item turned into one record, fast.
pub fn shorten(item: Item) -> Item {
    match item.parse() {
        Item::Page { mut bytes, meta } => {
            bytes.truncate(CLEAN_BYTES);
            Item::Page { bytes, meta }
        }
        other => other,
    }
}

/// Every item becomes exactly one output record: one line of JSON holding an object.
pub fn assert_one_json_line_each(items: Vec<Item>) {
    let count = items.len();
    let outcomes: Vec<String> = items
        .into_iter()
        .map(|item| clean_item(&CLEANER, shorten(item), None).to_json(false))
        .collect();
    assert_eq!(outcomes.len(), count);
    for line in &outcomes {
        assert!(!line.contains('\n'), "one output line per record");
        let value: serde_json::Value = serde_json::from_str(line).expect("output is JSON");
        assert!(value.is_object());
    }
}
