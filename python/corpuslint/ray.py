"""corpuslint on Ray Data: a callable class for ``map_batches`` with
``batch_format="pyarrow"``, run in an actor pool, or the whole step in one
call::

    from corpuslint.ray import lint_dataset
    findings = lint_dataset(ds, text_col="text", mode="check", id_col="id")
    cleaned = lint_dataset(ds, mode="filter").filter(expr="kept")

Each actor compiles the linter once and lints its batches on one thread:
the pool gives the parallelism. Ask for a fraction of a CPU per actor
(``num_cpus=0.5``, the default here): on a two-core machine two actors of
one CPU each leave nothing for Ray's own tasks that feed them, and the
pipeline stalls. Modes and output columns are those of
:mod:`corpuslint._arrow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from . import _arrow
from ._core import Linter

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    from ray.data import Dataset

__all__ = ["Corpuslint", "lint_dataset"]


class Corpuslint:
    """``ds.map_batches(Corpuslint, fn_constructor_kwargs={...},
    batch_format="pyarrow", concurrency=2, num_cpus=0.5)``.

    The constructor takes ``mode``, ``text_col``, ``id_col`` and
    ``Linter``'s arguments (one thread unless ``threads`` is given)."""

    def __init__(
        self, mode: str = "check", text_col: str = "text", id_col: Optional[str] = None, **linter_args: Any
    ) -> None:
        self.mode = _arrow.check_mode(mode)
        self.text_col = text_col
        self.id_col = id_col
        self.linter = _arrow.make_linter(None, linter_args)

    def __call__(self, batch: "pa.Table") -> "pa.Table":
        return _arrow.apply(self.linter, batch, self.mode, self.text_col, self.id_col)


def lint_dataset(
    ds: "Dataset",
    text_col: str = "text",
    mode: str = "check",
    id_col: Optional[str] = None,
    *,
    concurrency: int = 2,
    num_cpus: float = 0.5,
    batch_size: Optional[int] = 256,
    **linter_args: Any,
) -> "Dataset":
    """``ds`` linted by a pool of ``concurrency`` actors: its findings
    (``check``), its rows fixed (``fix``), or fixed and judged
    (``filter``; keep the rows where ``kept`` is true).

    The rules are compiled here first, so that a bad rule fails before the
    pipeline starts, not inside an actor."""
    _arrow.check_mode(mode)
    Linter(**{k: v for k, v in linter_args.items() if k != "threads"})
    return ds.map_batches(
        Corpuslint,
        fn_constructor_kwargs=dict(mode=mode, text_col=text_col, id_col=id_col, **linter_args),
        batch_format="pyarrow",
        batch_size=batch_size,
        concurrency=concurrency,
        num_cpus=num_cpus,
    )
