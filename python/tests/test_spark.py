"""corpuslint in Spark (local[2], a real JVM): findings through mapInArrow
equal the command line's, and filter mode decides as `corpuslint filter`."""

import os
import sys

import pytest

from conftest import POLICY, cli_filter, cli_findings, finding_key

pyspark = pytest.importorskip("pyspark")

from pyspark.sql import SparkSession  # noqa: E402

from corpuslint.spark import arrow_function, lint_dataframe, output_schema  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("corpuslint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_findings_equal_the_cli(spark, corpus):
    folder, docs = corpus
    df = spark.read.json(str(folder)).repartition(3)
    rows = lint_dataframe(df, "text", "check", id_col="id").collect()
    got = sorted(finding_key(r["id"], r.asDict(), r["fix"]) for r in rows)
    assert got == cli_findings(sorted(folder.glob("*.jsonl")))
    assert len(got) > len(docs)


def test_findings_without_an_id_column(spark, corpus):
    folder, _ = corpus
    df = spark.read.json(str(folder)).select("text")
    out = lint_dataframe(df, "text", "check")
    assert out.columns[0] == "row_id"
    assert out.count() == len(cli_findings(sorted(folder.glob("*.jsonl"))))


def test_filter_mode_decides_as_the_cli(spark, corpus, tmp_path):
    folder, docs = corpus
    kept, rejected = cli_filter(folder, tmp_path)
    df = spark.read.json(str(folder))
    rows = lint_dataframe(df, "text", "filter", **POLICY).collect()
    assert len(rows) == len(docs)
    assert {r["id"]: r["text"] for r in rows if r["kept"]} == kept
    assert {r["id"] for r in rows if not r["kept"]} == set(rejected)
    assert rejected and kept
    # A dropped row keeps its text as it was, as the rejected shards do.
    original = dict(docs)
    assert all(r["text"] == original[r["id"]] for r in rows if not r["kept"])


def test_fix_mode_and_the_plain_map_in_arrow_function(spark, corpus):
    from corpuslint import Linter

    folder, docs = corpus
    df = spark.read.json(str(folder))
    fixed = {r["id"]: r["text"] for r in lint_dataframe(df, "text", "fix").collect()}
    linter = Linter()
    assert fixed == {i: linter.fix(t) for i, t in docs}
    # The building blocks: mapInArrow with the schema the step gives.
    fn = arrow_function("check", "text", "id", select=["html/"])
    out = df.mapInArrow(fn, output_schema(df.schema, "check", "text", "id"))
    rules = {r["rule"] for r in out.collect()}
    assert rules and all(r.startswith("html/") for r in rules)
    with pytest.raises(ValueError, match="mode"):
        lint_dataframe(df, "text", "lint")
    with pytest.raises(ValueError, match="no text column"):
        output_schema(df.schema, "check", "body")
