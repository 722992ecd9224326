//! `Cleaner::clean` on arbitrary bytes: must never panic, and a success has a body.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zhclean::{Cleaner, InputMeta, Options};

static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| {
    Cleaner::new(Options {
        segment: false,
        ..Options::default()
    })
    .expect("default options build")
});

fuzz_target!(|data: &[u8]| {
    let _ = CLEANER.clean_record(data, &InputMeta::default());
});
