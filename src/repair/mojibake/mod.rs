//! Mojibake repair: text that was decoded with the wrong encoding, re-encoded and decoded
//! with the right one — only where that is a clear win.
//!
//! Four confusions, each tried on the spans it can produce:
//!
//! | kind | looks like | undo |
//! |---|---|---|
//! | UTF-8 read as GBK | `鍦版柟鏀垮簻` | encode GBK, decode UTF-8 → `地方政府` |
//! | UTF-8 read as windows-1252/Latin-1 | `æ•°æ®` | encode windows-1252 (Latin-1 for C1 controls), decode UTF-8 → `数据` |
//! | GBK read as Big5 | traditional-looking nonsense | encode Big5, decode GBK |
//! | Big5 read as GBK | simplified-looking nonsense | encode GBK, decode Big5 |
//!
//! A *span* is a maximal run of characters the wrong decoder can produce, without whitespace
//! (for the Latin-1 kind: characters U+0080–U+00FF and windows-1252's extra letters, with
//! any ASCII inside the run; for the CJK kinds: double-byte characters of the wrong
//! encoding). UTF-8-as-GBK spans are cut into the sub-runs whose GBK bytes are valid UTF-8;
//! GBK↔Big5 spans are only tried when at least a third of their Han characters are rare in
//! jieba's dictionary (mojibake is full of rare characters; running text is not).
//!
//! Gates: this stage sees every page, so a text is only scanned for a kind when it carries
//! that kind's signature, found in one cheap pass: for Latin-1, a UTF-8 lead byte's character
//! followed by a continuation byte's; for UTF-8-as-GBK, a run whose GBK bytes are valid UTF-8
//! *and* spell at least two CJK characters (short valid runs that spell Latin or Cyrillic
//! letters occur on most clean pages); for GBK↔Big5, two rare Han characters at most three
//! characters apart. Per-character encoding goes through `codepage`'s lookup tables.
//!
//! Acceptance: the round trip must be exact (strict decoding, no replacement) except that a
//! last character cut short may be marked U+FFFD, and the repaired span must be clearly
//! more probable Chinese under [`crate::model`]: at least [`MIN_MEAN_GAIN`] nats better
//! per character *and* [`MIN_GAIN`] nats better in total. A GBK-as-UTF-8 span is also an
//! exact UTF-8 round trip, which random text almost never is, so these thresholds mostly
//! matter for the GBK↔Big5 kinds, where any byte string decodes. Clean text of every
//! devset page passes through unchanged (`tools/examples/mojibake_eval.rs`).
//!
//! ```
//! use zhclean::internals::repair::mojibake::repair;
//! assert_eq!(repair("据报道，鍦版柟鏀垮簻表示").text, "据报道，地方政府表示");
//! ```
//!
//! Files: this one holds the repair (spans, round trips, acceptance); `gate.rs` the cheap
//! one-pass scan that decides which kinds a text is searched for; `utf8_run.rs` the search for
//! runs whose wrong-encoding bytes are valid UTF-8. Each fast scan has its plain definition
//! beside it in a test module, and a differential test that they agree.

use encoding_rs::{Encoding, BIG5, GBK, UTF_8, WINDOWS_1252};

use super::codepage::{encode_slowly, DoubleByte, Encoded};
use crate::article::{RepairKind, RepairedSpan};
use crate::model::{is_han, model, CharModel};
use gate::{has_rare_cluster, scan_gates};
use utf8_run::utf8_subruns;

mod gate;
mod utf8_run;

/// Minimum gain in mean log-probability per character (nats).
pub const MIN_MEAN_GAIN: f64 = 2.0;
/// Minimum total gain in log-probability (nats): a likelihood ratio above e¹² ≈ 10⁵.
pub const MIN_GAIN: f64 = 12.0;
/// Longest span tried, in characters (longer runs are tried in pieces of this size).
const MAX_SPAN: usize = 4096;
/// What a character cut short by the wrong decoding becomes.
const LOST: char = '\u{FFFD}';

