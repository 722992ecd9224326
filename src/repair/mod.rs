//! Repair stage: decoded text in, clean text out, every change counted in [`Repairs`].
//!
//! Steps, in order (each its own file):
//! 0. Forensics, on the text exactly as decoded (they need the raw `?`, U+FFFD, syllables
//!    and shifted characters): [`recover`] re-aligns GBK/Big5 byte-shift damage and
//!    [`mojibake`] re-decodes text read with the wrong encoding ([`lossy`]: UTF-8 read as
//!    GBK, also where a replacing decoder lost bytes); each replaced span is returned in
//!    [`Repaired::spans`], characters that could not be recovered are dropped and counted.
//! 1. [`normalize`]: HTML entities, control / zero-width / private-use characters dropped,
//!    U+3000 and NBSP to spaces, full-width digits and Latin letters to ASCII, whitespace
//!    runs collapsed, paragraph breaks (`\n`) kept.
//! 2. [`pinyin`]: `X(py)` annotations removed when `py` is a reading of `X` (also when an
//!    encoder replaced its tone vowels by `?`: `飽(b?o)`).
//! 3. [`garbled`]: orphans of broken conversion (`?shù)`) removed (then 2 and 3 again while
//!    either changes something: removing debris can expose an annotation).
//! 4. [`punct`]: ASCII `, : ; ( ) ! ?` in Chinese context to full width.
//! 5. [`script`]: traditional → simplified (phrase level), skipped when the text has no
//!    traditional characters.
//!
//! Contract: the output never contains a character that was neither in the input nor produced
//! by a counted repair; `\n` paragraph breaks survive; repairing already-repaired text is a
//! no-op (idempotence).

use std::borrow::Cow;

use crate::article::{RepairedSpan, Repairs};

mod chars;
pub(crate) mod codepage;
pub mod garbled;
pub mod lossy;
pub mod mojibake;
pub mod normalize;
pub mod pinyin;
pub mod punct;
pub mod recover;
mod replacement;
pub mod script;

/// Which script the output should be in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Script {
    /// Convert traditional characters to simplified (phrase level, OpenCC dictionaries).
    #[default]
    Simplified,
    /// Leave the script alone.
    Keep,
}

impl Script {
    /// Every script, in the order the CLI's help lists them.
    pub const ALL: [Script; 2] = [Script::Simplified, Script::Keep];

    /// The name used on the command line (`--script`) and in Python (`script=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Keep => "keep",
        }
    }
}

/// Parses the names [`Script::as_str`] gives; the one parser of `--script` and Python's
/// `script=`.
///
/// ```
/// use zhclean::Script;
/// assert_eq!("keep".parse::<Script>().unwrap(), Script::Keep);
/// assert_eq!(
///     "trad".parse::<Script>().unwrap_err().to_string(),
///     r#"invalid option: script must be "simplified" or "keep", not "trad""#
/// );
/// ```
impl std::str::FromStr for Script {
    type Err = crate::error::Error;

    fn from_str(name: &str) -> Result<Script, Self::Err> {
        crate::error::parse_choice("script", &Script::ALL, Script::as_str, name)
    }
}

/// The repaired text and what was changed to get it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repaired {
    /// The clean text; paragraphs separated by `\n`.
    pub text: String,
    /// Counts of each kind of change.
    pub repairs: Repairs,
    /// Spans replaced by byte-shift recovery and mojibake repair, in text order.
    pub spans: Vec<RepairedSpan>,
}

/// Runs the repair steps. Build once (the script converter loads dictionaries), share freely:
/// it is `Send + Sync`.
pub struct Repairer {
    /// `None` for [`Script::Keep`]: no dictionaries are loaded then.
    to_simplified: Option<script::ToSimplified>,
}

impl Repairer {
    /// Builds a repairer for the given target script.
    pub fn new(script: Script) -> Repairer {
        let to_simplified = match script {
            Script::Simplified => Some(script::ToSimplified::new()),
            Script::Keep => None,
        };
        Repairer { to_simplified }
    }

