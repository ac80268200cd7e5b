"""corpuslint in datatrove: a LocalPipelineExecutor with two tasks,
reader → CorpuslintFilter with an exclusion writer → writer, keeps and drops
what `corpuslint filter` keeps and drops, and names the deciding reason."""

import json

import pytest

from conftest import POLICY, cli_filter

pytest.importorskip("datatrove")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from corpuslint import Linter  # noqa: E402
from corpuslint.datatrove import CorpuslintFilter, CorpuslintFixer, filter_reason  # noqa: E402


def read_docs(folder):
    docs = {}
    for p in sorted(folder.glob("*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            docs[d["id"]] = d
    return docs


def test_kept_and_dropped_match_corpuslint_filter(corpus, tmp_path):
    folder, docs = corpus
    kept_cli, rejected_cli = cli_filter(folder, tmp_path / "cli")
    out = tmp_path / "dt"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(folder), text_key="text", id_key="id"),
            CorpuslintFilter(exclusion_writer=JsonlWriter(str(out / "excluded"), compression=None), **POLICY),
            JsonlWriter(str(out / "kept"), compression=None),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(out / "logs"),
    ).run()
    kept, excluded = read_docs(out / "kept"), read_docs(out / "excluded")
    assert {i: d["text"] for i, d in kept.items()} == kept_cli
    assert set(excluded) == set(rejected_cli)
    assert len(kept) + len(excluded) == len(docs)
    original = dict(docs)
    for doc_id, d in excluded.items():
        assert d["text"] == original[doc_id]
        assert d["metadata"]["filter_reason"] == filter_reason(rejected_cli[doc_id]["reasons"])
        assert d["metadata"]["corpuslint"]["reasons"] == rejected_cli[doc_id]["reasons"]
    assert excluded["cookie-only"]["metadata"]["filter_reason"] == "empty"
    assert excluded["short"]["metadata"]["filter_reason"] == "words"


def test_fixer_fixes_every_document_and_annotates(corpus, tmp_path):
    folder, docs = corpus
    out = tmp_path / "fixed"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(folder), text_key="text", id_key="id"),
            CorpuslintFixer(),
            JsonlWriter(str(out), compression=None),
        ],
        tasks=2,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    fixed = read_docs(out)
    linter = Linter()
    # (datatrove's writer leaves out an empty text)
    assert {i: d.get("text", "") for i, d in fixed.items()} == {i: linter.fix(t) for i, t in docs}
    emoji = fixed["emoji"]["metadata"]["corpuslint"]
    assert emoji["changed"] and emoji["fixed"] == {"html/leftover-tag": 1}


def test_filter_reason():
    assert filter_reason([{"reason": "rule", "rule": "boilerplate/cookie-notice"}]) == "boilerplate/cookie-notice"
    assert filter_reason([{"reason": "severity", "severity": "error", "rules": ["encoding/mojibake"]}]) == "encoding/mojibake"
    assert filter_reason([{"reason": "words", "words": 3, "min": 50}]) == "words"
