#!/usr/bin/env bash
# Batch benchmark (see docs/batch.md). Needs ../shared/corpus/; not part of `cargo test`.
#
#   scripts/bench.sh [PAGES] [STREAM_MB] [REPEAT]
#
# 1. Generates PAGES pages (default 3000) from ../shared/corpus/ into a temporary folder, as
#    files, as JSONL and as WARC.gz (tools/examples/bench_corpus.rs).
# 2. Runs the release binary over each with --jobs 1 and --jobs 2: records/s, MB/s, peak RSS,
#    and the 2-jobs/1-job ratio measured in the same run (best of REPEAT runs, default 3,
#    1 and 2 jobs interleaved, against noise from other processes), plus CPU seconds.
# 3. Measures the machine's own ceiling for that ratio: two independent `--jobs 1` processes
#    at once, each over half the JSONL, against one over all of it; and two bare segmentations
#    at once against one.
# 4. Runs bare jieba segmentation of the same page texts (tools/examples/bare_segment.rs) and
#    prints the pipeline's cost as a multiple of it.
# 5. Streams about STREAM_MB MB (default 2000; 0 skips) of generated JSONL through stdin with
#    --jobs 2 and prints the peak RSS (memory must stay flat whatever the size).
#
# Figures come from zhclean's own --stats (time after the dictionaries are loaded) and
# bare_segment's (time after jieba's dictionary is loaded). The machine may be shared: compare
# ratios from one run, not absolute numbers across runs.
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES=${1:-3000}
STREAM_MB=${2:-2000}
REPEAT=${3:-3}
if [ ! -d ../shared/corpus ]; then
    echo "bench: needs ../shared/corpus (the shared evaluation corpus)" >&2
    exit 2
fi

cargo build --release --quiet --bin zhclean
cargo build --release --quiet -p zhclean-tools --example bench_corpus --example bare_segment --example stage_times
BIN=target/release/zhclean
GEN=target/release/examples/bench_corpus
BARE=target/release/examples/bare_segment
STAGES=target/release/examples/stage_times
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# peak_rss: PEAK_KB and CPU_S of a command (GNU time, or polling /proc where it is missing).
source scripts/peak-rss.sh

# A number from zhclean's --stats JSON.
stat() { awk -F': *' -v key="\"$1\"" '$1 ~ key {gsub(/,/, "", $2); print $2}' "$2"; }

echo "generating $PAGES pages (files, JSONL, WARC.gz) in $WORK ..."
"$GEN" "$WORK" "$PAGES"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)"
printf '%-6s %5s %10s %8s %9s %9s %8s\n' input jobs records/s MB/s peak_MB seconds cpu_s

declare -A RATE SECONDS_OF LINE
for input in files jsonl warc; do
    case $input in
        files) args=("$WORK/files") ;;
        jsonl) args=(--jsonl "$WORK/pages.jsonl") ;;
        warc) args=("$WORK/pages.warc.gz") ;;
    esac
    RATE[${input}1]=0
    RATE[${input}2]=0
    for _ in $(seq "$REPEAT"); do
        for jobs in 1 2; do
            set +e
            peak_rss "$BIN" "${args[@]}" --jobs "$jobs" --quiet --stats "$WORK/stats.json"
            set -e
            rate=$(stat records_per_sec "$WORK/stats.json")
            if [ "$(echo "$rate > ${RATE[$input$jobs]}" | bc -l)" = 1 ]; then
                RATE[$input$jobs]=$rate
                SECONDS_OF[$input$jobs]=$(stat seconds "$WORK/stats.json")
                LINE[$input$jobs]=$(printf '%-6s %5s %10.1f %8.3f %9.1f %9.2f %8.2f' "$input" "$jobs" \
                    "$rate" "$(stat mb_per_sec "$WORK/stats.json")" "$(echo "$PEAK_KB / 1024" | bc -l)" \
                    "${SECONDS_OF[$input$jobs]}" "$CPU_S")
            fi
        done
    done
    echo "${LINE[${input}1]}"
    echo "${LINE[${input}2]}"
    printf '%-6s 2 jobs / 1 job = %.2fx\n' "$input" "$(echo "${RATE[${input}2]} / ${RATE[${input}1]}" | bc -l)"
done

