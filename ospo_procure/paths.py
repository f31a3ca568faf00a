"""Locate the bundled data folders (lint_rules/, clause_library/, templates/, examples/).

In a checkout (and an editable install) they sit beside the package; in a wheel they
are installed inside it as ``ospo_procure/data/<name>`` (see pyproject's force-include).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data folder {name!r} not found (broken installation?)")


def cache_dir() -> Path:
    """Where derived data is cached (lemma tables, validated rule folders); safe to delete."""
    base = os.environ.get("OSPO_PROCURE_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ospo-procure"
