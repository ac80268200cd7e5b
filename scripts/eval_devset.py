#!/usr/bin/env python3
"""Measure corpuslint's detection on the development set (standard library only).

Usage (from the repository root):

    python3 scripts/eval_devset.py [DEVSET] [--binary PATH] [--severity error,warning]

DEVSET defaults to ../shared/devset (or $CORPUSLINT_DEVSET). The script builds
nothing: it runs the release binary (target/release/corpuslint unless
--binary says otherwise; build it with `cargo build --release`) over raw/ and
trafilatura/ of the set, then prints

  * the set's own scorer (eval.py): per category, boilerplate-line precision
    and recall on raw/ and findings per 1,000 lines on trafilatura/;
  * findings per 1,000 non-empty lines on trafilatura/, split by rule, with
    two sample lines per rule to judge by eye.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("devset", nargs="?",
                    default=os.environ.get("CORPUSLINT_DEVSET",
                                           os.path.join(ROOT, "..", "shared", "devset")))
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "corpuslint"))
    ap.add_argument("--severity", default="error,warning",
                    help="severities to score (default: error,warning)")
    ap.add_argument("--samples", type=int, default=2, help="sample lines per rule")
    opts = ap.parse_args(argv[1:])

    devset = os.path.abspath(opts.devset)
    scorer = os.path.join(devset, "eval.py")
    if not os.path.isfile(scorer):
        sys.exit(f"eval_devset.py: no development set at {devset} (eval.py missing)")
    if not os.path.isfile(opts.binary):
        sys.exit(f"eval_devset.py: no binary at {opts.binary}: run `cargo build --release`")

    run = subprocess.run(
        [opts.binary, "check", "--isolated", "--format", "jsonl", "--fail-on", "never",
         "raw", "trafilatura"],
        cwd=devset, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"eval_devset.py: corpuslint exited with {run.returncode}:\n{run.stderr}")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write(run.stdout)
        findings_path = f.name
    try:
        subprocess.run([sys.executable, scorer, "--severity", opts.severity, findings_path],
                       check=True)
    finally:
        os.unlink(findings_path)

    keep = {s.strip() for s in opts.severity.split(",") if s.strip()}
    traf = os.path.join(devset, "trafilatura")
    lines = 0
    for name in os.listdir(traf):
        with open(os.path.join(traf, name), encoding="utf-8") as fh:
            lines += sum(1 for line in fh if line.strip())
    by_rule = collections.defaultdict(list)
    for row in run.stdout.splitlines():
        f = json.loads(row)
        if f["severity"] in keep and "/trafilatura/" in "/" + f["path"].replace("\\", "/"):
            by_rule[f["rule"]].append(f)
    print()
    print(f"trafilatura/: findings per 1,000 non-empty lines by rule ({lines} lines)")
    print(f"{'rule':<36} {'findings':>8} {'per 1k':>7}")
    cache = {}
    for rule, fs in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"{rule:<36} {len(fs):>8} {1000 * len(fs) / max(lines, 1):>7.2f}")
        for f in fs[:opts.samples]:
            path = os.path.join(devset, f["path"])
            if path not in cache:
                with open(path, encoding="utf-8") as fh:
                    cache[path] = fh.read().split("\n")
            text = cache[path][f["line"] - 1].strip()
            print(f"    {os.path.basename(f['path'])}:{f['line']}: {text[:90]}")
    total = sum(len(fs) for fs in by_rule.values())
    print(f"{'all':<36} {total:>8} {1000 * total / max(lines, 1):>7.2f}")


if __name__ == "__main__":
    main(sys.argv)
