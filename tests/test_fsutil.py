"""Atomic writes: content lands whole, temp files vanish, inputs are never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_procure.errors import UsageError
from ospo_procure.fsutil import atomic_write_bytes, atomic_write_text


def test_atomic_write_creates_parents_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    atomic_write_text(target, "héllo\n")
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]


def test_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    src = tmp_path / "spec.yaml"
    src.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="refusing to overwrite an input file"):
        atomic_write_text(tmp_path / "." / "spec.yaml", "y", inputs=[src])
    assert src.read_text(encoding="utf-8") == "x"