/// Text after mojibake repair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixed {
    /// The text with every accepted repair applied.
    pub text: String,
    /// The replaced spans, in text order.
    pub spans: Vec<RepairedSpan>,
    /// Characters with bytes lost to a replacing decoder that could not be recovered: left
    /// out of the text (see [`super::lossy`]).
    pub dropped: usize,
}

/// Repairs mojibake spans in `text`. Never panics; clean text comes back unchanged.
pub fn repair(text: &str) -> Fixed {
    let m = model();
    let mut fixed = Fixed {
        text: text.to_owned(),
        spans: Vec::new(),
        dropped: 0,
    };
    if has_latin1_signature(text) {
        fixed = apply(&fixed, m, Kind::Utf8AsLatin1);
    }
    // Cheap gates first: this stage sees every page, and clean text must cost next to nothing.
    // UTF-8 read as GBK is proven by its signature: a run of characters whose GBK bytes are
    // valid UTF-8 (exact, and rare in real text).
    // GBK and Big5 read as each other give runs dense in rare characters (about one in a
    // million in running text): two within three characters of each other is the gate.
    // Both gates come from one scan; the second is asked again only if the first repair
    // changed the text.
    let gates = scan_gates(&fixed.text, m);
    let mut rare_cluster = gates.rare_cluster;
    if gates.utf8_as_gbk {
        // Spans through ASCII and U+FFFD, lost bytes guessed: its own step.
        let lossy = super::lossy::repair(&fixed.text);
        if lossy.text != fixed.text {
            fixed.text = lossy.text;
            fixed.spans.extend(lossy.spans);
            fixed.dropped += lossy.dropped;
            rare_cluster = has_rare_cluster(&fixed.text, m);
        }
    }
    if rare_cluster {
        for kind in [Kind::GbkAsBig5, Kind::Big5AsGbk] {
            fixed = apply(&fixed, m, kind);
        }
    }
    fixed
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Utf8AsLatin1,
    GbkAsBig5,
    Big5AsGbk,
}

impl Kind {
    /// (the encoding the text was wrongly decoded with, the right one)
    fn encodings(self) -> (&'static Encoding, &'static Encoding) {
        match self {
            Kind::Utf8AsLatin1 => (WINDOWS_1252, UTF_8),
            Kind::GbkAsBig5 => (BIG5, GBK),
            Kind::Big5AsGbk => (GBK, BIG5),
        }
    }

    fn repair_kind(self) -> RepairKind {
        match self {
            Kind::Utf8AsLatin1 => RepairKind::Utf8AsLatin1,
            Kind::GbkAsBig5 => RepairKind::GbkAsBig5,
            Kind::Big5AsGbk => RepairKind::Big5AsGbk,
        }
    }

    /// Can `c` be part of a span of this kind?
    fn in_span(self, c: char) -> bool {
        match self {
            Kind::Utf8AsLatin1 => {
                (c.is_ascii() && !c.is_ascii_whitespace()) || is_latin1_mojibake_char(c)
            }
            // Non-ASCII characters of the wrong encoding (GBK's one-byte `€` = 0x80 included).
            _ => {
                !c.is_ascii() && !c.is_whitespace() && encode_char(self.encodings().0, c).is_some()
            }
        }
    }
}

/// UTF-8 read as windows-1252/Latin-1 always shows a lead byte of a multi-byte sequence
/// (`Â`–`ï`, U+00C2–U+00EF) directly followed by a continuation byte's character (U+0080–
/// U+00BF or windows-1252's letters for 0x80–0x9F). Curly quotes and dashes alone, which all
/// Chinese text has, are not a signature.
///
/// Every lead character U+00C2–U+00EF is written `C3 82`–`C3 AF` in UTF-8, and a `0xC3` byte
/// is always the first byte of a character (U+00C0–U+00FF) in a `str`: so the signature is
/// looked for only after each `0xC3` byte (a memchr jump), by decoding the one character
/// after it. Most texts have none; pinyin-annotated ones have one per accented syllable.
/// Exact: the same test as walking every character (`tests::latin1_signature_by_characters`).
fn has_latin1_signature(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC3, bytes).any(|at| {
        matches!(bytes.get(at + 1), Some(0x82..=0xAF))
            && text
                .get(at + 2..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| is_latin1_mojibake_char(c) && !matches!(c as u32, 0xC0..=0xFF))
    })
}

