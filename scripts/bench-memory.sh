#!/usr/bin/env bash
# Memory benchmark (see docs/robustness.md, "Memory"). Not part of `cargo test`.
#
#   scripts/bench-memory.sh [BINARY] [STREAM_MB]
#
# Prints the peak resident set size (RSS) of BINARY (default: target/release/zhclean, built
# first) for:
# 1. one page of 1, 10 and 60 MB of ordinary Chinese sentences, flat (one paragraph) and with
#    a line break after each sentence, at --jobs 1;
# 2. one page of 10 MB of ':' (every character a word of its own: the worst case known), and
#    of '(' and of '(:' (a line of ten million or five million unmatched parentheses);
# 3. about STREAM_MB MB (default 2000; 0 skips) of JSONL news records through stdin at --jobs
#    1 and 2: from ../shared/corpus when it is there (tools/examples/bench_corpus.rs --stream),
#    else generated here;
# and, for each, the target: 10 x the largest record + 200 MB.
#
# Peak RSS comes from GNU time (`/usr/bin/time -v`) when it is installed, else from polling
# the process's high-water mark (VmHWM in /proc/PID/status) every 10 ms (scripts/peak-rss.sh);
# the script says which.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-}
STREAM_MB=${2:-2000}
if [ -z "$BIN" ]; then
    cargo build --release --quiet --bin zhclean
    BIN=target/release/zhclean
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# peak_rss: PEAK_KB of a command (GNU time, or polling /proc where it is missing).
source scripts/peak-rss.sh
peak_rss_source

# Writes a page of about $2 MB to $1: our own sentences, cycled; $3 = flat|lines.
make_page() {
    awk -v bytes=$(($2 * 1024 * 1024)) -v kind="$3" 'BEGIN {
        s[0] = "据新华社报道，国务院新闻办公室今天上午举行新闻发布会，介绍生活垃圾分类工作的最新进展。"
        s[1] = "住房和城乡建设部有关负责人表示，各地要按照完全自愿的原则，因地制宜推进垃圾分类。"
        s[2] = "记者在北京、上海等地采访时看到，越来越多的居民开始主动参与分类投放，社区也配备了专门的指导员。"
        s[3] = "专家认为，垃圾分类是一项长期工作，需要政府、企业和公众共同努力，形成全社会参与的良好氛围。"
        s[4] = "2019年以来，46个重点城市共投入资金213亿元，加快建设分类处理设施。"
        sep = (kind == "lines") ? "\n" : ""
        n = 0; i = 0
        while (n < bytes) { printf "%s%s", s[i % 5], sep; n += length(s[i % 5]) + length(sep); i++ }
    }' > "$1"
}

printf '%-26s %10s %10s %12s\n' input MB peak_MB target_MB
row() { printf '%-26s %10s %10s %12s\n' "$1" "$2" "$((PEAK_KB / 1024))" "$(($2 * 10 + 200))"; }

for mb in 1 10 60; do
    for kind in flat lines; do
        make_page "$WORK/page.txt" "$mb" "$kind"
        peak_rss "$BIN" "$WORK/page.txt" --jobs 1 --quiet
        row "page, $kind" "$mb"
    done
done
rm -f "$WORK/page.txt"
# Pages of 10 MB of one ASCII mark (or pair of marks) repeated, on one line.
for unit in ':' '(' '(:'; do
    LC_ALL=C awk -v unit="$unit" 'BEGIN {
        s = ""; while (length(s) < 1024) s = s unit
        for (i = 0; i < 10 * 1024; i++) printf "%s", s
    }' > "$WORK/marks.txt"
    peak_rss "$BIN" "$WORK/marks.txt" --jobs 1 --quiet
    row "page, 10 MB of '$unit'" 10
done
rm -f "$WORK/marks.txt"

if [ "$STREAM_MB" -gt 0 ]; then
    mkfifo "$WORK/stream"
    for jobs in 1 2; do
        if [ -d ../shared/corpus ]; then
            cargo build --release --quiet -p zhclean-tools --example bench_corpus
            target/release/examples/bench_corpus --stream $((STREAM_MB * 1000000)) > "$WORK/stream" &
            source="news records from ../shared/corpus"
        else
            # Records of a few kilobytes, each its own.
            awk -v bytes=$((STREAM_MB * 1000000)) 'BEGIN {
                n = 0; i = 0
                while (n < bytes) {
                    line = sprintf("{\"id\":%d,\"url\":\"http://news.example.cn/%d.html\",\"text\":\"第%d号通报：", i, i, i)
                    for (k = 0; k < 20; k++) line = line "住房和城乡建设部有关负责人表示，各地要按照完全自愿的原则推进垃圾分类。"
                    line = line "\"}"
                    print line; n += length(line) + 1; i++
                }
            }' > "$WORK/stream" &
            source="generated records"
        fi
        INPUT="$WORK/stream" peak_rss "$BIN" --jsonl - --jobs "$jobs" --quiet
        wait
        # (The records are of a few kilobytes, 13 KB at most: the target is 200 MB.)
        printf '%-26s %10s %10s %12s   (%s)\n' \
            "JSONL stream, --jobs $jobs" "$STREAM_MB" "$((PEAK_KB / 1024))" 200 "$source"
    done
fi
