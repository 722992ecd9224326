"""Records/s of the Python binding (clean_many, clean) against the zhclean CLI on the same pages.

Run by scripts/bench-python.sh (which builds release versions of both); by hand:
    python scripts/bench_python.py --cli target/release/zhclean [--corpus FILE] [--pages N]

Pages are cut from a corpus of one paragraph per line (default: People's Daily, January 1998
from ../shared/corpus), a title line plus `--paragraphs` paragraphs each. Each figure is the
best of `--repeat` runs. The CLI figures include its process start and dictionary load (once per
run); `startup` shows that cost alone, measured on a single page.

`--instructions` measures instead what does not move with the load of a shared machine: the
instructions per record (all threads) under `valgrind --tool=callgrind`, of the CLI
(`--jsonl`, `--jobs 1`) and of `clean_many(threads=1)` on the same dict records, as the
difference between a run on 3N and one on N records divided by 2N (startup cancels out).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zhclean

REPO = Path(__file__).resolve().parents[1]


def make_pages(corpus: Path, count: int, paragraphs: int) -> list[bytes]:
    lines = [l for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip()]
    pages, i = [], 0
    while len(pages) < count:
        chunk = [lines[(i + k) % len(lines)] for k in range(paragraphs + 1)]
        i += paragraphs + 1
        pages.append("\n".join(chunk).encode("utf-8"))
    return pages


def best_of(repeat: int, runs: dict) -> dict:
    """Best time of each run over `repeat` rounds; the runs take turns within a round, so that
    load from other processes falls on all of them alike."""
    best = {name: float("inf") for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def callgrind_total(command: list[str], out: Path) -> int:
    """Instructions executed by `command` (all threads), counted by callgrind."""
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
    )
    match = re.search(r"^summary: (\d+)$", out.read_text(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no summary line in {out}")
    return int(match.group(1))


CLEAN_MANY = """
import json, sys, zhclean
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
for _ in zhclean.Cleaner().clean_many(records, threads=1):
    pass
"""


def instructions(args, pages: list[bytes]) -> int:
    """Per-record instructions of the CLI and of clean_many; see the module doc."""
    small = max(1, min(args.pages, 20))
    sizes = (small, 3 * small)
    totals = {"cli": [], "clean_many": []}
    with tempfile.TemporaryDirectory(prefix="zhclean-bench-") as tmp:
        tmp = Path(tmp)
        for size in sizes:
            source = tmp / f"pages{size}.jsonl"
            source.write_text(
                "".join(
                    json.dumps({"id": str(i), "text": p.decode("utf-8")}, ensure_ascii=False)
                    + "\n"
                    for i, p in enumerate(pages[:size])
                ),
                encoding="utf-8",
            )
            cli = [args.cli, "--jsonl", str(source), "--jobs", "1", "--quiet"]
            totals["cli"].append(callgrind_total(cli, tmp / "cli.out"))
            py = [sys.executable, "-c", CLEAN_MANY, str(source)]
            totals["clean_many"].append(callgrind_total(py, tmp / "py.out"))
    per_record = {k: (v[1] - v[0]) / (sizes[1] - sizes[0]) for k, v in totals.items()}
    print(f"instructions per record (callgrind, {sizes[1]} minus {sizes[0]} records, "
          f"{args.paragraphs} paragraphs each, dict records, one worker)")
    for name, count in per_record.items():
        print(f"  {name:12} {count / 1e6:8.3f} M")
    ratio = per_record["clean_many"] / per_record["cli"]
    print(f"clean_many / CLI = {ratio:.4f} (binding overhead {100 * (ratio - 1):+.1f}% per record)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", required=True, help="path to a release zhclean binary")
    parser.add_argument(
        "--corpus", type=Path, default=REPO.parent / "shared/corpus/peoples_daily_199801.txt"
    )
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--instructions", action="store_true",
        help="count instructions per record with callgrind instead of timing (see above)",
    )
    args = parser.parse_args()

    pages = make_pages(args.corpus, args.pages, args.paragraphs)
    if args.instructions:
        return instructions(args, pages)
    n = len(pages)
    mb = sum(map(len, pages)) / 1e6
    help_text = subprocess.run([args.cli, "--help"], capture_output=True, text=True).stdout
    jsonl_cli = "--jsonl" in help_text
    jobs_cli = "--jobs" in help_text

    runs = {}
    with tempfile.TemporaryDirectory(prefix="zhclean-bench-") as tmp:
        tmp = Path(tmp)
        records = [{"id": str(i), "text": p.decode("utf-8")} for i, p in enumerate(pages)]
        if jsonl_cli:
            source = tmp / "pages.jsonl"
            source.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                encoding="utf-8",
            )
            cli_args = ["--jsonl", str(source)]
            one = tmp / "one.jsonl"
            one.write_text(json.dumps(records[0], ensure_ascii=False) + "\n", encoding="utf-8")
            one_args = ["--jsonl", str(one)]
        else:
            for i, page in enumerate(pages):
                (tmp / f"{i:06}.txt").write_bytes(page)
            cli_args = sorted(str(p) for p in tmp.glob("*.txt"))
            one_args = cli_args[:1]

        def cli(extra, files):
            def run():
                subprocess.run(
                    [args.cli, *extra, *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    check=False,
                )
            return run

        for jobs in (1, 2):
            extra = ["--jobs", str(jobs), "--quiet"] if jobs_cli else []
            if jobs > 1 and not jobs_cli:
                continue
            runs[f"cli jobs={jobs}"] = cli(extra, cli_args)
        runs["cli startup (1 page)"] = cli(["--jobs", "1", "--quiet"] if jobs_cli else [], one_args)

        cleaner = zhclean.Cleaner()
        cleaner.clean(pages[0])  # warm the lazily loaded tables, as the CLI's startup does

        def many(items, threads):
            return lambda: sum(1 for _ in cleaner.clean_many(items, threads=threads))

        runs["clean_many threads=1 (dict records)"] = many(records, 1)
        runs["clean_many threads=2 (dict records)"] = many(records, 2)
        runs["clean_many threads=1 (bytes)"] = many(pages, 1)
        runs["clean loop"] = lambda: [cleaner.clean(p) for p in pages]
        results = best_of(args.repeat, runs)

    startup = results["cli startup (1 page)"]
    print(f"{n} pages, {mb:.1f} MB ({args.paragraphs} paragraphs each), best of {args.repeat}, "
          f"{os.cpu_count()} cores; CLI input: {'JSONL' if jsonl_cli else 'one file per page'}")
    for name, seconds in results.items():
        if name.startswith("cli startup"):
            print(f"  {name:42} {seconds * 1000:8.0f} ms")
            continue
        rate = n / seconds
        line = f"  {name:42} {rate:8.0f} records/s  {mb / seconds:6.2f} MB/s"
        if name.startswith("cli"):
            line += f"   ({n / (seconds - startup):.0f} records/s without startup)"
        print(line)
    base = results["cli jobs=1"]
    ratio = results["clean_many threads=1 (dict records)"] / base
    print(f"clean_many(threads=1) time / CLI(jobs=1) time = {ratio:.3f} "
          f"(binding overhead {100 * (ratio - 1):+.1f}% incl. CLI startup; "
          f"{100 * (results['clean_many threads=1 (dict records)'] / (base - startup) - 1):+.1f}% without)")
    if "cli jobs=2" in results:
        ratio2 = results["clean_many threads=2 (dict records)"] / results["cli jobs=2"]
        print(f"clean_many(threads=2) time / CLI(jobs=2) time = {ratio2:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
