//! Extract stage (text path): repaired text in, article body and metadata out.
//!
//! Lines are classified by a table of named patterns ([`rules`]) into body, boilerplate
//! (recorded in `removed` with its kind) and metadata lines, whose values become field
//! *candidates* with their zone (header, body, footer), rule and line; [`fields`] decides the
//! fields from them (the pipeline adds the HTML stage's and the URL's candidates first).
//! [`lines`] does the classification and the multi-line structures (runs of headline +
//! timestamp lines, `相关新闻` blocks), [`values`] parses values (dates to ISO 8601, author
//! lists, tag lists).
//!
//! Names: [`TextExtractor::extract`] is the text path's one entry point (its work is
//! [`lines::classify_page`]); the HTML path's is [`html::parse_page`]. [`values`] holds the
//! value parsers, [`html::markup`] reads the page's own markup (`<title>`, `<meta>` tags,
//! JSON-LD). "Meta" in this crate means only that markup ([`html::HtmlMeta`]); the
//! caller's facts about an input are [`crate::InputMeta`], and the JSONL fields passed
//! through to the output are [`crate::article::Passthrough`].
//!
//! Contract: every non-empty input line ends up either in `paragraphs` or in `removed`
//! (possibly split between the two, e.g. a byline cut off the end of a paragraph);
//! nothing disappears.

use crate::article::Removed;

pub mod fields;
#[cfg(test)]
mod forms_tests;
pub mod html;
pub mod lines;
pub mod prefilter;
pub mod rules;
pub mod values;

/// What the extract stage found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The headline, if the text starts with one.
    pub title: Option<String>,
    /// ISO 8601 publication time found at the head of the page.
    pub published_at: Option<String>,
    /// Author names from bylines, in order, deduplicated.
    pub authors: Vec<String>,
    /// `来源：` value.
    pub source: Option<String>,
    /// `责任编辑：` / `编辑：` value.
    pub editor: Option<String>,
    /// `原标题：` value.
    pub original_title: Option<String>,
    /// Tags from tag lines.
    pub tags: Vec<String>,
    /// Body paragraphs, in order, non-empty, trimmed.
    pub paragraphs: Vec<String>,
    /// Everything removed, in page order.
    pub removed: Vec<Removed>,
    /// Every field value found, with where and how (the fields above are decided from them
    /// by [`fields::decide`]).
    pub candidates: Vec<fields::Candidate>,
}

/// Line classifier with its compiled rule table. Build once, share freely (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct TextExtractor {
    rules: rules::CompiledRules,
}

impl TextExtractor {
    /// Compiles the rule table.
    pub fn new() -> TextExtractor {
        TextExtractor {
            rules: rules::CompiledRules::new(),
        }
    }

    /// Splits `text` (paragraphs separated by `\n`, already repaired) into body and the rest.
    ///
    /// Never panics. Every non-empty line of `text` ends up in `paragraphs`, in `removed`, or
    /// split between them; only whitespace at a cut point may be dropped.
    #[cfg(any(test, feature = "internals"))]
    pub fn extract(&self, text: &str) -> Extracted {
        self.extract_with(text, &lines::Hints::default())
    }

    /// [`Self::extract`] with what the caller knows about the text: the title from the page's
    /// markup, or the zone all its lines stand in (see [`lines::Hints`]). The fields are
    /// decided from this text's candidates alone; the pipeline decides again with every
    /// stage's candidates.
    #[cfg(any(test, feature = "internals"))]
    pub fn extract_with(&self, text: &str, hints: &lines::Hints) -> Extracted {
        let mut ex = self.candidates_with(text, hints);
        let values = fields::decide(ex.candidates.clone(), &fields::Facts::default()).values;
        ex.set_values(values);
        ex
    }

    /// [`Self::extract_with`] without deciding the fields: body, removals and candidates only
    /// (the field values stay empty). For a caller that decides with more candidates, as the
    /// pipeline does.
    pub fn candidates_with(&self, text: &str, hints: &lines::Hints) -> Extracted {
        lines::classify_page(&self.rules, text, hints)
    }
}

