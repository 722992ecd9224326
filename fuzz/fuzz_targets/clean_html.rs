//! The HTML path: arbitrary bytes inside a page skeleton, forced through HTML extraction.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zhclean::extract::html::Format;
use zhclean::{Cleaner, InputMeta, Options};

static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| {
    Cleaner::new(Options {
        segment: false,
        ..Options::default()
    })
    .expect("default options build")
});

fuzz_target!(|data: &[u8]| {
    let mut page = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>T</title></head><body><div class=\"article\">".to_vec();
    page.extend_from_slice(data);
    page.extend_from_slice(b"</div></body></html>");
    let html = InputMeta {
        format: Some(Format::Html),
        ..InputMeta::default()
    };
    let _ = CLEANER.clean_record(&page, &html);
    let _ = CLEANER.clean_record(data, &html);
    // And the raw bytes as they are (the sniffer decides).
    let _ = CLEANER.clean_record(data, &InputMeta::default());
});