/// Non-ASCII characters windows-1252 / Latin-1 decoding produces.
fn is_latin1_mojibake_char(c: char) -> bool {
    // ASCII first: the list below is searched character by character.
    !c.is_ascii() && (matches!(c as u32, 0x80..=0xFF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c))
}

/// `c`'s bytes in `encoding` (GBK and Big5 through the fast tables: this runs on every
/// character of the pages scanned).
fn encode_char(encoding: &'static Encoding, c: char) -> Option<Encoded> {
    if let Some(table) = DoubleByte::of(encoding) {
        return table.encode(c);
    }
    if encoding == WINDOWS_1252 && matches!(c as u32, 0x80..=0x9F) {
        // C1 controls: Latin-1 decoding of bytes windows-1252 leaves undefined (0x81, 0x8D…)
        // or of any 0x80–0x9F byte by an ISO-8859-1 decoder.
        return Some(Encoded::single(c as u32 as u8));
    }
    encode_slowly(encoding, c)
}

fn apply(input: &Fixed, m: &CharModel, kind: Kind) -> Fixed {
    let text = &input.text;
    let mut out = String::with_capacity(text.len());
    let mut spans = input.spans.clone();
    let mut copied = 0;
    let mut start: Option<usize> = None;
    let mut count = 0;
    let boundaries = text
        .char_indices()
        .map(|(i, c)| (i, Some(c)))
        .chain(std::iter::once((text.len(), None)));
    for (i, c) in boundaries {
        let inside = c.is_some_and(|c| kind.in_span(c)) && count < MAX_SPAN;
        match (start, inside) {
            (None, true) => {
                start = Some(i);
                count = 1;
            }
            (Some(_), true) => count += 1,
            (Some(s), false) => {
                let pieces = match kind {
                    // Cut into the sub-runs whose bytes are valid UTF-8, so that a byte that is not UTF-8 (`ù` in
                    // `shù)?æ•°`) does not sink a valid neighbour, then at every ASCII
                    // character (an ASCII byte is a whole UTF-8 character, so each non-ASCII
                    // run of a valid sub-run is valid on its own): ASCII reads the same
                    // either way, and judging it with the span would make the decision depend
                    // on it, so that decoding `&amp;` or widening `:` would change it and
                    // repairing the output again would not be a no-op.
                    Kind::Utf8AsLatin1 => utf8_subruns(&text[s..i], WINDOWS_1252)
                        .into_iter()
                        .flat_map(|(a, b)| non_ascii_runs(&text[s + a..s + b], s + a))
                        .collect(),
                    _ => vec![(s, i)],
                };
                for (a, b) in pieces {
                    if let Some(after) = try_span(&text[a..b], m, kind) {
                        out.push_str(&text[copied..a]);
                        out.push_str(&after);
                        spans.push(RepairedSpan::new(
                            kind.repair_kind(),
                            text[a..b].to_string(),
                            after,
                        ));
                        copied = b;
                    }
                }
                start = c.filter(|&c| kind.in_span(c)).map(|_| i);
                count = usize::from(start.is_some());
            }
            (None, false) => {}
        }
    }
    out.push_str(&text[copied..]);
    Fixed {
        text: out,
        spans,
        dropped: input.dropped,
    }
}

/// The repaired form of `span`, if it is a clear win.
fn try_span(span: &str, m: &CharModel, kind: Kind) -> Option<String> {
    // Cheap filters first: a Latin-1 span needs a UTF-8 lead byte character (Â–ï); a CJK
    // span needs at least two characters, a third of its Han characters rare.
    match kind {
        Kind::Utf8AsLatin1 => {
            if !span.chars().any(|c| matches!(c as u32, 0xC2..=0xEF)) {
                return None;
            }
        }
        Kind::GbkAsBig5 | Kind::Big5AsGbk => {
            let (mut chars, mut han, mut rare) = (0, 0, 0);
            for c in span.chars() {
                chars += 1;
                if is_han(c) {
                    han += 1;
                    rare += usize::from(m.is_rare(c));
                }
            }
            if chars < 2 || rare * 3 < han.max(1) {
                return None;
            }
        }
    }
    let (wrong, right) = kind.encodings();
    let mut bytes = Vec::with_capacity(span.len());
    for c in span.chars() {
        bytes.extend_from_slice(encode_char(wrong, c)?.as_slice());
    }
    let candidate = decode_strictly(right, &bytes)?;
    if candidate == span
        || candidate
            .chars()
            .any(|c| c.is_control() || matches!(c as u32, 0xE000..=0xF8FF))
    {
        return None;
    }
    let before = m.logp(span, None);
    let after = m.logp(&candidate.replace(LOST, "?"), None);
    let mean_gain =
        after / candidate.chars().count().max(1) as f64 - before / span.chars().count() as f64;
    (mean_gain >= MIN_MEAN_GAIN && after - before >= MIN_GAIN).then_some(candidate)
}

