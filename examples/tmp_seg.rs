use std::io::BufRead;
use std::time::Instant;
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let pages: Vec<Vec<String>> = std::io::BufReader::new(std::fs::File::open(path).unwrap())
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|r| {
            r["text"].as_str().map(|t| {
                t.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect()
            })
        })
        .collect();
    let jieba = jieba_rs::Jieba::new();
    let seg = zhclean::segment::Segmenter::new(None).unwrap();
    for round in 0..2 {
        let t = Instant::now();
        let mut n = 0usize;
        for p in &pages {
            for para in p {
                n += jieba.cut(para, true).len();
            }
        }
        println!("{round} cut only {:.3} {n}", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut n = 0usize;
        for p in &pages {
            for para in p {
                let v: Vec<(u32, u32)> = jieba
                    .cut(para, true)
                    .into_iter()
                    .filter(|t| !t.word.trim().is_empty())
                    .map(|t| (t.byte_start as u32, t.byte_end as u32))
                    .collect();
                n += v.len();
            }
        }
        println!("{round} spans {:.3} {n}", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut n = 0usize;
        for p in &pages {
            let all: Vec<Vec<String>> = p
                .iter()
                .map(|para| {
                    jieba
                        .cut(para, true)
                        .into_iter()
                        .filter(|t| !t.word.trim().is_empty())
                        .map(|t| t.word.to_string())
                        .collect()
                })
                .collect();
            n += all.len();
        }
        println!("{round} strings {:.3} {n}", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut n = 0usize;
        for p in &pages {
            n += seg.segment(p, false).words.len();
        }
        println!("{round} segment {:.3} {n}", t.elapsed().as_secs_f64());
    }
}
