//! What every fuzz target shares: one cleaner, built once per process, without segmentation
//! (jieba is not what is being fuzzed, and it would slow every execution down).

use std::sync::LazyLock;

use zhclean::{Cleaner, Options};

pub static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| {
    Cleaner::new(Options {
        segment: false,
        ..Options::default()
    })
    .expect("default options build")
});
