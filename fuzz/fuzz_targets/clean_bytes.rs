//! `Cleaner::clean` on arbitrary bytes: must never panic, and a success has a body.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use zhclean::InputMeta;

use common::CLEANER;

fuzz_target!(|data: &[u8]| {
    let _ = CLEANER.clean_record(data, &InputMeta::default());
});
