//! The `zhclean` command: a thin layer over the library. Flags are defined in `cli/args.rs`;
//! every decision about text lives in the `zhclean` library.

mod cli;

// Only the binary picks an allocator; the library leaves that to whoever links it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
