"""corpuslint: lint text corpora for what the scraper left behind.

The same Rust core as the ``corpuslint`` command, in-process::

    from corpuslint import Linter
    linter = Linter()                     # the built-in rules, compiled once
    linter.check("Ein Satz.< /p>")        # findings: dicts of the JSON schema
    linter.fix("Ein Satz.< /p>")          # 'Ein Satz.'
    linter.filter("Anzeige")["kept"]      # False: empty after fixing

Batch and Arrow forms (``check_batch``, ``fix_arrow``, ...) run on the
linter's own threads and release the GIL. Steps for engines:
``corpuslint.spark``, ``corpuslint.ray``, ``corpuslint.datatrove`` (each
imports its engine only when used). ``repeat/cross-document`` needs a pass
over the whole corpus and does not run in-process.
"""

from ._core import Linter, RuleError, __version__

__all__ = ["Linter", "RuleError", "__version__"]