/// Decodes `bytes` with no replacement, except that an incomplete last character becomes
/// one U+FFFD (the wrong decoder often cut the last one short).
fn decode_strictly(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    if let Some(s) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        return Some(s.into_owned());
    }
    let keep = if encoding == UTF_8 {
        match std::str::from_utf8(bytes) {
            // Only an incomplete sequence at the very end is forgiven.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => return None,
        }
    } else {
        // A lone lead byte at the end.
        match bytes.split_last() {
            Some((&last, _)) if last >= 0x81 => bytes.len() - 1,
            _ => return None,
        }
    };
    if keep == 0 {
        return None;
    }
    let s = encoding.decode_without_bom_handling_and_without_replacement(&bytes[..keep])?;
    let mut s = s.into_owned();
    s.push(LOST);
    Some(s)
}

/// The maximal runs of non-ASCII characters of `piece`, as byte ranges offset by `offset`.
fn non_ascii_runs(piece: &str, offset: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in piece.char_indices() {
        match (start, c.is_ascii()) {
            (None, false) => start = Some(i),
            (Some(a), true) => {
                runs.push((offset + a, offset + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        runs.push((offset + a, offset + piece.len()));
    }
    runs
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Our own sentences, mis-decoded the way broken pipelines do it.
    pub(crate) fn misdecode(
        text: &str,
        right: &'static Encoding,
        wrong: &'static Encoding,
    ) -> String {
        let (bytes, _, _) = right.encode(text);
        wrong.decode_without_bom_handling(&bytes).0.into_owned()
    }

    pub(crate) fn latin1(text: &str) -> String {
        // ISO-8859-1 as Python's `.decode("latin-1")` does it: every byte to U+00XX.
        text.bytes().map(char::from).collect()
    }

    /// Texts for the gates' differential tests: mojibake of each kind, clean text (the seed
    /// page), every seed line mis-decoded and cut at every third character, and every BMP
    /// character alone and in a triple with two neighbours of its kind.
    pub(crate) fn signature_texts() -> Vec<String> {
        let seed = include_str!("../../../fixtures/seed/000_f764d41b789eb620.txt");
        let mut texts: Vec<String> = vec![
            misdecode("据报道，地方政府表示将加强管理。", UTF_8, GBK),
            format!("据报道，{}表示", misdecode("地方政府", UTF_8, GBK)),
            misdecode("数据显示经济增长稳定", UTF_8, WINDOWS_1252),
            latin1("数据显示"),
            "café résumé naïve — “quoted” • item Ã©".into(),
            "€€€ 鍦€版 柟鏀a垮簻 è¿™".into(),
            "貤l貤 貤貤 貤a b貤 貤".into(),
            misdecode("北京市政府今天召开新闻发布会", GBK, BIG5),
            misdecode("台北市政府今天召開記者會說明", BIG5, GBK),
        ];
        texts.extend(seed.lines().map(str::to_string));
        for line in seed.lines().take(12) {
            let bad = misdecode(line, UTF_8, GBK);
            let cuts: Vec<String> = bad
                .char_indices()
                .step_by(3)
                .map(|(at, _)| bad[at..].to_string())
                .collect();
            texts.extend(cuts);
        }
        for c in (0x80..=0xFFFFu32).filter_map(char::from_u32) {
            texts.push(format!("{c}鍦{c}版{c}"));
        }
        texts
    }

    /// [`has_latin1_signature`] by definition: a lead character directly followed by a
    /// continuation byte's character, found by walking every character.
    fn latin1_signature_by_characters(text: &str) -> bool {
        let mut previous_is_lead = false;
        for c in text.chars() {
            if previous_is_lead && is_latin1_mojibake_char(c) && !matches!(c as u32, 0xC0..=0xFF) {
                return true;
            }
            previous_is_lead = matches!(c as u32, 0xC2..=0xEF);
        }
        false
    }

    #[test]
    fn latin1_signature_agrees_with_walking_every_character() {
        for text in signature_texts() {
            assert_eq!(
                has_latin1_signature(&text),
                latin1_signature_by_characters(&text),
                "{text}"
            );
        }
    }

    #[test]
    fn utf8_read_as_gbk() {
        assert_eq!(misdecode("地方政府", UTF_8, GBK), "鍦版柟鏀垮簻");
        let damaged = format!(
            "据报道，{}表示将加强管理。",
            misdecode("地方政府", UTF_8, GBK)
        );
        let fixed = repair(&damaged);
        assert_eq!(fixed.text, "据报道，地方政府表示将加强管理。");
        assert_eq!(fixed.spans[0].kind, RepairKind::Utf8AsGbk);
        let sentence = "国家统计局今天发布了最新的经济数据";
        assert_eq!(repair(&misdecode(sentence, UTF_8, GBK)).text, sentence);
    }

    #[test]
    fn utf8_read_as_latin1_and_windows_1252() {
        let sentence = "数据显示经济增长稳定";
        let w1252 = misdecode(sentence, UTF_8, WINDOWS_1252);
        // `据` is E6 8D AE: 0x8D is undefined in windows-1252 and decodes to U+008D.
        assert!(w1252.starts_with("æ•°æ\u{8D}®"), "{w1252}");
        assert_eq!(repair(&w1252).text, sentence);
        assert_eq!(repair(&latin1(sentence)).text, sentence);
        assert_eq!(
            repair(&format!("Report: {w1252}")).text,
            format!("Report: {sentence}")
        );
    }

    #[test]
    fn gbk_and_big5_confusions() {
        let simplified = "北京市政府今天召开新闻发布会";
        let as_big5 = misdecode(simplified, GBK, BIG5);
        assert_eq!(repair(&as_big5).text, simplified, "{as_big5}");
        let traditional = "台北市政府今天召開記者會說明";
        let as_gbk = misdecode(traditional, BIG5, GBK);
        assert_eq!(repair(&as_gbk).text, traditional, "{as_gbk}");
    }

    #[test]
    fn latin1_span_with_a_non_utf8_neighbour_is_repaired_in_one_pass() {
        // `ù` (F9) is no UTF-8 byte: it must not sink `æ•°` (`数`) next to it, or the decision
        // flips once `)?` become `）？` and repairing the output again changes it.
        assert_eq!(repair("（shù)?æ•°据住房").text, "（shù)?数据住房");
        assert_eq!(repair("（shù）？æ•°据住房").text, "（shù）？数据住房");
        assert_eq!(repair("ù æ•°").text, "ù 数");
    }

    #[test]
    fn ascii_inside_a_latin1_span_does_not_change_the_decision() {
        // Once failed idempotence: judged with `:</p>&amp;` between them, the two `æ•°`
        // were not repaired; after `&amp;` became `&` they were.
        assert_eq!(
            repair("据住房æ•°:</p>&amp;æ•°").text,
            "据住房数:</p>&amp;数"
        );
        assert_eq!(repair("据住房æ•°:</p>&æ•°").text, "据住房数:</p>&数");
    }

    #[test]
    fn clean_text_is_untouched() {
        for text in [
            "café résumé naïve — “quoted” • item",
            "据住房和城乡建设部官网消息，按照完全自愿原则。",
            "臺灣的鄉鎮市區，語言與習俗各異。",
            "Ça va? Très bien. 10 °C, 5 €.",
            "魑魅魍魉，饕餮耄耋。",
            "",
        ] {
            assert_eq!(repair(text).text, text);
        }
    }
}
