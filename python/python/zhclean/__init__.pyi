"""Type stubs for zhclean (the native module is zhclean._zhclean)."""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Literal, Mapping, Optional, TypedDict, Union

__version__: str
SCHEMA_VERSION: int

class InputReport(TypedDict, total=False):
    path: Optional[str]
    url: Optional[str]
    encoding: str
    malformed: int
    bytes: int
    charset_evidence: Optional[str]
    format: Optional[str]

class Removed(TypedDict):
    kind: str
    text: str

class Repairs(TypedDict):
    pinyin_annotations: int
    to_simplified: int
    punctuation: int
    garbled: int
    dropped_chars: int

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

class ErrorInfo(TypedDict):
    kind: str
    message: str

class ErrorRecord(TypedDict):
    """What ``clean_many`` yields for an input that failed."""

    id: Optional[str]
    input: InputReport
    error: ErrorInfo

class CleanError(ValueError):
    """An input that could not be cleaned (``kind``: machine-readable; ``message``: for people)."""

    kind: str
    message: str
    def __init__(self, kind: str, message: str) -> None: ...

Page = Union[bytes, bytearray, str]
"""Raw page bytes in any encoding (or already-decoded text)."""

Item = Union[Page, Mapping[str, Any]]
"""A ``clean_many`` item: a page, or a record with the page under ``html``/``content``/
``text``/``raw`` and optional ``id``, ``url``, ``content_type``, ``path``, ``format``."""

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
        ``ErrorRecord`` for an item that failed. An exception raised by ``items`` itself is
        re-raised after the results of the items before it."""
    def __reduce__(self) -> tuple[type[Cleaner], tuple[Any, ...]]: ...

class CleanIter(Iterator[Union[Article, ErrorRecord]]):
    """The iterator ``Cleaner.clean_many`` returns."""

    def __iter__(self) -> CleanIter: ...
    def __next__(self) -> Union[Article, ErrorRecord]: ...
