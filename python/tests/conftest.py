"""Shared fixtures: paths into the repository (tests run from a source checkout)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
SEED = FIXTURES / "seed" / "000_f764d41b789eb620.txt"


def cli_path():
    """The zhclean binary to compare against: $ZHCLEAN_CLI, else the newest cargo build in
    target/, else one on PATH."""
    explicit = os.environ.get("ZHCLEAN_CLI")
    if explicit:
        return explicit
    built = [REPO / "target" / p / "zhclean" for p in ("release", "debug")]
    built = [b for b in built if b.exists()]
    if built:
        return str(max(built, key=lambda b: b.stat().st_mtime))
    return shutil.which("zhclean")


@pytest.fixture(scope="session")
def cleaner():
    import zhclean

    return zhclean.Cleaner()


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()
