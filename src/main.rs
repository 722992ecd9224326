//! The `zhclean` command: a thin layer over the library. Flags are defined in `cli/args.rs`;
//! every decision about text lives in the `zhclean` library.

mod cli;

// Only the binary picks an allocator; the library leaves that to whoever links it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(feature = "mimalloc")]
    keep_freed_memory();
    cli::run()
}

/// Turns off mimalloc's purging (returning memory freed for 10 ms to the OS). A batch run
/// frees and allocates the same few megabytes for every page, so purged memory comes straight
/// back as fresh pages (2 MiB transparent huge pages, each zeroed by the kernel): a tenth of
/// the run's CPU time went to that. Memory stays bounded by the run's own peak.
#[cfg(feature = "mimalloc")]
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc's `mi_option_e` (v2 and v3 alike); libmimalloc-sys
    // names only the older options.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: `mi_option_set` stores a value in mimalloc's option table; any value is valid
    // for this option (-1: never purge).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}
