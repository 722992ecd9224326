//! Run report (placeholder, filled below).
