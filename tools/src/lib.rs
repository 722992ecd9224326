//! zhclean's evaluation code, shared by the examples of this crate (`tools/examples/`): the
//! body metric and the devset loaders. Not published; see `tools/Cargo.toml` for the programs.

pub mod eval;
