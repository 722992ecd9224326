//! The `zhclean` command: a thin layer over the library. Flags are defined in `cli/args.rs`;
//! every decision about text lives in the `zhclean` library.

// Only the binary picks an allocator; the library leaves that to whoever links it.
mod allocator;
mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::keep_freed_memory();
    cli::run()
}
