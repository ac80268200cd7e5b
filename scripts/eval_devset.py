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
    two sample lines per rule to judge by eye;
  * the document-level signals (rules of the `document-shape` check: one
    finding per document, on its first or last line): how many documents
    of raw/ and trafilatura/ each flags, at any severity.

Document-level findings say something about a whole document, not about
the line they point at, so they are left out of the line scoring on raw/
(a short-document note on a content line is not a wrong boilerplate line).
On trafilatura/ they count as findings like any other.
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
    rules = subprocess.run([opts.binary, "rules", "--format", "json"],
                           capture_output=True, text=True, check=True)
    document_level = {r["id"] for r in json.loads(rules.stdout) if r.get("check") == "document-shape"}
    findings = [json.loads(row) for row in run.stdout.splitlines() if row.strip()]

    def on_raw(f):
        return "/raw/" in "/" + f["path"].replace("\\", "/")

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for finding in findings:
            if not (finding["rule"] in document_level and on_raw(finding)):
                f.write(json.dumps(finding) + "\n")
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
    for f in findings:
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

    docs = collections.defaultdict(lambda: [set(), set()])
    for f in findings:
        if f["rule"] in document_level:
            docs[f["rule"]][0 if on_raw(f) else 1].add(f["path"])
    print()
    print("document-level signals (any severity; not scored as lines on raw/): documents flagged")
    print(f"{'rule':<36} {'raw/':>8} {'traf/':>7}")
    for rule in sorted(document_level):
        raw_docs, traf_docs = docs[rule]
        print(f"{rule:<36} {len(raw_docs):>8} {len(traf_docs):>7}")


if __name__ == "__main__":
    main(sys.argv)
