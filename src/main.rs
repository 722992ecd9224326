//! The `zhclean` command: a thin layer over the library. Its flags and run loop are the
//! library's `cli` feature (src/cli/, compiled only with that feature); every decision about
//! text lives in the library's stages.

// Only the binary picks an allocator; the library leaves that to whoever links it.
mod allocator;

use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::keep_freed_memory();
    zhclean::cli::run()
}