impl Extracted {
    /// Sets the field values (title, date, authors, source, editor, original title, tags).
    pub fn set_values(&mut self, values: fields::Values) {
        self.title = values.title;
        self.published_at = values.published_at;
        self.authors = values.authors;
        self.source = values.source;
        self.editor = values.editor;
        self.original_title = values.original_title;
        self.tags = values.tags;
    }
}

impl Default for TextExtractor {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::RemovedKind as K;

    /// The project's seed page (`shared/seeds/000_…`) as the repair stage gives it:
    /// simplified script, full-width punctuation, pinyin annotations and byte-shift damage
    /// repaired.
    const SEED: &str = r#"据住房和城乡建设部官网消息，按照完全自愿原则，在尊重有关各方意愿前提下，住房和城乡建设部建立了生活垃圾分类工作“1对1”交流协作机制，由19个先行省份、重点城市与19个中、西部和东北地区省份结对，加强沟通协作、促进交流互鉴、实现互促互进。
据悉，2020年全国城市生活垃圾分类工作广州现场会以来，各地掀起了生活垃圾分类新高潮，部分中、西部和东北地区省份在省级统筹推进生活垃圾分类工作过程中，提出组织先行省、市持续帮扶的诉求。
住房和城乡建设部表示，在建立交流协作机制过程中，始终坚持两大原则：一是自愿，凡参加协作机制的省份、城市，每一组结对均为双方自愿；二是注意与已有对口帮扶机制衔接，协作双方在选择结对时，充分考虑现有的对口帮扶、东西互助等关系。
经多轮征求意见，确定广东、浙江、上海、厦门等19个先行省份、重点城市与19个中、西部和东北地区省份结对，交流协作机制基本覆盖了中、西部和东北地区省（区、市）。
住房和城乡建设部要求，“1对1”交流协作机制以转化推广可复制经验为重点，结对省份、城市在制订修订政策法规和技术规范、建立健全工作推进体制机制、发动群众参与共建、营造全社会支持参与浓厚氛围、探索适合当地条件的生活垃圾工艺处理路线等方面，通过“请过来指导”“派过去学习”“线上会诊难题”等方式，加强交流协作，实现生活垃圾分类工作经验共享、对策共谋、协同共进。
同时，坚持因地制宜、务求实效、不搞“一刀切”原则。中、西部和东北地区省份在借鉴先行地区经验做法、具体推进生活垃圾分类工作时，不能照抄照搬，要从实际出发，明确“十四五”时期工作目标和任务；要加强对所辖城市的分类指导，明确差异化实施路径，不搞花架子，更不能搞形象工程、政绩工程。（记者孙红丽）
标签： 生活垃圾分类
凡本网注明“XXX（非现代青年网）提供”的作品，均转载自其它媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和其真实性负责。
数量多达几百件甚至几千件，抢注闲置、待价而沽恶意抢注囤积商标成一些企业生财之道国家有关部门表示，将从严审查、坚决遏制和打击商标非正
2018-12-24 08:37
中新网12月21日电 12月20日，中关村在线2018年度科技大会暨产品颁奖盛典在北京举行。作为行业领先的科技互联网媒体，这是中关村在线第十一
2018-12-21 10:19
据新华社报道，安徽省公安厅近日发布的《安徽省公安机关深化放管服改革39项措施》第11条规定，国内居民忘记携带有效身份证件的，可以在具备
2018-12-21 09:02
中新网北京12月20日电 （记者 陈康亮）中国经济数字化变革方兴未艾，蓬勃发展。作为经济重要组成部分的金融机构面对变革将何去何从？在此间
2018-12-21 08:46
中新网深圳12月20日电 （陈文 任冠元 蒋磊）深圳福田警方12月20日通报称，深圳福田警方日前打掉财富中国非法集资平台，6名犯罪嫌疑人因涉
2018-12-21 08:46
主题为新经济·新电商·新零售的2018世界电子商务大会12月20日在北京举行。图为与会嘉宾出席开幕仪式。 主办方供图 摄中新网北京12月20日
2018-12-21 08:43
中新社北京12月20日电 （记者 赵建华）新修改的中国个人所得税法将于2019年1月1日正式实施。中国国家税务总局对居民、非居民个人预扣预缴方
2018-12-21 08:39
中新网12月20日电 据工信部网站消息，为保障我国第五代移动通信系统（5G）健康发展，协调解决5G基站与卫星地球站等其他无线电台（站）的干扰问
2018-12-21 08:39
中卫西气东输互联互通工程正式进气投产，工作人员脸上洋溢着喜悦的笑容。杨迪 摄中新网银川12月20日（于翔 杨迪）12月20日，西气东输的
2018-12-21 08:36
新华社北京12月20日电（记者高亢）记者20日从中国二维码注册认证中心获悉，近期成立的国内首家全球代码发行机构——统一二维码标识注册管理中
2018-12-21 08:35"#;

