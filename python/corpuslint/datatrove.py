"""corpuslint steps for datatrove pipelines::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from corpuslint.datatrove import CorpuslintFilter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("in/"),
        CorpuslintFilter(exclusion_writer=JsonlWriter("excluded/"), min_words=50),
        JsonlWriter("kept/"),
    ], tasks=2).run()

``CorpuslintFilter`` keeps, cleans or drops each document by the policy of
``corpuslint filter``: a kept document goes on with its text fixed, a
dropped one goes to the exclusion writer as it was, with
``metadata["filter_reason"]`` naming what decided it (the rule, or the
policy reason such as ``words`` or ``boilerplate-share``) and
``metadata["corpuslint"]`` holding the whole verdict.

``CorpuslintFixer`` drops nothing: it fixes every document and writes what
it found and fixed to ``metadata["corpuslint"]``.

Importing this module imports datatrove; ``import corpuslint`` does not.
"""

from __future__ import annotations

from typing import Any, Optional

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.utils.batching import batched

from ._arrow import make_linter
from ._core import Linter

__all__ = ["CorpuslintFilter", "CorpuslintFixer", "filter_reason"]


def filter_reason(reasons: list[dict[str, Any]]) -> str:
    """What decided a drop, as one word: the rule for ``rule`` and
    ``severity`` reasons (the first rule left at that severity), the
    reason's name otherwise (``empty``, ``words``, ``boilerplate-share``,
    ``findings-per-kb``, ``score``)."""
    if not reasons:
        return "corpuslint"
    first = reasons[0]
    if first.get("reason") == "rule":
        return first["rule"]
    if first.get("reason") == "severity" and first.get("rules"):
        return first["rules"][0]
    return first.get("reason", "corpuslint")


def _verdict(decision: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in decision.items() if k != "text"}


class CorpuslintFilter(BaseFilter):
    """Drop documents by the ``corpuslint filter`` policy; fix the rest.

    Takes ``Linter``'s arguments (config, rules, select, ignore, lang,
    unsafe_fixes, drop_on, drop_rules, max_boilerplate_share, min_words,
    max_findings_per_kb, min_score, threads) or a ``linter``. ``fix=False``
    passes kept documents on unchanged (``--no-fix`` judges the text as it
    is; this only leaves it so). ``annotate=True`` also writes the verdict
    of kept documents to ``metadata["corpuslint"]``. Documents are judged
    ``batch_size`` at a time on the linter's threads (one unless told)."""

    name = "🧹 corpuslint"

    def __init__(
        self,
        exclusion_writer: Any = None,
        *,
        linter: Optional[Linter] = None,
        fix: bool = True,
        annotate: bool = False,
        batch_size: int = 64,
        **linter_args: Any,
    ) -> None:
        super().__init__(exclusion_writer, batch_size=batch_size)
        self.linter = make_linter(linter, linter_args)
        self.fix = fix
        self.annotate = annotate

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        results: list[bool | tuple[bool, str]] = []
        for doc, decision in zip(batch, self.linter.filter_batch([d.text for d in batch])):
            if not decision["kept"]:
                doc.metadata["corpuslint"] = _verdict(decision)
                results.append((False, filter_reason(decision["reasons"])))
                continue
            if decision["changed"]:
                self.stat_update("fixed")
                if self.fix:
                    doc.text = decision["text"]
            if self.annotate:
                doc.metadata["corpuslint"] = _verdict(decision)
            results.append(True)
        return results


class CorpuslintFixer(PipelineStep):
    """Fix every document (safe fixes, or ``unsafe_fixes=True`` for the
    suggestions too) and write the verdict — findings and fixes per rule,
    score, bytes before and after — to ``metadata[metadata_key]``. Drops
    nothing, not even a document that fixing empties."""

    name = "🧹 corpuslint fixer"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        linter: Optional[Linter] = None,
        metadata_key: str = "corpuslint",
        batch_size: int = 64,
        **linter_args: Any,
    ) -> None:
        super().__init__()
        self.linter = make_linter(linter, linter_args)
        self.metadata_key = metadata_key
        self.batch_size = batch_size

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for batch in batched(data, self.batch_size):
            with self.track_time("batch"):
                decisions = self.linter.filter_batch([d.text for d in batch])
            for doc, decision in zip(batch, decisions):
                self.stat_update("total")
                if decision["changed"]:
                    self.stat_update("fixed")
                    doc.text = decision["text"]
                doc.metadata[self.metadata_key] = _verdict(decision)
                yield doc
