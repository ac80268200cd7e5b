"""One table in, one table out: what the Spark and Ray steps share.

A step runs in one of three modes:

- ``check``: one row per finding. The document's ``id_col`` (or, without
  one, ``row``: the index of the document in its batch) and the finding's
  ``rule``, ``severity``, ``message``, ``start``, ``end`` (code points),
  ``byte_start``, ``byte_end``, ``line``, ``column`` and ``fix`` (``safe``,
  ``unsafe`` or null).
- ``fix``: the input rows, the text column fixed.
- ``filter``: the input rows, the text column fixed, and the decision:
  ``kept``, ``score``, ``changed`` and ``reasons`` (a JSON list). Dropped
  documents stay in the output with ``kept`` false and their text as it
  was, so that the caller can write them somewhere else.

Integers are signed 64-bit (Spark takes no unsigned types), and every
string column has the width of the input's text column (``string`` or
``large_string``), whichever the engine hands over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from ._core import Linter

MODES = ("check", "fix", "filter")

#: check mode: the finding columns after the id (``True``: a string).
FINDING_COLUMNS = [
    ("rule", True),
    ("severity", True),
    ("message", True),
    ("start", False),
    ("end", False),
    ("byte_start", False),
    ("byte_end", False),
    ("line", False),
    ("column", False),
    ("fix", True),
]

#: filter mode: the decision columns added after the input's.
DECISION_COLUMNS = ["kept", "score", "changed", "reasons"]


def make_linter(linter: "Optional[Linter]", linter_args: dict) -> "Linter":
    """The linter an engine step runs: the one given, or one made from
    ``linter_args`` (``Linter``'s arguments) on one thread unless told,
    since the engine runs steps side by side."""
    if linter is not None:
        if linter_args:
            raise ValueError("give a linter or the arguments to make one, not both")
        return linter
    from ._core import Linter

    return Linter(**{"threads": 1, **linter_args})


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def output_schema(schema: "pa.Schema", mode: str, text_col: str, id_col: Optional[str]) -> "pa.Schema":
    """The Arrow schema of a step's output for an input of ``schema``."""
    import pyarrow as pa

    check_mode(mode)
    if text_col not in schema.names:
        raise ValueError(f"no text column {text_col!r} (columns: {', '.join(schema.names)})")
    text_type = schema.field(text_col).type
    if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
        raise TypeError(f"the text column {text_col!r} is {text_type}, not a string")
    if mode == "check":
        if id_col is None:
            fields = [pa.field("row", pa.int64())]
        elif id_col not in schema.names:
            raise ValueError(f"no id column {id_col!r} (columns: {', '.join(schema.names)})")
        else:
            fields = [schema.field(id_col)]
        fields += [pa.field(n, text_type if s else pa.int64()) for n, s in FINDING_COLUMNS]
        return pa.schema(fields)
    if mode == "fix":
        return schema
    clash = [n for n in DECISION_COLUMNS if n in schema.names]
    if clash:
        raise ValueError(f"the input already has a column {clash[0]!r}, which filter mode adds")
    return pa.schema(
        list(schema)
        + [
            pa.field("kept", pa.bool_()),
            pa.field("score", pa.float64()),
            pa.field("changed", pa.bool_()),
            pa.field("reasons", text_type),
        ]
    )


def apply(linter: "Linter", table: Any, mode: str, text_col: str, id_col: Optional[str]) -> "pa.Table":
    """Run ``linter`` over the text column of ``table`` (a pyarrow Table or
    RecordBatch) and return the output table of ``mode``."""
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    schema = output_schema(table.schema, mode, text_col, id_col)
    text = table.column(text_col).combine_chunks()
    if mode == "check":
        found = linter.check_arrow(text)
        rows = found.column("row")
        first = rows if id_col is None else table.column(id_col).combine_chunks().take(rows)
        columns = [first] + [found.column(n) for n, _ in FINDING_COLUMNS]
        return pa.Table.from_arrays([c.cast(f.type) for c, f in zip(columns, schema)], schema=schema)
    if mode == "fix":
        fixed = linter.fix_arrow(text)
        return table.set_column(table.schema.get_field_index(text_col), schema.field(text_col), fixed)
    import pyarrow.compute as pc

    decided = linter.filter_arrow(text)
    kept = decided.column("kept")
    # A dropped document keeps its text as it was (what `corpuslint filter`
    # writes to the rejected output); a kept one gets the fixed text.
    fixed = pc.if_else(pc.fill_null(kept, True), decided.column("text"), text)
    out = table.set_column(table.schema.get_field_index(text_col), schema.field(text_col), fixed)
    for name in DECISION_COLUMNS:
        field = schema.field(name)
        out = out.append_column(field, decided.column(name).cast(field.type))
    return out
