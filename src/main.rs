//! The `zhclean` command: a thin layer over the library. Flags are defined in `cli/args.rs`;
//! every decision about text lives in the `zhclean` library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
