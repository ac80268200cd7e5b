"""The Python package against the command line, and what in-process use
needs: pickling, code-point offsets, the GIL released, fork safety, clear
errors."""

import json
import multiprocessing
import os
import pathlib
import pickle
import subprocess
import threading

import cloudpickle
import dill
import pyarrow as pa
import pytest

import corpuslint

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("CORPUSLINT_BIN", str(ROOT / "target" / "release" / "corpuslint"))
DEVSET = ROOT.parent / "shared" / "devset"


def cli_findings(paths):
    """`corpuslint check --format json`, grouped by path, without the path."""
    out = subprocess.run(
        [BIN, "check", "--isolated", "--format", "json", "--fail-on", "never", *map(str, paths)],
        capture_output=True, text=True, check=True,
    ).stdout
    by_path = {}
    for f in json.loads(out):
        path = f.pop("path")
        by_path.setdefault(path, []).append(f)
    return by_path


def comparable(findings):
    return [{k: v for k, v in f.items() if k not in ("path", "start", "end")} for f in findings]


def texts(folder, limit=None):
    paths = sorted(p for p in folder.glob("*.txt"))[:limit]
    return paths, [p.read_text(encoding="utf-8") for p in paths]


@pytest.fixture(scope="module")
def linter():
    return corpuslint.Linter()


def test_same_findings_as_the_cli_on_the_sample_corpus(linter):
    paths, docs = texts(ROOT / "examples" / "corpus")
    assert paths
    cli = cli_findings(paths)
    for path, text in zip(paths, docs):
        assert comparable(linter.check(text)) == cli.get(str(path), []), path


@pytest.mark.skipif(not DEVSET.exists(), reason="the shared devset is not beside the repository")
def test_same_findings_as_the_cli_on_the_devset(linter):
    paths, docs = texts(DEVSET / "raw", limit=120)
    cli = cli_findings(paths)
    batch = linter.check_batch(docs)
    for path, text, found in zip(paths, docs, batch):
        assert comparable(found) == cli.get(str(path), []), path


def test_offsets_are_code_points_and_bytes(linter):
    text = "Grüße aus München 😀.< /p> Die Stadt wächst."
    tag = next(f for f in linter.check(text) if f["rule"] == "html/leftover-tag")
    assert text[tag["start"]:tag["end"]] == "< /p>"
    raw = text.encode("utf-8")
    assert raw[tag["byte_start"]:tag["byte_end"]].decode() == "< /p>"
    assert tag["start"] != tag["byte_start"]


def test_fix_and_filter(linter):
    assert linter.fix("Die Stadt wächst.< /p>") == "Die Stadt wächst."
    d = linter.filter("Diese Website verwendet Cookies.")
    assert d["kept"] is False and d["text"] == ""
    assert d["reasons"] == [{"reason": "empty"}]
    strict = corpuslint.Linter(min_words=5)
    d = strict.filter("Nur drei Wörter.")
    assert d["kept"] is False and d["reasons"][0]["reason"] == "words"


@pytest.mark.parametrize("module", [pickle, cloudpickle, dill])
def test_pickles(module):
    linter = corpuslint.Linter(select=["html/"], lang="de", unsafe_fixes=True, min_words=3)
    again = module.loads(module.dumps(linter))
    text = "Ein Satz.< /p> Noch einer."
    assert again.check(text) == linter.check(text)
    assert again.filter("eins zwei")["kept"] is False


def test_batch_and_arrow_agree_with_single_calls(linter):
    _, docs = texts(ROOT / "examples" / "corpus")
    assert linter.fix_batch(docs) == [linter.fix(t) for t in docs]
    assert linter.check_batch(docs) == [linter.check(t) for t in docs]
    fixed = linter.fix_arrow(pa.array(docs + [None], type=pa.large_string()))
    assert fixed.type == pa.large_string()
    assert fixed.to_pylist() == [linter.fix(t) for t in docs] + [None]
    batch = linter.check_arrow(pa.array(docs))
    assert all(batch.schema.field(n).type == pa.int64() for n in ("row", "start", "end", "byte_start"))
    rows = batch.to_pylist()
    assert len(rows) == sum(len(linter.check(t)) for t in docs)
    first = linter.check(docs[0])[0]
    assert (rows[0]["row"], rows[0]["rule"], rows[0]["start"]) == (0, first["rule"], first["start"])
    decisions = linter.filter_arrow(pa.array(docs)).to_pylist()
    assert [d["kept"] for d in decisions] == [linter.filter(t)["kept"] for t in docs]


