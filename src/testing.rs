//! Helpers shared by the unit tests: a fixed pseudo-random sequence, so that the inputs the
//! tests generate are the same on every run and a failure can be replayed; gzip members.

/// `data` as one gzip member (for the tests of the `cli` feature's readers).
#[cfg(feature = "cli")]
pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).expect("writing to a Vec");
    gz.finish().expect("writing to a Vec")
}

/// Marsaglia's xorshift64 (shifts 13, 7, 17): fast, deterministic, and plenty for picking
/// test inputs (not for anything else).
pub(crate) struct XorShift(u64);

impl XorShift {
    /// A sequence from `seed` (which must not be 0: xorshift would stay at 0).
    pub(crate) fn new(seed: u64) -> XorShift {
        XorShift(seed.max(1))
    }

    /// The next number of the sequence.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One of `items`, picked by the next number.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    /// A text of fewer than `max_len` characters of `alphabet` (the length picked first).
    pub(crate) fn text(&mut self, alphabet: &[char], max_len: u64) -> String {
        let len = self.next_u64() % max_len;
        (0..len).map(|_| *self.pick(alphabet)).collect()
    }
}

/// Calls `check(chunk, byte, other)` for every chunk of `N` bytes that holds `byte` at one
/// place and `other` everywhere else, for every pair of byte values and every place: the
/// exhaustive test of a check that looks at `N` bytes at once.
pub(crate) fn for_each_byte_among_others<const N: usize>(mut check: impl FnMut(&[u8; N], u8, u8)) {
    for byte in 0..=u8::MAX {
        for other in 0..=u8::MAX {
            for at in 0..N {
                let mut chunk = [other; N];
                chunk[at] = byte;
                check(&chunk, byte, other);
            }
        }
    }
}

/// Every text of at most `max_len` characters of `alphabet`, shortest first (the empty text
/// included): the exhaustive inputs of a test over a small alphabet.
pub(crate) fn every_text(alphabet: &[char], max_len: usize) -> Vec<String> {
    let mut texts = vec![String::new()];
    let mut from = 0;
    for _ in 0..max_len {
        let end = texts.len();
        for i in from..end {
            for &c in alphabet {
                let mut text = texts[i].clone();
                text.push(c);
                texts.push(text);
            }
        }
        from = end;
    }
    texts
}
