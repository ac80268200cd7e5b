"""corpuslint on Spark: a function for ``DataFrame.mapInArrow`` and its
output schema, or the whole step in one call::

    from corpuslint.spark import lint_dataframe
    findings = lint_dataframe(df, text_col="text", mode="check", id_col="id")
    cleaned = lint_dataframe(df, text_col="text", mode="filter").where("kept")

The linter is compiled on the driver (a bad rule fails there, before any
task starts), pickled into the tasks and compiled once per Python worker.
Each task lints its partition on one thread: Spark runs the tasks side by
side. Modes and output columns are those of :mod:`corpuslint._arrow`:
``check`` gives a row per finding, ``fix`` the rows with the text fixed,
``filter`` the rows with the text fixed plus ``kept``, ``score``,
``changed`` and ``reasons``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from . import _arrow
from ._core import Linter

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = ["arrow_function", "output_schema", "lint_dataframe"]


def output_schema(
    schema: "StructType", mode: str = "check", text_col: str = "text", id_col: Optional[str] = None
) -> "StructType":
    """The Spark schema of the step's output for input rows of ``schema``:
    what ``mapInArrow`` takes as its second argument."""
    from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType, StructField, StructType

    _arrow.check_mode(mode)
    if text_col not in schema.fieldNames():
        raise ValueError(f"no text column {text_col!r} (columns: {', '.join(schema.fieldNames())})")
    if not isinstance(schema[text_col].dataType, StringType):
        raise TypeError(f"the text column {text_col!r} is {schema[text_col].dataType.simpleString()}, not a string")
    if mode == "check":
        if id_col is None:
            first = StructField("row", LongType())
        elif id_col not in schema.fieldNames():
            raise ValueError(f"no id column {id_col!r} (columns: {', '.join(schema.fieldNames())})")
        else:
            first = schema[id_col]
        return StructType(
            [first] + [StructField(n, StringType() if s else LongType()) for n, s in _arrow.FINDING_COLUMNS]
        )
    if mode == "fix":
        return schema
    clash = [n for n in _arrow.DECISION_COLUMNS if n in schema.fieldNames()]
    if clash:
        raise ValueError(f"the input already has a column {clash[0]!r}, which filter mode adds")
    return StructType(
        list(schema.fields)
        + [
            StructField("kept", BooleanType()),
            StructField("score", DoubleType()),
            StructField("changed", BooleanType()),
            StructField("reasons", StringType()),
        ]
    )


def arrow_function(
    mode: str = "check",
    text_col: str = "text",
    id_col: Optional[str] = None,
    linter: Optional[Linter] = None,
    **linter_args: Any,
) -> Callable[[Iterator["pa.RecordBatch"]], Iterator["pa.RecordBatch"]]:
    """A function for ``df.mapInArrow(fn, output_schema(df.schema, ...))``.

    Give a ``linter``, or the arguments to make one (``Linter``'s: config,
    rules, select, lang, the filter policy, ...). Without ``threads``, the
    linter runs on one thread per task."""
    _arrow.check_mode(mode)
    linter = _arrow.make_linter(linter, linter_args)

    def lint(batches: Iterator["pa.RecordBatch"]) -> Iterator["pa.RecordBatch"]:
        for batch in batches:
            yield from _arrow.apply(linter, batch, mode, text_col, id_col).to_batches()

    return lint


def lint_dataframe(
    df: "DataFrame",
    text_col: str = "text",
    mode: str = "check",
    id_col: Optional[str] = None,
    linter: Optional[Linter] = None,
    **linter_args: Any,
) -> "DataFrame":
    """``df`` linted: its findings (``check``), its rows fixed (``fix``) or
    its rows fixed and judged (``filter``; keep with ``.where("kept")``).

    In ``check`` mode without ``id_col``, each row is numbered first with
    ``monotonically_increasing_id()`` into a column ``row_id``, and only
    the id and the text go to the tasks."""
    _arrow.check_mode(mode)
    if mode == "check":
        if id_col is None:
            from pyspark.sql.functions import monotonically_increasing_id

            id_col = "row_id"
            df = df.withColumn(id_col, monotonically_increasing_id())
        df = df.select(id_col, text_col)
    schema = output_schema(df.schema, mode, text_col, id_col)
    return df.mapInArrow(arrow_function(mode, text_col, id_col, linter, **linter_args), schema)
