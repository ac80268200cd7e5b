#!/usr/bin/env python3
"""dolma as a real client of `corpuslint check --format dolma-attributes`.

Writes a documents/ tree whose texts hold non-ASCII characters before the
artifacts, has corpuslint write the attributes, runs `dolma mix` with a
span replacement on `corpuslint__delete` and a filter on a rule key, and
asserts that dolma's output equals what `corpuslint filter` keeps, for
fixes that only delete.

    python3 scripts/dolma/mix_test.py CORPUSLINT DOLMA

CORPUSLINT is the binary, DOLMA the `dolma` command of a venv that holds
dolma 1.2.1 alone (.ci/run makes it from scripts/dolma/requirements.lock).
"""

import gzip
import json
import pathlib
import subprocess
import sys
import tempfile

corpuslint, dolma = sys.argv[1], sys.argv[2]

# Each text: what the safe fixes make of it is a deletion, in one pass.
DOCS = [
    ("a", "Grüße aus München.< /p> Die Stadt wächst schneller als geplant, sagte die Bürgermeisterin am Montag."),
    ("b", "Über die Brücke über die Isar fahren täglich viele Radfahrer.\nDiese Website verwendet Cookies.\nDie Stadt plant einen Ausbau der Wege."),
    ("c", "Der Rat tagt öffentlich. Über\u200ball in der Stadt hängen Plakate, die auf die Sitzung hinweisen."),
    ("d", "Ein sauberer Text über Köln, der so bleibt, wie er ist, weil nichts daran falsch ist."),
    # Mojibake: dropped by the filter on its rule key in both runs.
    ("e", "MÃ¼nchen ist schÃ¶n, sagen die Leute, die hier wohnen und arbeiten."),
    ("f", "<!-- Teaser -->Zürich öffnet neue Bäder für alle Bürger, die schwimmen lernen möchten."),
]


def run(*args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    return r


def main():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="corpuslint-dolma-"))
    docs = tmp / "data" / "documents"
    docs.mkdir(parents=True)
    with gzip.open(docs / "part-0.jsonl.gz", "wt", encoding="utf-8") as f:
        for i, text in DOCS:
            f.write(json.dumps({"id": i, "text": text, "source": "test"}, ensure_ascii=False) + "\n")

    r = run(corpuslint, "check", "--isolated", "--format", "dolma-attributes",
            "--ignore", "structure/short-document", str(docs))
    assert r.returncode in (0, 1), r.stderr
    attrs = tmp / "data" / "attributes" / "corpuslint" / "part-0.jsonl.gz"
    assert attrs.exists(), r.stdout + r.stderr

    mixed = tmp / "mixed"
    config = {
        "streams": [{
            "name": "corpuslint-test",
            "documents": [str(docs / "*.jsonl.gz")],
            "attributes": ["corpuslint"],
            "output": {"path": str(mixed), "max_size_in_bytes": 1_000_000_000},
            "filter": {"exclude": ["$.attributes[?(@.corpuslint__encoding_mojibake)]"]},
            "span_replacement": [
                {"span": "$.attributes.corpuslint__delete", "min_score": 0.5, "replacement": ""}
            ],
        }],
        "processes": 1,
        "work_dir": {"input": str(tmp / "work-in"), "output": str(tmp / "work-out")},
    }
    cfg = tmp / "mix.json"
    cfg.write_text(json.dumps(config))
    r = run(dolma, "-c", str(cfg), "mix")
    assert r.returncode == 0, r.stdout + r.stderr
    dolma_texts = {}
    for path in sorted(mixed.glob("*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                dolma_texts[rec["id"]] = rec["text"]

    r = run(corpuslint, "filter", "--isolated", str(docs), "-o", str(tmp / "kept"),
            "--rejected", str(tmp / "rejected"), "--drop-on", "never",
            "--drop-rule", "encoding/mojibake", "--fail-on", "never")
    assert r.returncode == 0, r.stderr
    filter_texts = {}
    with gzip.open(tmp / "kept" / "part-0.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            filter_texts[rec["id"]] = rec["text"]

    assert sorted(dolma_texts) == sorted(filter_texts) == ["a", "b", "c", "d", "f"], (dolma_texts, filter_texts)
    for i in filter_texts:
        assert dolma_texts[i] == filter_texts[i], (i, dolma_texts[i], filter_texts[i])
    # The deletions happened (not a run that changed nothing).
    assert "< /p>" not in dolma_texts["a"] and "Cookies" not in dolma_texts["b"]
    assert "\u200b" not in dolma_texts["c"] and "<!--" not in dolma_texts["f"]
    print(f"dolma mix agrees with corpuslint filter on {len(filter_texts)} documents")


main()
