#!/usr/bin/env python3
"""Throughput of the Python package against the command line, on the same
JSONL: `corpuslint check --format jsonl` with 1 and 2 threads, and
`Linter.check_arrow` / `fix_arrow` / `filter_arrow` on the text column with
1 and 2 threads, and `corpuslint filter`. Prints MB/s of text and the ratio
per core (the target is the Python package at >= 80 % of the CLI per core):
check_arrow against `check`, fix_arrow and filter_arrow (which fix pass
after pass) against `filter`.

    scripts/python_bench.py [--mb 64] [--bin target/release/corpuslint]

Run it with a Python that has the corpuslint wheel and pyarrow installed
(scripts/python_tests.sh leaves one in target/py/core). The corpus is the
shared devset's naive-extracted pages (real scraped text) when it sits
beside the repository, else the sample corpus, repeated to --mb megabytes
under target/py-bench/ (written once).
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.json as pj

import corpuslint

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset" / "raw"


def build_corpus(megabytes):
    source = DEVSET if DEVSET.is_dir() else ROOT / "examples" / "corpus"
    out = ROOT / "target" / "py-bench" / f"{source.parent.name}-{source.name}-{megabytes}mb.jsonl"
    if out.exists():
        return out, source
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(source.glob("*.txt"))]
    out.parent.mkdir(parents=True, exist_ok=True)
    target = megabytes * 1_000_000
    written, n = 0, 0
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        while written < target:
            text = texts[n % len(texts)]
            f.write(json.dumps({"id": f"doc-{n}", "text": text}, ensure_ascii=False) + "\n")
            written += len(text.encode("utf-8"))
            n += 1
    tmp.rename(out)
    return out, source


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=64, help="megabytes of text (default 64)")
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "corpuslint"))
    ap.add_argument("--runs", type=int, default=3, help="runs per row; the best is shown (default 3)")
    args = ap.parse_args()

    path, source = build_corpus(args.mb)
    table = pj.read_json(path, read_options=pj.ReadOptions(block_size=64 << 20))
    text = table.column("text").combine_chunks()
    mb = sum(len(t.encode("utf-8")) for t in text.to_pylist()) / 1e6
    print(f"corpus: {path.relative_to(ROOT)} ({len(text)} documents, {mb:.1f} MB of text, from {source})")
    print(f"machine: {os.cpu_count()} cores; corpuslint {corpuslint.__version__}; Python {sys.version.split()[0]}")
    print()

    rows = []

    def cli(threads):
        cmd = [args.bin, "check", "--isolated", "--format", "jsonl", "--fail-on", "never",
               "-j", str(threads), str(path)]
        return lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)

    def cli_filter(threads):
        out = path.parent / "filter-out"
        out.mkdir(exist_ok=True)
        cmd = [args.bin, "filter", "--isolated", "--fail-on", "never", "-j", str(threads), str(path),
               "-o", str(out / "kept.jsonl"), "--rejected", str(out / "rejected.jsonl")]
        return lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)

    for threads in (1, 2):
        best, _ = best_of(args.runs, cli(threads))
        rows.append((f"CLI check --format jsonl, {threads} thread(s)", threads, best))
    for threads in (1, 2):
        best, _ = best_of(args.runs, cli_filter(threads))
        rows.append((f"CLI filter, {threads} thread(s)", threads, best))
    for name in ("check_arrow", "fix_arrow", "filter_arrow"):
        for threads in (1, 2):
            linter = corpuslint.Linter(threads=threads)
            fn = getattr(linter, name)
            best, _ = best_of(args.runs, lambda: fn(text))
            rows.append((f"Linter.{name}, {threads} thread(s)", threads, best))

    # check_arrow against `check`; fix_arrow and filter_arrow, which fix
    # (pass after pass) as `filter` does, against `filter`.
    cli_check_1 = mb / rows[0][2]
    cli_filter_1 = mb / rows[2][2]
    print(f"| {'what':<40} | {'MB/s':>7} | {'vs CLI per core':>15} |")
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 17}|")
    for label, threads, seconds in rows:
        rate = mb / seconds
        base = cli_check_1 if "check" in label else cli_filter_1
        print(f"| {label:<40} | {rate:7.1f} | {rate / threads / base:14.0%} |")
    print()
    by = {label: seconds for label, _, seconds in rows}
    for name in ("check_arrow", "fix_arrow", "filter_arrow"):
        speedup = by[f"Linter.{name}, 1 thread(s)"] / by[f"Linter.{name}, 2 thread(s)"]
        print(f"{name}: {speedup:.2f}x from 1 to 2 threads")
    cli_speedup = rows[0][2] / rows[1][2]
    print(f"CLI: {cli_speedup:.2f}x from 1 to 2 threads")


if __name__ == "__main__":
    main()
