//! The binary's allocator: mimalloc, kept from returning freed memory to the OS, with
//! allocations of [`HUGE`] bytes or more mapped and unmapped on their own.
//!
//! Not part of the library (a library leaves the allocator to whoever links it). The binary
//! declares it as `mod allocator`; the benchmarks and examples that compare figures with the
//! command line include this same file (`#[path = "../src/allocator.rs"]`), so they measure
//! the allocator the command line runs with, settings included.

#[cfg(feature = "mimalloc")]
use std::alloc::{GlobalAlloc, Layout, System};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: Split = Split;

/// Allocations at least this large go to the system allocator, which maps each one on its
/// own and unmaps it when it is freed.
///
/// Only a record of megabytes makes buffers this large (its text, its words, its JSON line),
/// a few copies of it while it is cleaned. Kept by mimalloc (which never purges here, see
/// [`keep_freed_memory`]), each copy would stay resident after it is freed, and the next, of
/// another size, often does not fit in its place: a 60 MB page peaks at 820 MB of RSS that
/// way, against 550 MB with the big buffers unmapped as they are freed. A batch of news pages
/// never allocates this much at once, so its allocations are all mimalloc's.
#[cfg(feature = "mimalloc")]
const HUGE: usize = 8 << 20;

/// mimalloc below [`HUGE`] bytes, the system allocator from there on. Which one owns a block
/// follows from its size alone, which every call is given.
#[cfg(feature = "mimalloc")]
struct Split;

#[cfg(feature = "mimalloc")]
// SAFETY: each call goes to the allocator that owns the block by its size (the layout's size
// on `dealloc`, the old size on `realloc`), and both allocators uphold `GlobalAlloc`'s
// contract; a block that changes sides on `realloc` is copied (the smaller of the two sizes)
// into a new block of the other side before the old one is freed.
unsafe impl GlobalAlloc for Split {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= HUGE {
            unsafe { System.alloc(layout) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= HUGE {
            unsafe { System.alloc_zeroed(layout) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= HUGE {
            unsafe { System.dealloc(ptr, layout) }
        } else {
            unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() >= HUGE, new_size >= HUGE) {
            (false, false) => unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) },
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: `new_size` with the old alignment is a valid layout (the caller
                // guarantees it does not overflow when rounded up to the alignment).
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let new = unsafe { self.alloc(new_layout) };
                if !new.is_null() {
                    // SAFETY: both blocks are valid for the smaller size and do not overlap.
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                new
            }
        }
    }
}

/// Sets mimalloc's arena reservation before the first allocation (so from `.init_array`, which
/// runs before Rust's own start-up allocates): 64 MiB at a time instead of 1 GiB. mimalloc
/// reserves that much address space on its first allocation and serves memory from it; under
/// an address-space limit (`ulimit -v`, `prlimit --as`) the 1 GiB reservation left too little
/// room for the rest, and a run failed with hundreds of megabytes of the limit unused. The
/// reservation is address space only; memory is committed as it is used. An explicit
/// `MIMALLOC_ARENA_RESERVE` in the environment is left to win.
#[cfg(all(feature = "mimalloc", target_os = "linux"))]
#[used]
#[link_section = ".init_array"]
static RESERVE_LESS_ADDRESS_SPACE: extern "C" fn() = reserve_less_address_space;

#[cfg(all(feature = "mimalloc", target_os = "linux"))]
extern "C" fn reserve_less_address_space() {
    // `mi_option_arena_reserve` in mimalloc's `mi_option_e` (v2), in KiB.
    const ARENA_RESERVE: libmimalloc_sys::mi_option_t = 23;
    // SAFETY: `getenv` with a NUL-terminated name reads the environment (nothing else runs
    // yet); `mi_option_set` stores a value in mimalloc's option table.
    unsafe {
        if libc::getenv(c"MIMALLOC_ARENA_RESERVE".as_ptr()).is_null() {
            libmimalloc_sys::mi_option_set(ARENA_RESERVE, 64 * 1024);
        }
    }
}

/// Turns off mimalloc's purging (returning memory freed for 10 ms to the OS). A batch run
/// frees and allocates the same few megabytes for every page, so purged memory comes straight
/// back as fresh pages (2 MiB transparent huge pages, each zeroed by the kernel): a tenth of
/// the run's CPU time went to that. Memory stays bounded by the run's own peak. And has glibc
/// map every allocation of [`HUGE`] bytes or more on its own (by default it keeps raising that
/// threshold to the size of the last block it unmapped, and then serves such blocks from its
/// heap, which it rarely gives back).
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
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: `mallopt` only sets a parameter of glibc's allocator; called before any
        // other thread starts.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, HUGE as libc::c_int);
        }
    }
}
