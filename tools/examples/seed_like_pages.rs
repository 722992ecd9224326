//! Writes the `clean` benchmark's seed-like pages (`benches/common/seed_like.rs`) to stdout as
//! JSONL, one `{"text": …}` per page: the input `tools/examples/stage_times.rs` and profilers take.
//!
//! ```text
//! cargo run --release -p zhclean-tools --example seed_like_pages > seed_like.jsonl
//! cargo run --release -p zhclean-tools --example stage_times -- seed_like.jsonl
//! ```

use std::io::Write;

#[path = "../../benches/common/seed_like.rs"]
mod seed_like;

fn main() -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for page in seed_like::seed_like_pages() {
        serde_json::to_writer(&mut out, &serde_json::json!({ "text": page }))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
