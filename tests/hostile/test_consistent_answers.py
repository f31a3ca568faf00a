"""Consistent, honest answers for odd but harmless inputs (issue 14, item 10).

Limits and rules these cases prove (docs/limits.md):
- a document with no text (empty, whitespace only, images only) gets the same "nothing was
  checked" status as an image-only PDF, whatever its format, in every report format: a
  warning, a scorecard marked unreadable, exit 2;
- content imported with w:altChunk (HTML, text, .docx) is read; other kinds are reported;
- a zip holding two members with one name (also differing only in case) is refused as corrupt;
- format sniffing does not mistake a text that mentions "%PDF-1.7" for a PDF;
- the advice for a damaged file fits its format (no "save it in Word" for a PDF);
- a PDF with an owner password only (it opens without one) has its streams decrypted and
  checked: a Flate bomb behind it is refused under 1 GB, an ordinary one is read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import make_docx, make_odt, make_pdf, pdf_bytes_corrupt
from hostile_files import docx_with_alt_chunks, pdf_owner_password, zip_with_duplicate
from hostile_support import ONE_GB, lint_in_subprocess

from ospo_procure.errors import InputError
from ospo_procure.readers import read_document
from ospo_procure.service import LintOptions, run_lint

# ------------------------------------------------------------------ nothing to check


def _no_text_cases(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "blank.txt").write_text("   \n\n\t  \n", encoding="utf-8")
    (tmp_path / "blank.md").write_text("\n\n   \n", encoding="utf-8")
    return {
        "blank .txt": tmp_path / "blank.txt",
        "blank .md": tmp_path / "blank.md",
        "empty .docx": make_docx(tmp_path, ["   "], name="empty.docx"),
        "drawing-only .docx": make_docx(
            tmp_path,
            [("xml", '<w:p><w:r><w:drawing/></w:r><w:r><w:t xml:space="preserve">  </w:t></w:r></w:p>')],
            name="drawing.docx",
        ),
        "empty .odt": make_odt(tmp_path, ["  "], name="empty.odt"),
        "image-only .pdf": make_pdf(tmp_path, [None], name="scan.pdf"),
    }


@pytest.mark.parametrize(
    "case", ["blank .txt", "blank .md", "empty .docx", "drawing-only .docx", "empty .odt", "image-only .pdf"]
)
def test_text_free_documents_are_nothing_checked_in_every_format(tmp_path: Path, rules_dir: Path, case: str) -> None:
    path = _no_text_cases(tmp_path)[case]
    out = run_lint([path], LintOptions(rules_dir=rules_dir, language="en"))
    [r] = out.results
    assert r.error is None and r.findings == []
    assert r.unreadable
    assert any("nothing was checked" in w or "run OCR" in w for w in r.warnings)
    assert out.exit_code == 2  # nothing checked is never a pass
    assert isinstance(out.report, str) and "text could not be read" in out.report
    js = json.loads(run_lint([path], LintOptions(rules_dir=rules_dir, fmt="json", language="en")).report)
    assert js["files"][0]["scorecard"]["unreadable"] is True and js["files"][0]["warnings"]
    junit = run_lint([path], LintOptions(rules_dir=rules_dir, fmt="junit", language="en")).report
    assert isinstance(junit, str) and "unreadable" in junit
    sarif = json.loads(run_lint([path], LintOptions(rules_dir=rules_dir, fmt="sarif", language="en")).report)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("nothing was checked" in n["message"]["text"] or "OCR" in n["message"]["text"] for n in notes)


# ------------------------------------------------------------------ altChunk


def test_alt_chunk_content_is_read_or_reported(tmp_path: Path, rules_dir: Path) -> None:
    base = make_docx(tmp_path, ["The main text names nothing in particular."], name="base.docx")
    inner = make_docx(tmp_path, ["The system must run on Microsoft SQL Server."], name="inner.docx")
    html = b"<html><head><style>p {}</style></head><body><p>All seats priced per named user.</p></body></html>"
    path = docx_with_alt_chunks(
        base,
        tmp_path / "chunks.docx",
        {
            "c1.htm": html,
            "c2.txt": b"Letters shall be .doc files.\n\nA second paragraph.",
            "c3.docx": inner.read_bytes(),
            "c4.rtf": b"{\\rtf1 hidden from the linter}",
        },
    )
    doc = read_document(path)
    imported = [b.text for b in doc.blocks if b.location.part == "altchunk"]
    assert imported == [
        "All seats priced per named user.",
        "Letters shall be .doc files.",
        "A second paragraph.",
        "The system must run on Microsoft SQL Server.",
    ]
    assert any("imported RTF content (altChunk 4" in w and "not read" in w for w in doc.warnings)
    out = run_lint([path], LintOptions(rules_dir=rules_dir, language="en", fmt="json"))
    rules = {f.rule for f in out.results[0].findings}
    assert {"T-BRAND", "T-PER-USER", "T-FORMAT"} <= rules  # imported text is linted


# ------------------------------------------------------------------ duplicate members


@pytest.mark.parametrize("as_name", ["word/document.xml", "Word/Document.xml"])
def test_duplicate_zip_members_are_refused_as_corrupt(tmp_path: Path, as_name: str) -> None:
    base = make_docx(tmp_path, ["The first version of the text."], name="base.docx")
    evil = zip_with_duplicate(base, tmp_path / "dup.docx", "word/document.xml", b"<not-the-same/>", as_name=as_name)
    with pytest.raises(InputError, match=r"corrupt \.docx: the zip archive holds two members named .*ocument\.xml"):
        read_document(evil)
    odt = make_odt(tmp_path, ["Text."], name="base.odt")
    evil_odt = zip_with_duplicate(odt, tmp_path / "dup.odt", "content.xml", b"<x/>")
    with pytest.raises(InputError, match=r"corrupt \.odt: .*two members named content\.xml.*LibreOffice"):
        read_document(evil_odt)


# ------------------------------------------------------------------ sniffing and messages


def test_text_that_mentions_a_pdf_header_is_text(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text("%PDF-1.7 is the version of the PDF standard we require for the archive.\n\nAnd more.\n")
    assert read_document(md).blocks[0].text.startswith("%PDF-1.7 is the version")
    txt = tmp_path / "notes.txt"
    txt.write_text("Deliverables: reports as PDF files (header %PDF-1.7 or later), never as .doc.\n")
    assert read_document(txt).blocks
    renamed = tmp_path / "really.md"
    renamed.write_bytes(make_pdf(tmp_path, [["Hello"]], name="real.pdf").read_bytes())
    with pytest.raises(InputError, match=r"holds binary data \(pdf\)"):
        read_document(renamed)


def test_damaged_file_advice_fits_the_format(tmp_path: Path) -> None:
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(pdf_bytes_corrupt())
    with pytest.raises(InputError) as exc:
        read_document(pdf)
    assert "PDF" in exc.value.message and "Word" not in exc.value.message
    odt = tmp_path / "bad.odt"
    odt.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(InputError) as exc:
        read_document(odt)
    assert "LibreOffice" in exc.value.message and "Word" not in exc.value.message


# ------------------------------------------------------------------ owner-password PDFs


def test_owner_password_pdf_with_a_flate_bomb_is_refused(tmp_path: Path, rules_dir: Path) -> None:
    evil = pdf_owner_password(tmp_path / "owner-bomb.pdf", bomb_mb=400)
    assert evil.stat().st_size < 1_000_000
    m = lint_in_subprocess([evil], rules_dir)
    [error] = m.report()["errors"]
    assert error is not None and "max_pdf_stream_bytes" in error, m.stdout + m.stderr
    assert m.peak_rss < ONE_GB  # it reached 2.6 GB when pdfium inflated it


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_owner_password_pdf_is_read(tmp_path: Path, algorithm: str) -> None:
    plain = make_pdf(tmp_path, [["The system must run on Microsoft SQL Server."]], name="plain.pdf")
    locked = pdf_owner_password(tmp_path / f"locked-{algorithm}.pdf", text_pdf=plain, algorithm=algorithm)
    assert [b.text for b in read_document(locked).blocks] == ["The system must run on Microsoft SQL Server."]
