"""zhclean: scraped Chinese news pages in, clean, segmented, structured article dicts out.

>>> import zhclean
>>> cleaner = zhclean.Cleaner()
>>> article = cleaner.clean("據(jù)悉,生活垃圾分類工作取得進(jìn)展。\\n標(biāo)簽: 生活垃圾分類")
>>> article["body"], article["tags"]
('据悉，生活垃圾分类工作取得进展。', ['生活垃圾分类'])

Each dict is the JSON object the ``zhclean`` command writes for the same input (schema
version ``SCHEMA_VERSION``). See ``docs/python.md`` in the repository.
"""

from __future__ import annotations


class CleanError(ValueError):
    """An input that could not be cleaned.

    ``kind`` is the machine-readable error kind of the CLI's error records (``"empty_input"``,
    ``"not_text"``, ``"user_dict"``, ``"invalid_input"``, ``"panic"``, ...) and ``message``
    a human-readable sentence naming the problem.
    """

    def __init__(self, kind: str, message: str) -> None:
        # Both go to args so that the exception pickles (Spark ships exceptions around).
        super().__init__(kind, message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.kind}]"


# Imported after CleanError: the native module raises it by name.
from ._zhclean import SCHEMA_VERSION, Cleaner, CleanIter, __version__  # noqa: E402

__all__ = ["Cleaner", "CleanError", "CleanIter", "SCHEMA_VERSION", "__version__"]
