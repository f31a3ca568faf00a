"""A folder mixing good and hostile files: the good ones are linted, the bad ones get a
per-file error entry in every output format, and the run exits 2 at the end."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from builders import make_docx, make_odt, make_pdf, rewrite_zip
from click.testing import CliRunner
from hostile_files import (
    BILLION_LAUGHS,
    document_xml,
    ole_file,
    pdf_stream_bomb,
    zip_bomb_docx,
)
from hostile_support import Snapshot

from ospo_procure.cli import main
from ospo_procure.service import LintOptions, run_lint

GOOD_TEXT = "The supplier shall deliver the software under an open licence. Microsoft SQL Server is required."


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, list[Path], list[Path]]:
    root = tmp_path / "tenders"
    root.mkdir()
    good = [
        make_docx(root, [GOOD_TEXT], name="a-good.docx"),
        make_odt(root, [GOOD_TEXT], name="b-good.odt"),
        make_pdf(root, [GOOD_TEXT], name="c-good.pdf"),
    ]
    (root / "d-good.md").write_text(f"# Scope\n\n{GOOD_TEXT}\n", encoding="utf-8")
    good.append(root / "d-good.md")
    bad: list[Path] = []
    (root / "e-empty.txt").write_bytes(b"")
    bad.append(root / "e-empty.txt")
    bad.append(zip_bomb_docx(good[0], root / "f-bomb.docx", 3000))
    bad.append(
        rewrite_zip(
            good[0], root / "g-laughs.docx", {"word/document.xml": document_xml("<w:p/>", prolog=BILLION_LAUGHS)}
        )
    )
    (root / "h-locked.docx").write_bytes(ole_file(["EncryptionInfo", "EncryptedPackage"]))
    bad.append(root / "h-locked.docx")
    (root / "i-bomb.pdf").write_bytes(pdf_stream_bomb(2000))
    bad.append(root / "i-bomb.pdf")
    (root / "j-latin1.txt").write_bytes("Licitación".encode("latin-1"))
    bad.append(root / "j-latin1.txt")
    (root / "k-truncated.docx").write_bytes(good[0].read_bytes()[:900])
    bad.append(root / "k-truncated.docx")
    (root / "notes.xyz").write_text("ignored: not a lintable extension", encoding="utf-8")
    return root, good, bad


def _check_results(results, good: list[Path], bad: list[Path]) -> None:  # type: ignore[no-untyped-def]
    by_path = {r.path: r for r in results}
    assert set(by_path) == {str(p) for p in good + bad}
    for p in good:
        r = by_path[str(p)]
        assert r.error is None and r.scorecard is not None and r.words > 0, (p, r.error)
    for p in bad:
        assert by_path[str(p)].error, p


def test_run_lint_text_and_json(folder: tuple[Path, list[Path], list[Path]], rules_dir: Path) -> None:
    root, good, bad = folder
    snap = Snapshot(good + bad)
    out = run_lint([root], LintOptions(rules_dir=rules_dir))
    assert out.exit_code == 2
    _check_results(out.results, good, bad)
    for p in bad:
        assert f"{p}: error: " in out.report
    assert f"{len(bad)} files could not be read" in out.report
    js = json.loads(run_lint([root], LintOptions(rules_dir=rules_dir, fmt="json")).report)
    files = {f["path"]: f for f in js["files"]}
    assert all(files[str(p)]["error"] for p in bad)
    assert all(files[str(p)]["error"] is None for p in good)
    snap.assert_unchanged()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_mixed_folder(folder: tuple[Path, list[Path], list[Path]], rules_dir: Path, fmt: str) -> None:
    root, good, bad = folder
    snap = Snapshot(good + bad)
    res = CliRunner().invoke(main, ["lint", str(root), "--rules", str(rules_dir), "--format", fmt])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "internal error" not in res.output
    if fmt == "json":
        js = json.loads(res.stdout)
        errors = {f["path"]: f["error"] for f in js["files"]}
        assert {p for p, e in errors.items() if e} == {str(p) for p in bad}
    else:
        for p in bad:
            assert f"{p}: error: " in res.output
    snap.assert_unchanged()


@pytest.mark.parametrize("fmt", ["sarif", "junit", "html", "pdf"])
def test_every_format_has_per_file_errors(
    folder: tuple[Path, list[Path], list[Path]], rules_dir: Path, tmp_path: Path, fmt: str
) -> None:
    root, good, bad = folder
    snap = Snapshot(good + bad)
    report = tmp_path / f"report.{fmt}"
    out = run_lint([root], LintOptions(rules_dir=rules_dir, fmt=fmt, output=report))
    assert out.exit_code == 2
    _check_results(out.results, good, bad)
    data = report.read_bytes()
    if fmt == "sarif":
        run = json.loads(data)["runs"][0]
        notes = " ".join(n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"])
        assert all(p.name in notes for p in bad)
    elif fmt == "junit":
        ET.fromstring(data)  # well-formed even with hostile names and messages
        text = data.decode()
        assert all(p.name in text for p in bad) and text.count("<error") >= len(bad)
    elif fmt == "html":
        text = data.decode()
        assert text.count("Could not read this file") == len(bad)
    else:
        assert data.startswith(b"%PDF-") and len(data) > 1000
    snap.assert_unchanged()
