"""`ospo-procure init`: write a commented starter spec in the officer's language."""

from __future__ import annotations

import shlex
from pathlib import Path

from ospo_procure.errors import UsageError
from ospo_procure.fsutil import atomic_write_text

from .vocab import LANGUAGES

_STARTERS = Path(__file__).resolve().parent / "starters"


DEFAULT_NAME = "tender-spec.yaml"


def starter_text(language: str, spec_name: str = DEFAULT_NAME) -> str:
    """The starter spec; its first comment says how to build it under the name it is saved as."""
    if language not in LANGUAGES:
        raise UsageError(f"unknown language {language!r} (choose from {', '.join(LANGUAGES)})")
    text = (_STARTERS / f"{language}.yaml").read_text(encoding="utf-8")
    return text.replace("{spec}", shlex.quote(spec_name), 1)


def write_starter(language: str, output: str | Path, *, force: bool = False) -> Path:
    out = Path(output)
    if out.exists() and not force:
        raise UsageError("file exists; choose another name with -o or pass --force to overwrite", path=out)
    if out.is_dir():
        raise UsageError("is a directory; pass a file name with -o", path=out)
    return atomic_write_text(out, starter_text(language, str(out)))
