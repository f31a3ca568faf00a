from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from shared_corpus import corpus_file

from ospo_procure.errors import UsageError
from ospo_procure.model import Block, FileResult, Finding, Waiver, WaiverSource
from ospo_procure.readers.docx_reader import W, extract_blocks, parts_from_python_docx
from ospo_procure.report.annotate import annotate_docx


def build_docx(path: Path) -> None:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Confidencial — uso exclusivo Windows"
    d.add_heading("Pliego técnico de contratación", level=1)
    p = d.add_paragraph("El sistema usará ")
    p.add_run("Micro").bold = True
    p.add_run("soft Off").italic = True
    r = p.add_run("ice 365 y la migración")
    r.underline = True
    r.font.size = Pt(13)
    p.add_run(" será gratuita.")
    d.add_paragraph("Oracle aquí y Oracle allá;\tprecio por usuario.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Requisito"
    table.cell(1, 1).text = "Certificación Cisco obligatoria"
    d.add_paragraph("Se valorará el software libre (ñandú, açúcar, não).")
    d.save(str(path))


def blocks_of(path: Path) -> list[Block]:
    return extract_blocks(parts_from_python_docx(docx.Document(str(path))))[0]


def finding_for(
    blocks: list[Block],
    match: str,
    rule: str,
    *,
    occurrence: int = 0,
    severity: str = "error",
    waiver: Waiver | None = None,
) -> Finding:
    """A finding with real reader offsets, found by searching the blocks."""
    seen = 0
    for i, b in enumerate(blocks):
        pos = b.text.find(match)
        while pos >= 0:
            if seen == occurrence:
                return Finding(
                    rule=rule,
                    category="brand",
                    severity=severity,
                    message=f"“{match}” names a vendor.",
                    match=match,
                    start=pos,
                    end=pos + len(match),
                    context=b.text,
                    location=b.location,
                    suggestion="Add “or equivalent”.",
                    criteria=(1, 6),
                    legal_basis="Ley 9/2017, art. 126",
                    block_index=i,
                    waiver=waiver,
                )
            seen += 1
            pos = b.text.find(match, pos + 1)
    raise AssertionError(f"{match!r} not in the document")


def anchored_texts(path: Path) -> dict[str, str]:
    """comment id -> text between its commentRangeStart and commentRangeEnd (body XML walk)."""
    body = docx.Document(str(path)).element.body
    open_ids: list[str] = []
    texts: dict[str, str] = {}
    for el in body.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "t", W + "tab"):
        cid = el.get(W + "id")
        if el.tag == W + "commentRangeStart":
            open_ids.append(cid)
            texts[cid] = ""
        elif el.tag == W + "commentRangeEnd":
            open_ids.remove(cid)
        else:
            piece = "\t" if el.tag == W + "tab" else (el.text or "")
            for c in open_ids:
                texts[c] += piece
    return texts


def comment_map(path: Path) -> dict[str, str]:
    return {str(c.comment_id): c.text for c in docx.Document(str(path)).comments}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def tender(tmp_path: Path) -> tuple[Path, FileResult]:
    src = tmp_path / "pliego.docx"
    build_docx(src)
    blocks = blocks_of(src)
    findings = [
        finding_for(blocks, "Microsoft Office 365", "brand"),
        finding_for(blocks, "Oracle", "brand", occurrence=1),
        finding_for(blocks, "allá;\tprecio por usuario", "per-user", severity="warning"),
        finding_for(
            blocks,
            "Cisco",
            "vendor-cert",
            waiver=Waiver(rule="vendor-cert", justification="red existente", source=WaiverSource("comment")),
        ),
        finding_for(blocks, "Windows", "brand"),  # header: summary comment
    ]
    return src, FileResult(path=str(src), format="docx", findings=findings)


def test_comments_anchor_on_exact_words(tender: tuple[Path, FileResult], tmp_path: Path) -> None:
    src, result = tender
    before = sha(src)
    dest = tmp_path / "out" / "pliego.anotado.docx"
    stats = annotate_docx(src, result, dest)
    assert sha(src) == before  # source untouched
    assert stats.anchored == 4 and stats.fallback == 0 and stats.summarized == 1 and stats.waived == 1
    assert stats.comments == 5

    comments = comment_map(dest)
    assert len(docx.Document(str(dest)).comments) == 5
    anchors = anchored_texts(dest)
    by_match: dict[str, str] = {}
    for cid, text in anchors.items():
        by_match[text] = comments[cid]
    for f in result.findings[:4]:
        assert f.match in by_match, f.match
        body = by_match[f.match]
        assert f.rule in body and f.message in body and "Ley 9/2017" in body and "or equivalent" in body
    assert "[WAIVED]" in by_match["Cisco"] and "red existente" in by_match["Cisco"]
    assert by_match["Microsoft Office 365"].startswith("[ERROR] brand")
    # The second "Oracle" (occurrence 1) is the one anchored.
    oracle_para = next(p for p in docx.Document(str(dest)).paragraphs if p.text.startswith("Oracle aquí"))
    xml = oracle_para._p.xml
    assert xml.index("commentRangeStart") > xml.index("aquí y ")

    summary = [c for cid, c in comments.items() if "where Word allows no comments" in c]
    assert len(summary) == 1 and "header ¶1" in summary[0] and "“Windows”" in summary[0]
    summary_id = next(cid for cid, c in comments.items() if c == summary[0])
    assert anchors[summary_id] == "Pliego técnico de contratación"  # the first body paragraph