    /// Repairs `text`. Never panics, whatever the input. Byte-shift damage is assumed to be
    /// GBK's (see [`Repairer::repair_decoded`]).
    #[cfg(any(test, feature = "internals"))]
    pub fn repair(&self, text: &str) -> Repaired {
        self.repair_decoded(text, encoding_rs::GBK)
    }

    /// Repairs `text` that was decoded from `source` (the decode stage's encoding). Byte-shift
    /// damage is looked for in GBK (where converters made it, whatever the page's encoding
    /// now is), and for Big5 sources in Big5 as well.
    pub fn repair_decoded(&self, text: &str, source: &'static encoding_rs::Encoding) -> Repaired {
        self.run(text, source, None)
    }

    /// [`Repairer::repair_decoded`], also returning the text after each step that changed it
    /// (for the explain page, which diffs consecutive texts to show each change with its
    /// kind). The plain path keeps no copies.
    #[cfg(feature = "cli")]
    pub fn repair_traced(
        &self,
        text: &str,
        source: &'static encoding_rs::Encoding,
    ) -> (Repaired, Vec<Step>) {
        let mut steps = Vec::new();
        let repaired = self.run(text, source, Some(&mut steps));
        (repaired, steps)
    }

    fn run(
        &self,
        text: &str,
        source: &'static encoding_rs::Encoding,
        mut trace: Option<&mut Vec<Step>>,
    ) -> Repaired {
        let input = text;
        let mut note = |kind: StepKind, text: &str| {
            if let Some(steps) = trace.as_mut() {
                if steps.last().map_or(input, |s: &Step| s.text.as_str()) != text {
                    steps.push(Step {
                        kind,
                        text: text.to_string(),
                    });
                }
            }
        };
        let mut repairs = Repairs::default();
        let mut recovered = recover::recover(text, encoding_rs::GBK);
        if source == encoding_rs::BIG5 {
            let big5 = recover::recover(&recovered.text, encoding_rs::BIG5);
            recovered.text = big5.text;
            recovered.spans.extend(big5.spans);
        }
        note(StepKind::Recovered, &recovered.text);
        repairs.recovered = recovered.spans.len();
        let fixed = mojibake::repair(&recovered.text);
        note(StepKind::Mojibake, &fixed.text);
        repairs.mojibake = fixed.spans.len();
        repairs.dropped_chars += fixed.dropped;
        let mut spans = recovered.spans;
        spans.extend(fixed.spans);
        let text = normalize::normalize(&fixed.text, &mut repairs);
        note(StepKind::Normalized, &text);
        let mut text = pinyin::strip_annotations(&text, &mut repairs);
        note(StepKind::Pinyin, &text);
        // Removing debris can put a character right before an annotation of its own
        // (`数\u{FFFD}（shù)`), and stripping that can put a character before debris: repeat
        // while either changes something, so that repairing the output again is a no-op.
        // Real pages need one round; four bounds the work on adversarial input.
        for _ in 0..4 {
            let (garbled, annotations) = (repairs.garbled, repairs.pinyin_annotations);
            text = garbled::remove_orphans(&text, &mut repairs);
            note(StepKind::Garbled, &text);
            if repairs.garbled == garbled {
                break;
            }
            text = pinyin::strip_annotations(&text, &mut repairs);
            note(StepKind::Pinyin, &text);
            if repairs.pinyin_annotations == annotations {
                break;
            }
        }
        let text = owned_if_changed(punct::convert(&text, &mut repairs)).unwrap_or(text);
        note(StepKind::Punctuation, &text);
        let text = match &self.to_simplified {
            Some(converter) => converter.convert(&text, &mut repairs),
            None => text,
        };
        note(StepKind::ToSimplified, &text);
        Repaired {
            text,
            repairs,
            spans,
        }
    }
}

