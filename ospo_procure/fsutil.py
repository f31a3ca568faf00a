"""Atomic file writes shared by every command that writes output.

A reader never sees a half-written file: data goes to a temporary file in the target's
own directory (same filesystem, so `os.replace` is atomic) and is renamed into place.
Writing over one of the command's own input files is refused, because a crash or a
bug would otherwise destroy the source the user still needs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ospo_procure.errors import UsageError

PathLike = str | os.PathLike[str]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_not_input(path: PathLike, inputs: Iterable[PathLike] = ()) -> None:
    """Raise UsageError when `path` is (or resolves to) one of `inputs`."""
    target = Path(path)
    for inp in inputs:
        src = Path(inp)
        if target.resolve() == src.resolve() or _same_file(target, src):
            raise UsageError("refusing to overwrite an input file", path=target)


def atomic_write_bytes(path: PathLike, data: bytes, *, inputs: Iterable[PathLike] = ()) -> Path:
    """Write `data` to `path` atomically (temp file beside it + os.replace)."""
    target = Path(path)
    check_not_input(target, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def atomic_write_text(path: PathLike, text: str, *, encoding: str = "utf-8", inputs: Iterable[PathLike] = ()) -> Path:
    """Text variant of `atomic_write_bytes`; newlines are written as given (no translation)."""
    return atomic_write_bytes(path, text.encode(encoding), inputs=inputs)
