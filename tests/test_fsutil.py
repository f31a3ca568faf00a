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


@pytest.fixture
def umask_027():
    import os

    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


def test_new_outputs_follow_the_umask_and_replaced_ones_keep_their_mode(tmp_path: Path, umask_027: int) -> None:
    """mkstemp would make every report 0600; a new output gets 0666 minus the user's umask."""
    from ospo_procure.fsutil import current_umask

    assert current_umask() == umask_027
    target = tmp_path / "report.html"
    atomic_write_text(target, "<p>1</p>")
    assert target.stat().st_mode & 0o777 == 0o640
    target.chmod(0o600)  # the user made this one private: replacing it keeps it private
    atomic_write_text(target, "<p>2</p>")
    assert target.stat().st_mode & 0o777 == 0o600 and target.read_text() == "<p>2</p>"


def test_every_command_output_has_the_same_permissions(tmp_path: Path, umask_027: int) -> None:
    """HTML, PDF, the annotated copy, init's spec and the build outputs: all 0640 under umask 027."""
    from click.testing import CliRunner

    from ospo_procure.cli import main
    from ospo_procure.paths import data_dir

    tender = data_dir("examples") / "tenders" / "sba_case_management_tor.docx"
    runner = CliRunner()
    outs = {
        "html": tmp_path / "r.html",
        "pdf": tmp_path / "r.pdf",
        "annotated": tmp_path / "r.docx",
        "spec": tmp_path / "spec.yaml",
    }
    runner.invoke(main, ["lint", str(tender), "--format", "html", "-o", str(outs["html"])])
    runner.invoke(
        main, ["lint", str(tender), "--format", "pdf", "-o", str(outs["pdf"]), "--annotate", str(outs["annotated"])]
    )
    assert runner.invoke(main, ["init", "--lang", "es", "-o", str(outs["spec"])]).exit_code == 0
    res = runner.invoke(main, ["build", str(outs["spec"]), "-o", str(tmp_path / "out"), "--no-lint"])
    assert res.exit_code == 0, res.output
    built = sorted((tmp_path / "out").iterdir())
    modes = {name: p.stat().st_mode & 0o777 for name, p in outs.items()}
    modes |= {p.name: p.stat().st_mode & 0o777 for p in built}
    assert set(modes.values()) == {0o640}, modes
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o750
