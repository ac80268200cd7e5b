"""corpuslint in Ray Data (ray.init(num_cpus=2), an actor pool of two
actors at half a CPU each): findings equal the command line's, and filter
mode decides as `corpuslint filter`."""

import pytest

from conftest import POLICY, cli_filter, cli_findings, finding_key

ray = pytest.importorskip("ray")
# Ray's own deprecation notices about its settings, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

import ray.data  # noqa: E402

from corpuslint import Linter  # noqa: E402
from corpuslint.ray import Corpuslint, lint_dataset  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def test_findings_equal_the_cli(corpus):
    folder, docs = corpus
    ds = ray.data.read_json(str(folder))
    rows = lint_dataset(ds, "text", "check", id_col="id", batch_size=16).take_all()
    got = sorted(finding_key(r["id"], r, r["fix"]) for r in rows)
    assert got == cli_findings(sorted(folder.glob("*.jsonl")))
    assert len(got) > len(docs)


def test_filter_mode_decides_as_the_cli(corpus, tmp_path):
    folder, docs = corpus
    kept, rejected = cli_filter(folder, tmp_path)
    ds = ray.data.read_json(str(folder))
    rows = lint_dataset(ds, "text", "filter", **POLICY).take_all()
    assert len(rows) == len(docs)
    assert {r["id"]: r["text"] for r in rows if r["kept"]} == kept
    assert {r["id"] for r in rows if not r["kept"]} == set(rejected)


def test_the_callable_class_in_map_batches(corpus):
    folder, docs = corpus
    ds = ray.data.read_json(str(folder))
    out = ds.map_batches(
        Corpuslint,
        fn_constructor_kwargs={"mode": "fix"},
        batch_format="pyarrow",
        concurrency=2,
        num_cpus=0.5,
    ).take_all()
    linter = Linter()
    assert {r["id"]: r["text"] for r in out} == {i: linter.fix(t) for i, t in docs}
    assert all(r["source"] == "test" for r in out)


def test_a_bad_argument_fails_before_the_pipeline_starts(corpus):
    folder, _ = corpus
    ds = ray.data.read_json(str(folder))
    with pytest.raises(ValueError, match="matches no rule"):
        lint_dataset(ds, select=["nope/"])