def test_split_runs_keep_their_formatting(tender: tuple[Path, FileResult], tmp_path: Path) -> None:
    src, result = tender
    dest = tmp_path / "a.docx"
    annotate_docx(src, result, dest)
    para = next(p for p in docx.Document(str(dest)).paragraphs if p.text.startswith("El sistema"))
    runs = [(r.text, r.bold, r.italic, r.underline, r.font.size) for r in para.runs if r.text]
    assert runs == [
        ("El sistema usará ", None, None, None, None),
        ("Micro", True, None, None, None),
        ("soft Off", None, True, None, None),
        ("ice 365", None, None, True, Pt(13)),
        (" y la migración", None, None, True, Pt(13)),
        (" será gratuita.", None, None, None, None),
    ]
    # The document text is unchanged: same blocks as the source.
    assert [b.text for b in blocks_of(dest)] == [b.text for b in blocks_of(src)]


def test_refuses_to_overwrite_the_input(tender: tuple[Path, FileResult], tmp_path: Path) -> None:
    src, result = tender
    before = sha(src)
    with pytest.raises(UsageError):
        annotate_docx(src, result, src)
    link = tmp_path / "link.docx"
    link.symlink_to(src)
    with pytest.raises(UsageError):
        annotate_docx(src, result, link)
    assert sha(src) == before


def test_mismatched_offsets_fall_back_or_summarise(tender: tuple[Path, FileResult], tmp_path: Path) -> None:
    src, result = tender
    good = result.findings[0]
    moved = Finding(**{**good.__dict__, "block_index": good.block_index + 1})  # wrong block, same location
    missing = Finding(**{**good.__dict__, "match": "Lotus Notes", "start": 0, "end": 11})
    dest = tmp_path / "b.docx"
    stats = annotate_docx(src, FileResult(path=str(src), findings=[moved, missing]), dest)
    assert stats.anchored == 1 and stats.summarized == 1
    anchors = anchored_texts(dest)
    assert "Microsoft Office 365" in anchors.values()
    assert any("Lotus Notes" in c and "text not found" in c for c in comment_map(dest).values())


def test_corpus_tender_with_tables_headers_and_footnotes(tmp_path: Path) -> None:
    corpus_docx = corpus_file("en_lockin_tor.docx")
    blocks = blocks_of(corpus_docx)
    findings = []
    for i, b in enumerate(blocks):
        for word in ("Microsoft", "Oracle", "Windows", "Power BI"):
            pos = b.text.find(word)
            if pos >= 0:
                findings.append(
                    Finding(
                        rule="brand",
                        category="brand",
                        severity="error",
                        message="brand",
                        match=word,
                        start=pos,
                        end=pos + len(word),
                        context=b.text,
                        location=b.location,
                        block_index=i,
                    )
                )
    parts = {f.location.part for f in findings}
    assert {"body", "table"} <= parts and parts - {"body", "table"}
    dest = tmp_path / "tor.annotated.docx"
    stats = annotate_docx(corpus_docx, FileResult(path=str(corpus_docx), findings=findings), dest)
    inline = [f for f in findings if f.location.part in ("body", "table")]
    assert stats.anchored == len(inline) and stats.fallback == 0
    assert stats.summarized == len(findings) - len(inline)
    anchored = sorted(t for t in anchored_texts(dest).values() if not t.startswith("National"))
    assert anchored == sorted(f.match for f in inline)


def test_libreoffice_opens_the_annotated_copy(tender: tuple[Path, FileResult], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) not on PATH: install libreoffice-writer-nogui to run this check")
    src, result = tender
    dest = tmp_path / "annotated.docx"
    annotate_docx(src, result, dest)
    outdir = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(dest),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = outdir / "annotated.pdf"
    assert pdf.is_file(), proc.stderr + proc.stdout
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Microsoft Office 365" in " ".join(text.split()) or "Microsoft" in text


def test_comments_show_the_role_of_the_mention(tender: tuple[Path, FileResult], tmp_path: Path) -> None:
    src, result = tender
    office, *rest = result.findings
    header = rest[-1]
    roles = {
        office: office.evolve(role="required", role_reason='"usará"'),
        header: header.evolve(role="commentary", role_reason='"Confidencial"'),
    }
    result = FileResult(path=result.path, format="docx", findings=[roles.get(f, f) for f in result.findings])
    dest = tmp_path / "roles.docx"
    annotate_docx(src, result, dest)
    comments = comment_map(dest)
    anchors = anchored_texts(dest)
    office_comment = next(comments[cid] for cid, text in anchors.items() if text == "Microsoft Office 365")
    assert "Role: required (“usará”)" in office_comment.splitlines()
    summary = next(c for c in comments.values() if c.startswith("ospo-procure:"))
    assert "Windows" in summary and "(role: commentary (“Confidencial”))" in summary
