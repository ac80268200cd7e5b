"""What the engine tests share: a JSONL corpus and the command line's
answers about it. The engines are compared with `corpuslint` itself."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("CORPUSLINT_BIN", str(ROOT / "target" / "release" / "corpuslint"))
DEVSET = ROOT.parent / "shared" / "devset"

#: The policy the filter tests use, as `Linter` arguments and as flags.
POLICY = {"min_words": 40, "max_boilerplate_share": 0.4}
POLICY_FLAGS = ["--min-words", "40", "--max-boilerplate-share", "0.4"]


def documents():
    """The sample corpus, documents made to be dropped, and (when it sits
    beside the repository) the first 150 pages of the devset."""
    docs = []
    for p in sorted((ROOT / "examples" / "corpus").glob("*.txt")):
        docs.append((p.stem, p.read_text(encoding="utf-8")))
    docs += [
        ("cookie-only", "Diese Website verwendet Cookies.\nAlle akzeptieren\n"),
        ("short", "Zu kurz, um ein Artikel zu sein.\n"),
        ("emoji", "Grüße aus München 😀.< /p> Die Stadt wächst schnell, sagt der Bürgermeister.\n"),
    ]
    if DEVSET.exists():
        for p in sorted((DEVSET / "raw").glob("*.txt"))[:150]:
            docs.append((p.stem, p.read_text(encoding="utf-8", errors="replace")))
    return docs


def write_shards(folder, docs, shards=2):
    """`docs` as `shards` JSONL files (`id`, `text`, `source`)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(shards):
        path = folder / f"part-{n}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for doc_id, text in docs[n::shards]:
                f.write(json.dumps({"id": doc_id, "text": text, "source": "test"}, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def run_cli(*args):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)


def cli_findings(paths):
    """`corpuslint check --format json` on the shards: one key per finding."""
    out = run_cli("check", "--isolated", "--format", "json", "--fail-on", "never", "--id-field", "id", *paths)
    assert out.returncode == 0, out.stderr
    return sorted(finding_key(f["doc_id"], f, f["fix"]["applicability"] if f["fix"] else None)
                  for f in json.loads(out.stdout))


def finding_key(doc_id, f, fix):
    return (doc_id, f["byte_start"], f["byte_end"], f["rule"], f["severity"], f["message"],
            f["line"], f["column"], fix)


def cli_filter(folder, out):
    """`corpuslint filter` on a folder of shards with POLICY: the kept
    records (id → text) and the rejected ones (id → verdict)."""
    kept_dir, rejected_dir = out / "kept", out / "rejected"
    res = run_cli("filter", "--isolated", "--fail-on", "never", *POLICY_FLAGS, folder,
                  "-o", kept_dir, "--rejected", rejected_dir)
    assert res.returncode == 0, res.stderr
    kept, rejected = {}, {}
    for p in kept_dir.rglob("*.jsonl"):
        for line in p.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            kept[r["id"]] = r["text"]
    for p in rejected_dir.rglob("*.jsonl"):
        for line in p.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            rejected[r["id"]] = r["corpuslint"]
    return kept, rejected


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """(folder of two shards, [(id, text)])."""
    folder = tmp_path_factory.mktemp("corpus") / "shards"
    docs = documents()
    write_shards(folder, docs)
    return folder, docs


ENGINE_TESTS = ("test_spark.py", "test_ray.py", "test_datatrove.py")


def _engine_skip_fails(report):
    """Under CORPUSLINT_NO_SKIP (scripts/python_tests.sh, .ci/run), an
    engine test that skips, e.g. because its engine does not import, is a
    failure: CI must not pass on tests that never ran."""
    if (
        os.environ.get("CORPUSLINT_NO_SKIP")
        and report.skipped
        and any(name in report.nodeid for name in ENGINE_TESTS)
    ):
        report.outcome = "failed"
        report.longrepr = f"an engine test skipped, which CI does not allow: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _engine_skip_fails(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _engine_skip_fails(outcome.get_result())
