"""Nothing lost: inputs are never written, no output overwrites an input, outputs are
renamed into place (an interrupted write leaves the old file), and a failed build
leaves no half-written folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from builders import make_docx
from click.testing import CliRunner
from hostile_support import Snapshot

from ospo_procure.cli import main
from ospo_procure.errors import DataError, UsageError
from ospo_procure.service import LintOptions, run_lint

ROOT = Path(__file__).resolve().parents[2]
TEXT = "The supplier shall deliver Microsoft SQL Server per named user."


@pytest.fixture
def tender(tmp_path: Path) -> Path:
    return make_docx(tmp_path, [TEXT], name="tender.docx")


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") and (".tmp" in p.name or ".build-" in p.name)
    )


@pytest.mark.parametrize("how", ["same-path", "relative-path", "hard-link", "symlink"])
def test_report_never_overwrites_an_input(
    tender: Path, tmp_path: Path, rules_dir: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    snap = Snapshot([tender])
    if how == "same-path":
        target = tender
    elif how == "relative-path":
        monkeypatch.chdir(tmp_path)
        target = Path("sub/../tender.docx")
        (tmp_path / "sub").mkdir()
    elif how == "hard-link":
        target = tmp_path / "link.json"
        os.link(tender, target)
    else:
        target = tmp_path / "sym.json"
        target.symlink_to(tender)
    res = CliRunner().invoke(
        main, ["lint", str(tender), "--rules", str(rules_dir), "--format", "json", "-o", str(target)]
    )
    assert res.exit_code == 2 and "refusing to overwrite an input file" in res.output
    snap.assert_unchanged()


def test_annotate_never_overwrites_the_input(tender: Path, rules_dir: Path) -> None:
    snap = Snapshot([tender])
    with pytest.raises(UsageError, match="refusing to overwrite"):
        run_lint([tender], LintOptions(rules_dir=rules_dir, annotate=tender))
    snap.assert_unchanged()


def test_annotated_copy_leaves_input_unchanged(tender: Path, tmp_path: Path, rules_dir: Path) -> None:
    snap = Snapshot([tender])
    out = tmp_path / "annotated.docx"
    run_lint([tender], LintOptions(rules_dir=rules_dir, annotate=out))
    assert out.is_file() and out.read_bytes() != tender.read_bytes()
    snap.assert_unchanged()


@pytest.mark.parametrize(("failure", "raised"), [(KeyboardInterrupt, KeyboardInterrupt), (OSError, UsageError)])
def test_interrupted_report_write_keeps_the_old_file(
    tender: Path,
    tmp_path: Path,
    rules_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: type[BaseException],
    raised: type[BaseException],
) -> None:
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_text("OLD REPORT", encoding="utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise failure("interrupted just before the rename")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(raised):  # an OSError becomes one clear line (UsageError), not an internal error
        run_lint([tender], LintOptions(rules_dir=rules_dir, fmt="json", output=report))
    assert report.read_text(encoding="utf-8") == "OLD REPORT"
    assert _leftovers(report.parent) == []


def test_disk_full_during_write_keeps_the_old_file(
    tender: Path, tmp_path: Path, rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ospo_procure import fsutil

    report = tmp_path / "report.json"
    report.write_text("OLD REPORT", encoding="utf-8")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int, mode: str):
            self.fh = real_fdopen(fd, mode)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *a: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "fdopen", Full)
    with pytest.raises(UsageError, match="no space left on the device; nothing was written"):
        run_lint([tender], LintOptions(rules_dir=rules_dir, fmt="json", output=report))
    assert report.read_text(encoding="utf-8") == "OLD REPORT"
    assert _leftovers(tmp_path) == []


def test_completed_write_replaces_the_whole_file(tender: Path, tmp_path: Path, rules_dir: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("OLD REPORT" * 10_000, encoding="utf-8")
    run_lint([tender], LintOptions(rules_dir=rules_dir, fmt="json", output=report))
    import json

    assert json.loads(report.read_text(encoding="utf-8"))["files"][0]["path"] == str(tender)
    assert _leftovers(tmp_path) == []


# ------------------------------------------------------------------ build


@pytest.fixture
def evil_templates(tmp_path: Path) -> Path:
    """The bundled templates, with one that fails only while rendering (after staging began)."""
    import docx

    folder = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    d = docx.Document()
    d.add_paragraph("{{ ''.__class__.__mro__ }}")
    d.save(str(folder / "evaluation_grid.docx"))
    return folder


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return Path(shutil.copy(ROOT / "examples" / "specs" / "en-grants-platform.yaml", tmp_path / "spec.yaml"))


def test_failed_build_leaves_no_folder(spec: Path, evil_templates: Path, tmp_path: Path) -> None:
    from ospo_procure.tender.assemble import build_tender

    out = tmp_path / "out"
    snap = Snapshot([spec, *evil_templates.iterdir()])
    with pytest.raises(DataError, match="unsafe"):
        build_tender(spec, out, template_dir=evil_templates, lint=False)
    assert not out.exists()
    assert _leftovers(tmp_path) == []
    snap.assert_unchanged()


def test_failed_build_keeps_the_previous_output(spec: Path, evil_templates: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "terms_of_reference.docx").write_bytes(b"previous build")
    res = CliRunner().invoke(
        main, ["build", str(spec), "-o", str(out), "--templates", str(evil_templates), "--no-lint"]
    )
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert [p.name for p in out.iterdir()] == ["terms_of_reference.docx"]
    assert (out / "terms_of_reference.docx").read_bytes() == b"previous build"
    assert _leftovers(tmp_path) == []