/// Which repair step made a [`Step`]'s change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// [`recover`]: GBK/Big5 byte-shift damage re-aligned.
    Recovered,
    /// [`mojibake`]: text decoded with the wrong encoding re-decoded.
    Mojibake,
    /// [`normalize`]: entities, invisible characters, full-width ASCII, whitespace.
    Normalized,
    /// [`pinyin`]: `X(py)` annotations removed.
    Pinyin,
    /// [`garbled`]: orphans of broken conversion removed.
    Garbled,
    /// [`punct`]: half-width punctuation in Chinese context to full width.
    Punctuation,
    /// [`script`]: traditional → simplified.
    ToSimplified,
}

#[cfg(feature = "cli")] // the explain page
impl StepKind {
    /// A short snake_case name (`pinyin`, `to_simplified`, …), as in [`Repairs`]' fields.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Recovered => "recovered",
            StepKind::Mojibake => "mojibake",
            StepKind::Normalized => "normalized",
            StepKind::Pinyin => "pinyin",
            StepKind::Garbled => "garbled",
            StepKind::Punctuation => "punctuation",
            StepKind::ToSimplified => "to_simplified",
        }
    }
}

/// The whole text after one repair step that changed it ([`Repairer::repair_traced`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The step.
    pub kind: StepKind,
    /// The text after it.
    pub text: String,
}