# What this machine gives two truly independent workers, as the yardstick for "2 jobs / 1 job":
# one zhclean --jobs 1 over all pages against two zhclean --jobs 1 processes at once, each over
# half of them (nothing shared: no reader thread, no writer, no cache lines), and the same for
# bare jieba segmentation (one process against two at once over the same pages). Rates use
# each process's own clock after its dictionaries are loaded; a pair's rate is its pages over
# the slower one's seconds. On a VM whose two vCPUs slow each other down, these sit below 2.
split -n l/2 -d "$WORK/pages.jsonl" "$WORK/half."
solo_rate=0 pair_rate=0 bare_solo_rate=0 bare_pair_rate=0
max() { echo "if ($1 > $2) $1 else $2" | bc -l; }
for _ in $(seq "$REPEAT"); do
    "$BIN" --jsonl "$WORK/pages.jsonl" --jobs 1 --quiet --stats "$WORK/solo.json" > /dev/null
    solo_rate=$(max "$solo_rate" "$(stat records_per_sec "$WORK/solo.json")")
    "$BIN" --jsonl "$WORK/half.00" --jobs 1 --quiet --stats "$WORK/half0.json" > /dev/null &
    "$BIN" --jsonl "$WORK/half.01" --jobs 1 --quiet --stats "$WORK/half1.json" > /dev/null
    wait
    slower=$(max "$(stat seconds "$WORK/half0.json")" "$(stat seconds "$WORK/half1.json")")
    records=$(( $(stat records_in "$WORK/half0.json") + $(stat records_in "$WORK/half1.json") ))
    pair_rate=$(max "$pair_rate" "$(echo "$records / $slower" | bc -l)")
    bare_solo=$("$BARE" "$WORK/pages.jsonl" | awk '{print $3}')
    bare_solo_rate=$(max "$bare_solo_rate" "$(echo "1 / $bare_solo" | bc -l)")
    "$BARE" "$WORK/pages.jsonl" | awk '{print $3}' > "$WORK/bare_a" &
    "$BARE" "$WORK/pages.jsonl" | awk '{print $3}' > "$WORK/bare_b"
    wait
    slower=$(max "$(cat "$WORK/bare_a")" "$(cat "$WORK/bare_b")")
    bare_pair_rate=$(max "$bare_pair_rate" "$(echo "2 / $slower" | bc -l)")
done
printf 'ceiling: two zhclean --jobs 1 at once, over halves / one over all = %.2fx\n' \
    "$(echo "$pair_rate / $solo_rate" | bc -l)"
printf 'ceiling: two bare segmentations at once / one = %.2fx\n' \
    "$(echo "$bare_pair_rate / $bare_solo_rate" | bc -l)"

bare_secs=0
for _ in $(seq "$REPEAT"); do
    run=$("$BARE" "$WORK/pages.jsonl")
    secs=$(echo "$run" | awk '{print $3}')
    if [ "$bare_secs" = 0 ] || [ "$(echo "$secs < $bare_secs" | bc -l)" = 1 ]; then
        bare=$run
        bare_secs=$secs
    fi
done
echo "bare jieba segmentation of the same texts: $bare"
printf 'pipeline (jsonl, 1 job) / bare segmentation = %.2fx\n' "$(echo "${SECONDS_OF[jsonl1]} / $bare_secs" | bc -l)"
echo "per stage, one thread (tools/examples/stage_times.rs):"
"$STAGES" "$WORK/pages.jsonl"

if [ "$STREAM_MB" -gt 0 ]; then
    echo "streaming ~${STREAM_MB} MB of JSONL through stdin (--jobs 2) ..."
    set +e
    peak_rss sh -c "'$GEN' --stream $((STREAM_MB * 1000000)) | '$BIN' --jsonl - --jobs 2 --quiet --stats '$WORK/stream.json'"
    set -e
    printf 'stream: %s records, %.0f MB, %.1f records/s, peak RSS %.1f MB (generator included)\n' \
        "$(stat records_in "$WORK/stream.json")" \
        "$(echo "$(stat bytes_in "$WORK/stream.json") / 1000000" | bc -l)" \
        "$(stat records_per_sec "$WORK/stream.json")" \
        "$(echo "$PEAK_KB / 1024" | bc -l)"
fi