def test_the_gil_is_released_during_batch_calls(linter):
    _, docs = texts(ROOT / "examples" / "corpus")
    work = docs * 40
    done = threading.Event()
    ticks = 0

    def run():
        linter.fix_batch(work)
        done.set()

    t = threading.Thread(target=run)
    t.start()
    while not done.is_set():
        ticks += 1
    t.join()
    # With the GIL held for the whole call, this loop would run a handful
    # of times at most (once per switch interval around the call).
    assert ticks > 10_000, ticks


def _child(linter, docs, queue):
    queue.put(linter.fix_batch(docs))


def test_batch_calls_work_in_a_forked_child(linter):
    _, docs = texts(ROOT / "examples" / "corpus")
    expected = linter.fix_batch(docs)  # the parent's pool exists now
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    p = ctx.Process(target=_child, args=(linter, docs, queue))
    p.start()
    got = queue.get(timeout=60)
    p.join(timeout=60)
    assert got == expected and p.exitcode == 0


def test_bad_rules_and_arguments_raise(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.toml").write_text(
        '[[rule]]\nid = "html/x"\nseverity = "error"\nkind = "pattern"\npattern = "a(b"\nmessage = "m"\n'
    )
    with pytest.raises(corpuslint.RuleError, match=r"bad\.toml:5:11: invalid regex"):
        corpuslint.Linter(rules=[rules])
    with pytest.raises(ValueError, match="matches no rule"):
        corpuslint.Linter(select=["nope/"])
    with pytest.raises(ValueError, match="drop_on"):
        corpuslint.Linter(drop_on="sometimes")
    with pytest.raises(TypeError, match="string array"):
        corpuslint.Linter().fix_arrow(pa.array([1, 2]))
    with pytest.raises(corpuslint.RuleError, match="no such configuration file"):
        corpuslint.Linter(config=tmp_path / "missing.toml")


def test_a_pickled_linter_keeps_its_rules_from_another_directory(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "own.toml").write_text(
        '[[rule]]\nid = "boilerplate/zauberwort"\nseverity = "warning"\nkind = "pattern"\n'
        'pattern = "Zauberwort"\nmessage = "the magic word"\n'
    )
    monkeypatch.chdir(tmp_path)
    linter = corpuslint.Linter(rules=["rules"], select=["boilerplate/zauberwort"])
    data = pickle.dumps(linter)
    monkeypatch.chdir(ROOT)  # a worker's working directory is not the driver's
    again = pickle.loads(data)
    assert [f["rule"] for f in again.check("Das Zauberwort fällt.")] == ["boilerplate/zauberwort"]
    # A new Linter reads its rule files again; unpickling may reuse them.
    (rules / "own.toml").write_text((rules / "own.toml").read_text().replace("Zauberwort", "Hexenwort"))
    assert corpuslint.Linter(rules=[rules], select=["boilerplate/zauberwort"]).check("Das Zauberwort fällt.") == []


def test_the_table_step_the_engines_share(linter):
    from corpuslint import _arrow

    texts = ["Ein Satz.< /p> Noch einer.", None, "Diese Website verwendet Cookies."]
    table = pa.table({"id": pa.array([7, 8, 9], pa.int32()), "text": pa.array(texts, pa.large_string())})
    found = _arrow.apply(linter, table, "check", "text", "id")
    assert found.schema.field("id").type == pa.int32()
    assert found.schema.field("rule").type == pa.large_string()
    assert found.column("id").to_pylist() == [7] * len(linter.check(texts[0])) + [9] * len(linter.check(texts[2]))
    decided = _arrow.apply(linter, table.to_batches()[0], "filter", "text", None)
    assert decided.column_names == ["id", "text", "kept", "score", "changed", "reasons"]
    assert decided.column("kept").to_pylist() == [True, None, False]
    # kept: fixed; null: null; dropped: as it was.
    assert decided.column("text").to_pylist() == [linter.fix(texts[0]), None, texts[2]]
    with pytest.raises(ValueError, match="already has a column 'kept'"):
        _arrow.apply(linter, decided, "filter", "text", None)
    with pytest.raises(TypeError, match="not a string"):
        _arrow.apply(linter, table, "fix", "id", None)
