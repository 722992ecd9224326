//! The HTML path: arbitrary bytes inside a page skeleton, forced through HTML extraction.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use zhclean::Format;
use zhclean::InputMeta;

use common::CLEANER;

fuzz_target!(|data: &[u8]| {
    let mut page = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>T</title></head><body><div class=\"article\">".to_vec();
    page.extend_from_slice(data);
    page.extend_from_slice(b"</div></body></html>");
    let html = InputMeta::default().format(Format::Html);
    let _ = CLEANER.clean_record(&page, &html);
    let _ = CLEANER.clean_record(data, &html);
    // And the raw bytes as they are (the sniffer decides).
    let _ = CLEANER.clean_record(data, &InputMeta::default());
});
