from os import PathLike
from typing import Any, Literal, Optional, Sequence, TypedDict, Union

__version__: str

class RuleError(Exception):
    """A rule file or configuration that does not load (file:line:col)."""

class Edit(TypedDict):
    byte_start: int
    byte_end: int
    replacement: str

class FixInfo(TypedDict):
    applicability: Literal["safe", "unsafe"]
    edits: list[Edit]

class Finding(TypedDict):
    path: None
    record: Optional[int]
    doc_id: Any
    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    byte_start: int
    byte_end: int
    start: int
    end: int
    help: Optional[str]
    fix: Optional[FixInfo]

class Decision(TypedDict):
    kept: bool
    text: str
    reasons: list[dict[str, Any]]
    score: float
    findings: dict[str, int]
    fixed: dict[str, int]
    changed: bool
    bytes_before: int
    bytes_after: int
    boilerplate_share: float
    words: int
    findings_per_kb: float

_Path = Union[str, PathLike[str]]

class Linter:
    def __init__(
        self,
        config: Optional[_Path] = None,
        rules: Optional[Sequence[_Path]] = None,
        select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
        lang: Optional[str] = None,
        unsafe_fixes: bool = False,
        *,
        threads: Optional[int] = None,
        drop_on: Optional[Literal["error", "warning", "info", "never"]] = None,
        drop_rules: Optional[Sequence[str]] = None,
        max_boilerplate_share: Optional[float] = None,
        min_words: Optional[int] = None,
        max_findings_per_kb: Optional[float] = None,
        min_score: Optional[float] = None,
    ) -> None: ...
    def check(self, text: str) -> list[Finding]: ...
    def fix(self, text: str) -> str: ...
    def filter(self, text: str) -> Decision: ...
    def check_batch(self, texts: Sequence[str]) -> list[list[Finding]]: ...
    def fix_batch(self, texts: Sequence[str]) -> list[str]: ...
    def filter_batch(self, texts: Sequence[str]) -> list[Decision]: ...
    def check_arrow(self, array: Any) -> Any:
        """pyarrow.RecordBatch: row, rule, severity, message, start, end,
        byte_start, byte_end, line, column, fix."""
    def fix_arrow(self, array: Any) -> Any:
        """pyarrow string array of the fixed texts."""
    def filter_arrow(self, array: Any) -> Any:
        """pyarrow.RecordBatch: kept, text, score, changed, reasons (JSON)."""
    def __reduce__(self) -> Any: ...
