#!/usr/bin/env python3
"""Seeds the fuzz corpora from what the repository has (examples/,
tests/ui/, the rule files) and, when it sits beside the repository, the
shared devset of real scraped pages. Pages are cut into pieces of about
4 KB at line breaks, so that each seed fits the fuzzers' input limit.
Seeds are named by their content hash: running this again adds nothing
twice."""

import hashlib
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def pieces(text, size=4096):
    out, cur = [], ""
    for line in text.splitlines(keepends=True):
        if cur and len(cur) + len(line) > size:
            out.append(cur)
            cur = ""
        cur += line
    if cur:
        out.append(cur)
    return out


def add(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


texts = []
for folder in ["examples/corpus", "tests/ui"]:
    for p in sorted((root / folder).glob("*.txt")):
        texts.append(p.read_text(encoding="utf-8", errors="replace"))
devset = root.parent / "shared" / "devset"
# --repo-only: the repository's own texts (the CI smoke test, whose 60 s
# should go to fuzzing, not to reading a large corpus in).
for sub in [] if "--repo-only" in sys.argv else ["raw", "trafilatura"]:
    for p in sorted((devset / sub).glob("*.txt"))[:150]:
        texts.append(p.read_text(encoding="utf-8", errors="replace"))

n = 0
for i, text in enumerate(texts):
    for piece in pieces(text):
        add("engine", piece)
        add("fixer", piece)
        line = json.dumps({"id": f"doc-{i}", "text": piece}, ensure_ascii=(i % 2 == 0))
        add("jsonl_reencode", line)
        add("engine", line + "\n")
        n += 1
for p in sorted((root / "rules").rglob("*.toml")):
    add("rule_file", p.read_bytes())
print(f"fuzz seeds: {n} text pieces, {len(list((root / 'rules').rglob('*.toml')))} rule files")