/// The new text of a step that borrows its input back when it changes nothing (`None` then:
/// the caller keeps its own `String` instead of copying it).
fn owned_if_changed(text: Cow<'_, str>) -> Option<String> {
    match text {
        Cow::Owned(text) => Some(text),
        Cow::Borrowed(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    const SEED: &str = include_str!("../../fixtures/seed/000_f764d41b789eb620.txt");

    fn simplifier() -> &'static Repairer {
        static REPAIRER: OnceLock<Repairer> = OnceLock::new();
        REPAIRER.get_or_init(|| Repairer::new(Script::Simplified))
    }

    #[test]
    fn debris_between_a_character_and_its_annotation_goes_in_one_pass() {
        // Found by the idempotence property: the U+FFFD went after the annotation step, and
        // the next clean then stripped `（shù）`.
        let keep = Repairer::new(Script::Keep);
        let once = keep.repair("æ•°\u{FFFD}（shù)").text;
        assert_eq!(once, "数");
        assert_eq!(keep.repair(&once).text, once);
    }

    #[test]
    fn repairer_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Repairer>();
    }

    #[test]
    fn seed_first_paragraph_and_byline() {
        let repaired = simplifier().repair(SEED);
        let paragraphs: Vec<&str> = repaired.text.split('\n').collect();
        assert_eq!(
            paragraphs[0],
            "据住房和城乡建设部官网消息，按照完全自愿原则，在尊重有关各方意愿前提下，\
             住房和城乡建设部建立了生活垃圾分类工作“1对1”交流协作机制，由19个先行省份、\
             重点城市与19个中、西部和东北地区省份结对，加强沟通协作、促进交流互鉴、\
             实现互促互进。"
        );
        assert!(
            paragraphs[5].ends_with("更不能搞形象工程、政绩工程。（记者孙红丽）"),
            "{}",
            paragraphs[5]
        );
    }

    #[test]
    fn seed_garble_removed_and_times_untouched() {
        let repaired = simplifier().repair(SEED);
        let text = &repaired.text;
        assert!(!text.contains("?shù)"), "{text}");
        assert!(text.contains("探索适合当"), "{text}");
        assert!(text.contains("西气东输"), "{text}");
        let times: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("2018-12-"))
            .collect();
        assert_eq!(times.len(), 10);
        assert!(times.contains(&"2018-12-24 08:37"));
        assert!(times.contains(&"2018-12-21 10:19"));
        // Both `?shù)` spans re-aligned by recovery (`當地條件`, `輸的`); the character lost
        // after `的` at the end of the headline is a U+FFFD the garbled step removes.
        assert_eq!(repaired.repairs.recovered, 2);
        assert!(text.contains("探索适合当地条件的生活垃圾"), "{text}");
        assert_eq!(repaired.repairs.garbled, 1);
        assert!(repaired.repairs.pinyin_annotations > 100);
        assert_eq!(text.lines().count(), SEED.lines().count());
        assert!(text.contains("（陈文 任冠元 蒋磊）"), "{text}");
        assert!(text.contains("第五代移动通信系统（5G）健康发展"), "{text}");
        assert!(text.contains("无线电台（站）"), "{text}");
        assert!(text.contains("XXX（非现代青年网）提供"), "{text}");
    }

    #[test]
    fn idempotent_on_the_seed_and_on_awkward_input() {
        for text in [
            SEED,
            "",
            "\u{FEFF}２０１８年&amp;quot;ＶＩＰ&quot;\u{E40C}據(jù)悉,系統(5G)健康?What? 1,000",
            "當?shù)貤l件\r\n\r\n(AI) 08:37 http://a.cn/?q=1 &lt;b&gt;",
            "(((據(jù)))),,,??!!",
        ] {
            let once = simplifier().repair(text);
            let twice = simplifier().repair(&once.text);
            assert_eq!(twice.text, once.text, "{text}");
            assert_eq!(twice.repairs, Repairs::default(), "{text}");
        }
    }

    /// Generated mixes of lossy mojibake (UTF-8 read as GBK by each replacing decoder), its
    /// pinyin annotations, lone U+FFFD, `?` with lost tone vowels and clean text: repairing
    /// the output again changes nothing.
    #[test]
    fn idempotent_on_generated_lossy_mojibake() {
        let keep = Repairer::new(Script::Keep);
        let sources = [
            "各地黨(dǎng)委、政府",
            "有關(guān)部門(mén)",
            "負(fù)責(zé)人",
            "的局面。戲(xì)劇",
            "官网消息",
            "中央的部署,以高度",
        ];
        let mut pieces: Vec<String> = sources
            .iter()
            .flat_map(|s| {
                let gbk = encoding_rs::GBK.decode_without_bom_handling(s.as_bytes()).0;
                [s.to_string(), lossy::tests::python_gbk(s), gbk.into_owned()]
            })
            .collect();
        pieces.extend(
            [
                "\u{FFFD}", "?", "(b?o)", "\n", ",", "。", "(", ")", "息", "飽",
            ]
            .map(String::from),
        );
        let mut rng = crate::testing::XorShift::new(0x0DDB_A11C_AFE0_1234);
        for _ in 0..3000 {
            let n = 1 + rng.next_u64() % 8;
            let text: String = (0..n).map(|_| rng.pick(&pieces).as_str()).collect();
            let once = keep.repair(&text);
            let twice = keep.repair(&once.text);
            assert_eq!(twice.text, once.text, "{text:?}");
        }
    }

    #[test]
    fn keep_script_leaves_traditional() {
        let repaired = Repairer::new(Script::Keep).repair("據(jù)悉,當地");
        assert_eq!(repaired.text, "據悉，當地");
        assert_eq!(repaired.repairs.to_simplified, 0);
        assert_eq!(repaired.repairs.pinyin_annotations, 1);
        assert_eq!(repaired.repairs.punctuation, 1);
    }

    #[test]
    fn counters_add_up_across_steps() {
        let repaired = simplifier().repair("\u{200B}據(jù)悉,２０２０年?shù)");
        assert_eq!(repaired.text, "据悉，2020年");
        assert_eq!(
            repaired.repairs,
            Repairs {
                pinyin_annotations: 1,
                to_simplified: 1,
                punctuation: 5,
                garbled: 1,
                dropped_chars: 1,
                ..Repairs::default()
            }
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "\u{0}\u{FFFD}\u{FFFD}(",
            "（",
            "?",
            "&#xFFFFFFFF;&#0;&#55296;&",
            "據(",
            "\r",
            "\u{10FFFF}\u{E40C}\u{E40C}",
            "數(shù)數(shù)?shù)?shù)",
        ];
        for text in odd {
            let _ = simplifier().repair(text);
        }
        // Every prefix of the seed, cut at any char boundary.
        let mut cuts = SEED.char_indices().map(|(at, _)| at).step_by(7);
        for at in cuts.by_ref() {
            let _ = simplifier().repair(&SEED[..at]);
        }
    }
}