    fn ex(text: &str) -> Extracted {
        TextExtractor::new().extract(text)
    }

    fn kinds(e: &Extracted) -> Vec<K> {
        e.removed.iter().map(|r| r.kind).collect()
    }

    /// Non-whitespace characters, in order: what the contract conserves.
    fn dense(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn seed_page() {
        let e = ex(SEED);
        assert_eq!(e.paragraphs.len(), 6, "{:#?}", e.paragraphs);
        assert!(e.paragraphs[0].starts_with("据住房和城乡建设部官网消息，按照完全自愿原则，"));
        assert!(e.paragraphs[5].ends_with("更不能搞形象工程、政绩工程。"));
        assert_eq!(e.authors, ["孙红丽"]);
        assert_eq!(e.tags, ["生活垃圾分类"]);
        assert_eq!(e.title, None);
        assert_eq!(e.published_at, None);
        assert_eq!(
            (&e.source, &e.editor, &e.original_title),
            (&None, &None, &None)
        );
        assert_eq!(
            kinds(&e),
            [K::Byline, K::TagLine, K::Disclaimer, K::RelatedHeadlines]
        );
        assert_eq!(e.removed[0].text, "（记者孙红丽）");
        assert_eq!(e.removed[1].text, "标签： 生活垃圾分类");
        assert!(e.removed[2].text.starts_with("凡本网注明"));
        let related = &e.removed[3].text;
        assert_eq!(related.lines().count(), 20);
        assert!(related.starts_with("数量多达几百件"));
        assert!(related.ends_with("2018-12-21 08:35"));
    }

    #[test]
    fn seed_page_without_space_after_tag_colon() {
        let e = ex(&SEED.replace("标签： ", "标签："));
        assert_eq!(e.tags, ["生活垃圾分类"]);
        assert_eq!(e.removed[1].text, "标签：生活垃圾分类");
    }

    #[test]
    fn seed_page_in_traditional_script_with_half_width_punctuation() {
        let text = SEED
            .replace("（记者孙红丽）", "(記者孫紅麗)")
            .replace("标签：", "標簽:")
            .replace("凡本网注明", "凡本網註明");
        let e = ex(&text);
        assert_eq!(e.authors, ["孫紅麗"]);
        assert_eq!(e.tags, ["生活垃圾分类"]);
        assert_eq!(e.paragraphs.len(), 6);
        assert_eq!(
            kinds(&e),
            [K::Byline, K::TagLine, K::Disclaimer, K::RelatedHeadlines]
        );
    }

    const HEADED: &str = "首页 > 新闻 > 正文
国务院部署生活垃圾分类工作
2018-12-24 08:37:05 来源：人民网 作者：张三
【字号：大 中 小】
原标题：垃圾分类要因地制宜
中新网北京12月20日电 （记者 陈康亮）中国经济数字化变革方兴未艾，蓬勃发展。
据来源于当地的消息，2018年12月24日全市开展了垃圾分类宣传活动，参与者超过一万人。
他说，消息来源：不明，记者还在调查。（2018）
第二段讲5G（5G）的事情，发布于（非现代青年网）。
（责任编辑：李四）
相关新闻
垃圾分类进社区
2018-12-20 10:00
垃圾分类新规实施？
2018-12-19 09:00
版权所有 © 人民网";

    #[test]
    fn head_metadata_title_and_related_block() {
        let e = ex(HEADED);
        assert_eq!(e.title.as_deref(), Some("国务院部署生活垃圾分类工作"));
        assert_eq!(e.published_at.as_deref(), Some("2018-12-24T08:37:05+08:00"));
        assert_eq!(e.source.as_deref(), Some("人民网"));
        assert_eq!(e.editor.as_deref(), Some("李四"));
        assert_eq!(e.original_title.as_deref(), Some("垃圾分类要因地制宜"));
        assert_eq!(e.authors, ["张三", "陈康亮"]);
        assert_eq!(
            e.paragraphs,
            [
                "中新网北京12月20日电 中国经济数字化变革方兴未艾，蓬勃发展。",
                "据来源于当地的消息，2018年12月24日全市开展了垃圾分类宣传活动，参与者超过一万人。",
                "他说，消息来源：不明，记者还在调查。（2018）",
                "第二段讲5G（5G）的事情，发布于（非现代青年网）。",
            ]
        );
        assert_eq!(
            kinds(&e),
            [
                K::Navigation,
                K::Title,
                K::Metadata,
                K::Navigation,
                K::Metadata,
                K::Byline,
                K::Metadata,
                K::RelatedHeadlines,
                K::Disclaimer
            ]
        );
        assert_eq!(e.removed[5].text, "（记者 陈康亮）");
        assert_eq!(e.removed[7].text.lines().count(), 5);
    }

    #[test]
    fn bracketed_bylines_after_an_outlet() {
        let e = ex("台海网8月16日讯 （海峡导报记者 薛洋）阔别近20年，台湾作家李敖之女回台定居，引发两岸舆论关注。\n看到这一幕，相信很多人在问，这是怎么了？（人民日报记者 王五）");
        assert_eq!(e.authors, ["薛洋", "王五"]);
        assert_eq!(
            e.paragraphs,
            [
                "台海网8月16日讯 阔别近20年，台湾作家李敖之女回台定居，引发两岸舆论关注。",
                "看到这一幕，相信很多人在问，这是怎么了？"
            ]
        );
        // Outside brackets an outlet before 记者 is not taken: the sentence is body text.
        let e = ex("据悉，此事已经引起关注。\n他告诉新京报记者王明");
        assert!(e.authors.is_empty(), "{:?}", e.authors);
        assert_eq!(e.paragraphs.len(), 2);
    }

    #[test]
    fn template_identifiers_and_trails_are_not_the_title() {
        // An ad slot's identifier, a breadcrumb trail and a bare `字号` before the headline.
        let e = ex("ad9_210*60\n中国台湾网 > 台湾频道 > 时政\n台湾多个县市恶搞“独立” 网友批其助攻\n字号：\n据联合新闻网10日报道，有网民在脸谱网站上建立了一个群组，引发两岸网民的广泛关注和批评。");
        assert_eq!(
            e.title.as_deref(),
            Some("台湾多个县市恶搞“独立” 网友批其助攻")
        );
        // The identifier is not claimed by any rule: it stays, as every unclaimed line does.
        assert_eq!(e.paragraphs[0], "ad9_210*60");
        assert_eq!(
            kinds(&e),
            [K::Navigation, K::Title, K::Navigation],
            "{:?}",
            e.removed
        );
        // A Latin title of words is still one.
        let e =
            ex("Apple unveils new iPhone\n苹果公司今天在加州发布了新一代手机，售价与上一代相同。");
        assert_eq!(e.title.as_deref(), Some("Apple unveils new iPhone"));
    }

    #[test]
    fn head_dates_in_every_format() {
        for (line, iso) in [
            ("2018-12-24 08:37", "2018-12-24T08:37:00+08:00"),
            ("2018-12-24 08:37:05", "2018-12-24T08:37:05+08:00"),
            ("2018年12月24日 08:37", "2018-12-24T08:37:00+08:00"),
            ("2018年12月24日08:37", "2018-12-24T08:37:00+08:00"),
            ("2018/12/24", "2018-12-24"),
            ("2018.12.24", "2018-12-24"),
        ] {
            let e = ex(&format!("标题在此\n{line}\n正文第一段，讲了一件事情。"));
            assert_eq!(e.published_at.as_deref(), Some(iso), "{line}");
            assert_eq!(e.title.as_deref(), Some("标题在此"));
            assert_eq!(e.paragraphs, ["正文第一段，讲了一件事情。"]);
            assert_eq!(kinds(&e), [K::Title, K::Metadata]);
        }
        // Invalid dates are not published_at.
        let e = ex("2018-13-45 08:37\n正文第一段，讲了一件事情。");
        assert_eq!(e.published_at, None);
    }

    #[test]
    fn date_after_body_is_not_published_at() {
        let e = ex("正文第一段，讲了一件事情。\n2018-12-24 08:37");
        assert_eq!(e.published_at, None);
        assert_eq!(e.paragraphs, ["正文第一段，讲了一件事情。"]);
    }

    #[test]
    fn single_headline_pair_is_not_a_related_block() {
        let e = ex("正文第一段，讲了一件事情。\n另一条新闻标题\n2018-12-21 08:46");
        assert!(!kinds(&e).contains(&K::RelatedHeadlines));
        assert_eq!(e.paragraphs.len(), 2);
    }

    #[test]
    fn related_block_stops_at_clear_body() {
        let text = "推荐阅读\n某地举行活动\n另一条标题？\n这是一段很长的正文，它以句号结尾，而且后面没有时间戳，所以它显然是正文的一部分，不应该被当作相关新闻列表删除。";
        let e = ex(text);
        assert_eq!(kinds(&e), [K::RelatedHeadlines]);
        assert_eq!(e.removed[0].text.lines().count(), 3);
        assert_eq!(e.paragraphs.len(), 1);
    }

    #[test]
    fn bylines_whole_line_and_cut() {
        let e = ex("记者 张三 报道\n正文。\n文/李四\n本报记者 王五\n通讯员 赵六、钱七\n正文二。（記者 周八 實習生 吴九）");
        assert_eq!(
            e.authors,
            ["张三", "李四", "王五", "赵六", "钱七", "周八", "吴九"]
        );
        assert_eq!(e.paragraphs, ["正文。", "正文二。"]);
        assert!(kinds(&e).iter().all(|k| *k == K::Byline));
    }

    #[test]
    fn body_mentions_of_reporters_are_kept() {
        let e = ex("记者20日从中国二维码注册认证中心获悉，近期成立了机构。\n据记者了解，该项目已于2018年12月24日完工（记者手记）。");
        assert!(e.authors.is_empty());
        assert_eq!(e.paragraphs.len(), 2);
        assert!(e.removed.is_empty());
    }

    #[test]
    fn editor_is_never_an_author() {
        let e = ex("正文。\n责任编辑：张三\n编辑：李四");
        // Every editor credit, joined.
        assert_eq!(e.editor.as_deref(), Some("张三、李四"));
        assert!(e.authors.is_empty());
    }

    #[test]
    fn empty_and_odd_inputs_do_not_panic() {
        for t in [
            "",
            "\n\n",
            " ",
            "（",
            "）（",
            "标签：",
            "来源：",
            "2018-",
            "相关新闻",
            "a\u{FFFD}b",
            "日电（记者",
            "12月20日电（张三）",
            "😀😀😀\n2018-12-21 08:46\n😀\n2018-12-21 08:46",
        ] {
            let e = ex(t);
            conserved(t, &e);
        }
    }

    fn conserved(input: &str, e: &Extracted) {
        let mut got: Vec<char> = Vec::new();
        for s in e
            .title
            .iter()
            .chain(&e.paragraphs)
            .chain(e.removed.iter().map(|r| &r.text))
        {
            got.extend(dense(s).chars());
        }
        let mut want: Vec<char> = dense(input).chars().collect();
        got.sort_unstable();
        want.sort_unstable();
        // The title is also in `removed`; count it once.
        if let Some(t) = &e.title {
            for c in dense(t).chars() {
                if let Ok(p) = got.binary_search(&c) {
                    got.remove(p);
                }
            }
        }
        assert_eq!(got, want, "characters not conserved for {input:?}");
    }

    #[test]
    fn characters_are_conserved() {
        let mut inputs = vec![SEED.to_string(), HEADED.to_string()];
        // Shuffle-ish variations: rotate the lines of each page and join pairs.
        for base in [SEED, HEADED] {
            let lines: Vec<&str> = base.lines().collect();
            for k in [1, 3, 7] {
                let n = lines.len();
                let rotated: Vec<&str> = (0..n).map(|i| lines[(i + k) % n]).collect();
                inputs.push(rotated.join("\n"));
                inputs.push(
                    rotated
                        .chunks(2)
                        .map(|c| c.concat())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
        }
        for t in &inputs {
            conserved(t, &ex(t));
        }
    }
}
