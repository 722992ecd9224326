"""Type stubs for zhclean (the native module is zhclean._zhclean)."""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Literal, Optional, TypedDict, Union

__version__: str
SCHEMA_VERSION: int

class InputReport(TypedDict, total=False):
    path: Optional[str]
    url: Optional[str]
    encoding: str
    malformed: int
    bytes: int
    charset_evidence: str
    """``"bom"``, ``"content_type"``, ``"meta_charset"``, ``"valid_utf8"``, ``"utf16_pattern"``
    or ``"detected"``; absent when nothing was decoded."""
    format: str
    """``"html"`` or ``"text"``; absent when nothing was decoded."""
    line: int
    """Line of the record in a JSONL input (CLI only)."""
    record: int
    """Number of the record in a WARC input (CLI only)."""

class Removed(TypedDict):
    kind: str
    text: str

class Repairs(TypedDict):
    pinyin_annotations: int
    to_simplified: int
    punctuation: int
    garbled: int
    dropped_chars: int
    recovered: int
    mojibake: int

class RepairedSpan(TypedDict):
    kind: str
    """``"byte_shift"``, ``"utf8_as_gbk"``, ``"utf8_as_latin1"``, ``"gbk_as_big5"``,
    ``"big5_as_gbk"``."""
    before: str
    after: str

class Quality(TypedDict):
    score: float
    han_share: float
    rare_share: float
    garbled: int
    avg_paragraph_chars: float
    pinyin_remnants: int

class Article(TypedDict, total=False):
    """One cleaned page: the JSON object the CLI writes (optional keys may be absent)."""

    id: Optional[str]
    input: InputReport
    title: Optional[str]
    published_at: Optional[str]
    authors: list[str]
    source: Optional[str]
    editor: Optional[str]
    original_title: Optional[str]
    tags: list[str]
    description: Optional[str]
    canonical_url: Optional[str]
    keywords: list[str]
    body: str
    words: list[list[str]]
    pos: list[list[str]]
    removed: list[Removed]
    repairs: Repairs
    meta: dict[str, Any]
    """A dict record's fields other than the page (``clean_many``), as JSON values."""
    repaired: list[RepairedSpan]
    quality: Quality

class ErrorInfo(TypedDict):
    kind: str
    message: str

class ErrorRecord(TypedDict, total=False):
    """What ``clean_many`` yields for an input that failed."""

    id: Optional[str]
    input: InputReport
    error: ErrorInfo
    meta: dict[str, Any]
    """A dict record's fields other than the page, as JSON values."""

class CleanError(ValueError):
    """An input that could not be cleaned (``kind``: machine-readable; ``message``: for people)."""

    kind: str
    message: str
    def __init__(self, kind: str, message: str) -> None: ...

Page = Union[bytes, bytearray, str]
"""Raw page bytes in any encoding (or already-decoded text)."""

Item = Union[Page, dict[str, Any]]
"""A ``clean_many`` item: a page, or a dict record with the page under the first of
``html``/``content``/``text``/``raw`` holding bytes or str, and optional ``id`` (else
``url``), ``url``, ``content_type``, ``path``, ``format``. Every field but the page passes
through to the result's ``meta``, as JSON values (other values as their ``str()``)."""

class Cleaner:
    """Cleans scraped Chinese news pages into article dicts.

    Build one per process (or per Spark partition) and reuse it. Thread-safe; picklable by
    its options (``user_dict`` must exist where it is unpickled).
    """

    def __init__(
        self,
        script: Literal["simplified", "keep"] = "simplified",
        segment: bool = True,
        pos: bool = False,
        user_dict: Optional[Union[str, os.PathLike[str]]] = None,
        keywords: int = 10,
        format: Literal["auto", "html", "text"] = "auto",
    ) -> None:
        """Raises ``ValueError`` for invalid options, ``CleanError`` (kind ``user_dict``) when
        the user dictionary cannot be loaded."""
    @property
    def script(self) -> str: ...
    @property
    def segment(self) -> bool: ...
    @property
    def pos(self) -> bool: ...
    @property
    def user_dict(self) -> Optional[os.PathLike[str]]: ...
    @property
    def keywords(self) -> int: ...
    @property
    def format(self) -> str: ...
    def clean(
        self,
        data: Page,
        *,
        id: Optional[str] = None,
        url: Optional[str] = None,
        content_type: Optional[str] = None,
        path: Optional[str] = None,
        format: Optional[Literal["auto", "html", "text"]] = None,
    ) -> Article:
        """Cleans one page. ``content_type`` (an HTTP header value) is charset evidence;
        ``format`` overrides the cleaner's for this page.

        Raises ``CleanError`` for input that cannot be cleaned, ``TypeError`` for a ``data``
        that is not bytes or str. Releases the GIL while cleaning."""
    def clean_many(
        self, items: Iterable[Item], threads: Optional[int] = None
    ) -> CleanIter:
        """Cleans ``items`` on ``threads`` worker threads (default: all cores) with the GIL
        released, yielding exactly one dict per item, in input order: an ``Article``, or an
        ``ErrorRecord`` for an item that failed. A dict record gives what the CLI's ``--jsonl``
        gives for the same line (its other fields under ``meta``). An exception raised by
        ``items`` itself is re-raised after the results of the items before it."""
    def __reduce__(self) -> tuple[type[Cleaner], tuple[Any, ...]]: ...

class CleanIter(Iterator[Union[Article, ErrorRecord]]):
    """The iterator ``Cleaner.clean_many`` returns."""

    def __iter__(self) -> CleanIter: ...
    def __next__(self) -> Union[Article, ErrorRecord]: ...
