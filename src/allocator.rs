//! The binary's allocator: mimalloc, kept from returning freed memory to the OS.
//!
//! Not part of the library (a library leaves the allocator to whoever links it). The binary
//! declares it as `mod allocator`; the benchmarks and examples that compare figures with the
//! command line include this same file (`#[path = "../src/allocator.rs"]`), so they measure
//! the allocator the command line runs with, settings included.

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns off mimalloc's purging (returning memory freed for 10 ms to the OS). A batch run
/// frees and allocates the same few megabytes for every page, so purged memory comes straight
/// back as fresh pages (2 MiB transparent huge pages, each zeroed by the kernel): a tenth of
/// the run's CPU time went to that. Memory stays bounded by the run's own peak.
///
/// Call it first thing in `main`. Without the `mimalloc` feature it does nothing.
pub fn keep_freed_memory() {
    #[cfg(feature = "mimalloc")]
    {
        // `mi_option_purge_delay` in mimalloc's `mi_option_e` (v2 and v3 alike);
        // libmimalloc-sys names only the older options.
        const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        // SAFETY: `mi_option_set` stores a value in mimalloc's option table; any value is
        // valid for this option (-1: never purge).
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    }
}
