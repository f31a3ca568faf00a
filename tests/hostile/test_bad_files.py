"""Bad files, clear errors: one line naming the file, the problem and what to do; exit 2.

Each case is checked through the library (`run_lint`, text and json) and through the
CLI (click's CliRunner), and its input must be byte-for-byte unchanged afterwards.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import make_docx, make_odt, make_pdf, pdf_bytes_corrupt, rewrite_zip
from click.testing import CliRunner
from hostile_files import document_xml, ole_file
from hostile_support import Snapshot

from ospo_procure.cli import main
from ospo_procure.errors import InputError
from ospo_procure.readers import read_document
from ospo_procure.service import LintOptions, run_lint

Builder = Callable[[Path], Path]


def _write(name: str, data: bytes) -> Builder:
    def build(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(data)
        return p

    return build


def _docx(tmp: Path) -> Path:
    return make_docx(tmp, ["The supplier shall deliver the software."], name="base.docx")


def _odt(tmp: Path) -> Path:
    return make_odt(tmp, ["The supplier shall deliver the software."], name="base.odt")


def _truncated(make: Builder, name: str, keep: float) -> Builder:
    def build(tmp: Path) -> Path:
        data = make(tmp).read_bytes()
        p = tmp / name
        p.write_bytes(data[: int(len(data) * keep)])
        return p

    return build


def _zip_edit(make: Builder, name: str, replace: dict[str, bytes | None]) -> Builder:
    def build(tmp: Path) -> Path:
        return rewrite_zip(make(tmp), tmp / name, replace)

    return build


# name -> (builder, regex the error must match: the problem and what to do)
CASES: dict[str, tuple[Builder, str]] = {
    "empty .docx": (_write("empty.docx", b""), r"empty.*export or download"),
    "empty .txt": (_write("empty.txt", b""), r"empty"),
    "empty .pdf": (_write("empty.pdf", b""), r"empty"),
    "truncated .docx": (_truncated(_docx, "trunc.docx", 0.5), r"corrupt.*(truncated|zip).*save it again"),
    "garbage zip .docx": (_write("garbage.docx", b"PK\x03\x04" + bytes(range(256)) * 4), r"corrupt.*save it again"),
    "not a zip .docx": (_write("text.docx", b"just some text\n"), r"no zip signature.*save it again"),
    "docx missing document.xml": (
        _zip_edit(_docx, "nodoc.docx", {"word/document.xml": None}),
        r"missing word/document\.xml.*save it again",
    ),
    "docx malformed XML": (
        _zip_edit(_docx, "badxml.docx", {"word/document.xml": b"<w:document><w:body>"}),
        r"not well-formed XML.*save it again",
    ),
    "docx with a non-document body": (
        _zip_edit(_docx, "notword.docx", {"word/document.xml": b"<html><body/></html>"}),
        r"not a Word document body",
    ),
    "docx with a broken styles part": (
        _zip_edit(_docx, "badstyles.docx", {"word/styles.xml": b"<w:styles"}),
        r"styles\.xml is not well-formed",
    ),
    "truncated .odt": (_truncated(_odt, "trunc.odt", 0.6), r"corrupt.*save it again"),
    "odt missing content.xml": (_zip_edit(_odt, "nocontent.odt", {"content.xml": None}), r"missing content\.xml"),
    "encrypted .odt": (
        _zip_edit(
            _odt,
            "locked.odt",
            {
                "META-INF/manifest.xml": b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>'
            },
        ),
        r"password-protected \.odt.*remove the password",
    ),
    ".ppt renamed .docx": (_write("slides.docx", ole_file(["PowerPoint Document"])), r"PowerPoint.*export"),
    "odt malformed XML": (_zip_edit(_odt, "bad.odt", {"content.xml": b"<office:document-content"}), r"not well-formed"),
    "encrypted .docx": (
        _write("locked.docx", ole_file(["EncryptionInfo", "EncryptedPackage"])),
        r"password-protected.*remove the password",
    ),
    "legacy .doc renamed .docx": (
        _write("old.docx", ole_file(["WordDocument", "1Table"])),
        r"legacy Word \.doc.*save as \.docx",
    ),
    "legacy .xls renamed .docx": (_write("sheet.docx", ole_file(["Workbook"])), r"Excel spreadsheet.*export"),
    "unknown OLE renamed .docx": (_write("ole.docx", ole_file(["Something"])), r"OLE file.*save it again"),
    "rtf renamed .docx": (_write("rtf.docx", b"{\\rtf1\\ansi Hello}"), r"RTF.*save as \.docx"),
    "rtf renamed .odt": (_write("rtf.odt", b"{\\rtf1\\ansi Hello}"), r"RTF.*save as"),
    ".doc extension": (_write("old.doc", ole_file(["WordDocument"])), r"legacy Word \.doc.*save as"),
    ".rtf extension": (_write("memo.rtf", b"{\\rtf1 x}"), r"RTF is not supported.*save as"),
    "encrypted .pdf": (
        lambda t: make_pdf(t, ["Secret tender."], name="locked.pdf", encrypt="pw"),
        r"password-protected PDF.*remove the password",
    ),
    "corrupt .pdf": (_write("corrupt.pdf", pdf_bytes_corrupt()), r"corrupt PDF"),
    "truncated .pdf": (
        _truncated(lambda t: make_pdf(t, ["Some text."] * 3, name="base.pdf"), "trunc.pdf", 0.3),
        r"corrupt PDF",
    ),
    "text renamed .pdf": (_write("text.pdf", b"hello, not a pdf\n"), r"not a valid PDF.*export"),
    "Latin-1 .txt": (
        _write("latin1.txt", "Licitación pública".encode("latin-1")),
        r"not UTF-8.*re-save the file as UTF-8",
    ),
    "binary .txt": (_write("binary.txt", b"\x00\x01\x02binary"), r"binary data.*save the tender"),
    "zip renamed .md": (_write("zip.md", b"PK\x03\x04rest"), r"binary data \(zip\).*extension"),
    "image renamed .docx": (_write("scan.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64), r"image.*OCR"),
    "unsupported extension": (_write("tender.xyz", b"text"), r"unsupported file type.*supported"),
    "missing path": (lambda t: t / "does-not-exist.docx", r"no such file.*check the path"),
}


@pytest.fixture(params=sorted(CASES), ids=lambda s: s.replace(" ", "-"))
def bad_case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    build, pattern = CASES[request.param]
    return build(tmp_path), pattern


def test_reader_raises_clean_input_error(bad_case: tuple[Path, str]) -> None:
    path, pattern = bad_case
    snap = Snapshot([path])
    with pytest.raises(InputError, match=pattern) as exc:
        read_document(path)
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    snap.assert_unchanged()


def test_run_lint_reports_error_and_exits_2(bad_case: tuple[Path, str], rules_dir: Path) -> None:
    path, pattern = bad_case
    snap = Snapshot([path])
    out = run_lint([path], LintOptions(rules_dir=rules_dir))
    assert out.exit_code == 2
    [result] = out.results
    assert result.error and result.findings == []
    assert f"{path}: error: " in out.report
    js = json.loads(run_lint([path], LintOptions(rules_dir=rules_dir, fmt="json")).report)
    assert js["files"][0]["path"] == str(path) and js["files"][0]["error"] == result.error
    assert re.search(pattern, result.error), result.error
    snap.assert_unchanged()


def test_cli_one_line_exit_2(bad_case: tuple[Path, str], rules_dir: Path) -> None:
    path, _ = bad_case
    snap = Snapshot([path])
    res = CliRunner().invoke(main, ["lint", str(path), "--rules", str(rules_dir)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "internal error" not in res.output
    error_lines = [ln for ln in res.output.splitlines() if ": error: " in ln]
    assert len(error_lines) == 1 and error_lines[0].startswith(str(path)), res.output
    snap.assert_unchanged()


# ------------------------------------------------------------------ paths that are not files


def test_directory_as_document(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_cli_empty_directory_exits_2(tmp_path: Path, rules_dir: Path) -> None:
    res = CliRunner().invoke(main, ["lint", str(tmp_path), "--rules", str(rules_dir)])
    assert res.exit_code == 2 and "no lintable files" in res.output


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it would block forever: it must never be opened
    with pytest.raises(InputError, match="not a regular file"):
        read_document(fifo)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file regardless of mode")
def test_unreadable_file_permissions(tmp_path: Path, rules_dir: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("The supplier shall deliver.", encoding="utf-8")
    p.chmod(0)
    try:
        out = run_lint([p], LintOptions(rules_dir=rules_dir))
    finally:
        p.chmod(0o644)
    assert out.exit_code == 2 and "permission denied" in out.results[0].error


def test_unreadable_file_simulated(tmp_path: Path, rules_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same case as above, for runs as root: opening the file raises PermissionError."""
    p = tmp_path / "secret.txt"
    p.write_text("The supplier shall deliver.", encoding="utf-8")
    real_open = os.open

    def deny(path: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if Path(path) == p:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    out = run_lint([p], LintOptions(rules_dir=rules_dir))
    assert out.exit_code == 2
    assert out.results[0].error.startswith("permission denied")


# ------------------------------------------------------------------ image-only PDF


def test_image_only_pdf_is_a_warning_no_findings_and_unreadable_scorecard(tmp_path: Path, rules_dir: Path) -> None:
    pdf = make_pdf(tmp_path, [None, None], name="scanned.pdf")
    snap = Snapshot([pdf])
    out = run_lint([pdf], LintOptions(rules_dir=rules_dir))
    [r] = out.results
    assert r.error is None and r.findings == []
    assert any("OCR" in w for w in r.warnings)
    assert r.scorecard is not None and r.scorecard.unreadable
    assert out.exit_code == 2  # text that could not be read is never a pass
    assert "could not be read" in out.report and "OCR" in out.report
    js = json.loads(run_lint([pdf], LintOptions(rules_dir=rules_dir, fmt="json")).report)
    assert js["files"][0]["scorecard"]["unreadable"] is True
    res = CliRunner().invoke(main, ["lint", str(pdf), "--rules", str(rules_dir)])
    assert res.exit_code == 2 and "OCR" in res.output
    snap.assert_unchanged()


def test_mixed_pdf_with_one_scanned_page_still_lints(tmp_path: Path, rules_dir: Path) -> None:
    pdf = make_pdf(tmp_path, [["The supplier shall deliver open standards."], None], name="mixed.pdf")
    out = run_lint([pdf], LintOptions(rules_dir=rules_dir))
    [r] = out.results
    assert r.error is None and not r.scorecard.unreadable
    assert any("page 2" in w for w in r.warnings)
    # Page 1 was linted (its six words), the scanned page is a warning, not an error.
    assert r.words == 6 and r.findings == []
    assert out.exit_code == 0


def test_zip_docx_with_only_odt_parts_is_explained(tmp_path: Path) -> None:
    odt = make_odt(tmp_path, ["Hello"], name="x.odt")
    fake = tmp_path / "x.docx"
    fake.write_bytes(odt.read_bytes())
    with pytest.raises(InputError, match="missing word/document.xml"):
        read_document(fake)


def test_docx_body_without_w_body(tmp_path: Path) -> None:
    src = make_docx(tmp_path, ["x"], name="src.docx")
    bad = rewrite_zip(
        src, tmp_path / "nobody.docx", {"word/document.xml": document_xml("").replace(b"<w:body></w:body>", b"")}
    )
    with pytest.raises(InputError, match="no w:body"):
        read_document(bad)


def test_zip_with_unsupported_compression(tmp_path: Path) -> None:
    """A member compressed with a method Python lacks (e.g. 99/AES) is a clean error."""
    src = make_docx(tmp_path, ["x"], name="src.docx")
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo("word/document.xml")
    # Patch the method in both local and central headers to 99 (AE-x encryption).
    data[info.header_offset + 8 : info.header_offset + 10] = (99).to_bytes(2, "little")
    start = 0
    while True:
        cd = data.find(b"PK\x01\x02", start)
        if cd < 0:
            break
        name_len = int.from_bytes(data[cd + 28 : cd + 30], "little")
        if data[cd + 46 : cd + 46 + name_len] == b"word/document.xml":
            data[cd + 10 : cd + 12] = (99).to_bytes(2, "little")
        start = cd + 4
    p = tmp_path / "aes.docx"
    p.write_bytes(bytes(data))
    with pytest.raises(InputError, match="corrupt|cannot decompress|password"):
        read_document(p)
