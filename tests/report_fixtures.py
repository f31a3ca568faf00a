"""Hand-built results for the reporter tests (no linter needed).

`build_results(base)` writes a Spanish .txt tender under `base/tenders/` and returns a
LintRun, with paths relative to `base` (tests chdir there), holding:
  0. the .txt file (blocks from the real text reader, so with their source maps): text
     regions, a match spanning two source lines, overlapping findings, a finding waived
     by a waiver file, a hostile `<script>` sentence, evidence, a role, a reader warning,
     an in-document waiver (marker line) that waived nothing, a scorecard;
  1. a Portuguese .docx (no file on disk needed): heading, body, table cell, header
     and footnote blocks (logical locations, zip parts and XML paths), a comment-waived
     finding, a scorecard;
  2. a PDF that could not be read (error entry);
and, for the whole run, a waiver-file entry that matched nothing (where the linter puts
them: on the run, not on a file).
"""

from __future__ import annotations

import re
from pathlib import Path

from ospo_procure.model import (
    Block,
    Document,
    FileResult,
    Finding,
    LintRun,
    Location,
    SourceMap,
    Waiver,
    WaiverSource,
)
from ospo_procure.readers.text_reader import parse_text
from ospo_procure.scoring_model import CriterionScore, Scorecard, ScoreTerm

HOSTILE = '<script>alert(1)</script> & "quotes"'

TXT_SOURCE = (
    "PLIEGO DE PRESCRIPCIONES TÉCNICAS\n"
    "\n"
    "  El adjudicatario suministrará licencias de Microsoft Office 365\n"
    "  por usuario para los 500 empleados. La solución será compatible con\n"
    "\tformatos abiertos y se valorará el software libre.\n"
    "\n"
    f"Nota del órgano: {HOSTILE} deberá mostrarse como texto; se exige Oracle Database.\n"
    "\n"
    "Migración: el sistema actual usa SAP y la administración conservará\n"
    "los datos (ñandú, açúcar, não, ímpetu).\n"
)

CRITERIA_TITLES = {
    1: "Functional, vendor-neutral description",
    2: "Open source allowed or preferred",
    3: "OSS properties as requirements and award criteria",
    4: "Competitive services procurement",
    5: "Open standards and interoperability",
    6: "No proprietary formats or dependencies imposed",
    7: "Total cost of ownership",
    8: "No per-user licensing penalising OSS",
    9: "Clear, weighted award criteria",
}


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): split on '. ' like a crude sentencizer."""
    i = text.rfind(". ", 0, start)
    s = i + 2 if i >= 0 else 0
    e = text.find(". ", end)
    return s, (e + 1 if e >= 0 else len(text))


def make_finding(
    doc: Document,
    block_index: int,
    match: str,
    rule: str,
    *,
    category: str = "brand",
    severity: str = "error",
    kind: str = "finding",
    criteria: tuple[int, ...] = (1, 6),
    occurrence: int = 0,
    waiver: Waiver | None = None,
    role: str | None = None,
    role_reason: str = "",
) -> Finding:
    """A Finding with exact block offsets, found by searching the block text."""
    block = doc.blocks[block_index]
    starts = [m.start() for m in re.finditer(re.escape(match), block.text)]
    start = starts[occurrence]
    end = start + len(match)
    s, e = _sentence(block.text, start, end)
    return Finding(
        rule=rule,
        category=category,
        severity=severity,
        message=f"“{match}” ties the tender to one vendor." if kind == "finding" else f"Evidence: {match}",
        match=match,
        start=start,
        end=end,
        context=block.text,  # as the linter gives it: the whole block, offsets in it
        location=block.location,
        suggestion="Describe the function; add “or equivalent”." if kind == "finding" else "",
        criteria=criteria,
        legal_basis="Ley 9/2017, art. 126.6 (prescripciones técnicas)" if kind == "finding" else "",
        kind=kind,
        block_index=block_index,
        sentence=(s, e),
        waiver=waiver,
        role=role,
        role_reason=role_reason,
        source=block.source.span(start, end),
    )


def make_scorecard(scores: dict[int, int], findings: list[Finding], evidence: list[Finding]) -> Scorecard:
    criteria: dict[int, CriterionScore] = {}
    for n, title in CRITERIA_TITLES.items():
        score = scores.get(n, 3)
        mine = tuple(f for f in findings if n in f.criteria)
        terms = (ScoreTerm("findings", ("brand",), len(mine), float(score - 3)),) if mine else ()
        criteria[n] = CriterionScore(
            number=n,
            title=title,
            score=score,
            findings=mine,
            evidence=tuple(e for e in evidence if n in e.criteria),
            base=3.0,
            terms=terms,
        )
    overall = round(sum(c.score for c in criteria.values()) / 9, 1)
    return Scorecard(criteria=criteria, overall=overall)


def txt_result(base: Path) -> FileResult:
    rel = "tenders/pliego técnico.txt"
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TXT_SOURCE, encoding="utf-8")
    doc = parse_text(TXT_SOURCE, rel)
    waiver = Waiver(
        rule="es-brand-legacy",
        justification="SAP es el sistema del que se migra (migración)",
        approved_by="Ana Núñez",
        approved_on="2026-01-15",
        source=WaiverSource("file", path="waivers.yaml", line=3),
    )
    findings = [
        make_finding(doc, 1, "Microsoft Office 365", "es-brand", role="required", role_reason='"suministrará"'),
        # Spans the line break in the source file (block text joins lines with a space).
        make_finding(
            doc,
            1,
            "licencias de Microsoft Office 365 por usuario",
            "es-per-user",
            category="per_user_licensing",
            severity="warning",
            criteria=(8,),
        ),
        make_finding(doc, 2, "Oracle Database", "es-brand"),
        make_finding(doc, 2, "<script>alert(1)</script>", "es-hostile", severity="info", criteria=(1,)),
        make_finding(doc, 3, "SAP", "es-brand-legacy", severity="warning", waiver=waiver, role="existing"),
    ]
    evidence = [
        make_finding(
            doc, 1, "formatos abiertos", "es-open-formats", category="open_standards", kind="evidence", criteria=(5,)
        ),
        make_finding(doc, 1, "software libre", "es-oss", category="oss_allowed", kind="evidence", criteria=(2,)),
    ]
    return FileResult(
        path=rel,
        language="es",
        format="txt",
        findings=findings,
        evidence=evidence,
        warnings=["línea 7: carácter de control ignorado"],
        scorecard=make_scorecard({1: 1, 2: 4, 6: 1, 8: 0}, findings, evidence),
        unused_waivers=[UNUSED_MARKER],
        words=sum(len(b.text.split()) for b in doc.blocks),
        blocks=doc.blocks,
    )


# An in-document waiver that waived nothing (kept on its file), and a waiver-file entry
# that matched nothing in the whole run (kept on the run).
UNUSED_MARKER = Waiver(
    rule="es-sole-source",
    justification="adjudicación directa justificada por urgencia",
    source=WaiverSource("marker", where="body ¶5"),
)
UNUSED_FILE_WAIVER = Waiver(
    rule="es-brand",
    justification="obsoleto desde la migración",
    approved_by="Ana Núñez",
    approved_on="2025-11-02",
    source=WaiverSource("file", path="waivers.yaml", line=9),
)


def docx_result() -> FileResult:
    rel = "tenders/termo_referência.docx"
    loc = Location
    body = "word/document.xml"

    def xml(part: str, xpath: str) -> SourceMap:
        return SourceMap(part=part, xpath=xpath)

    blocks = [
        Block(
            "Termo de Referência",
            loc(part="body", paragraph=1),
            kind="heading",
            level=1,
            source=xml(body, "/w:document/w:body[1]/w:p[1]"),
        ),
        Block(
            "O contratado fornecerá o Microsoft Exchange e garantirá a migração dos dados.",
            loc(part="body", paragraph=2, heading="Termo de Referência"),
            source=xml(body, "/w:document/w:body[1]/w:p[2]"),
        ),
        Block(
            "Certificação Oracle obrigatória",
            loc(part="table", table=1, row=2, cell=3, heading="Termo de Referência"),
            kind="cell",
            source=xml(body, "/w:document/w:body[1]/w:tbl[1]/w:tr[2]/w:tc[3]/w:p[1]"),
        ),
        Block(
            "Documento confidencial — uso exclusivo Windows",
            loc(part="header", paragraph=1),
            source=xml("word/header1.xml", "/w:hdr/w:p[1]"),
        ),
        Block(
            "Conforme o padrão ODF (ISO/IEC 26300), sem ônus.",
            loc(part="footnote", note=1, paragraph=1),
            kind="note",
            source=xml("word/footnotes.xml", "/w:footnotes/w:footnote[3]/w:p[1]"),
        ),
    ]
    doc = Document(path=rel, format="docx", blocks=blocks)
    comment_waiver = Waiver(
        rule="pt-brand", justification="Exchange é o sistema legado a migrar", source=WaiverSource("comment")
    )
    findings = [
        make_finding(doc, 1, "Microsoft Exchange", "pt-brand", waiver=comment_waiver),
        make_finding(
            doc,
            2,
            "Certificação Oracle",
            "pt-vendor-cert",
            category="vendor_certification",
            severity="warning",
            criteria=(4,),
        ),
        make_finding(doc, 3, "Windows", "pt-brand"),
    ]
    evidence = [
        make_finding(
            doc, 4, "padrão ODF", "pt-open-standard", category="open_standards", kind="evidence", criteria=(5, 6)
        ),
    ]
    return FileResult(
        path=rel,
        language="pt",
        format="docx",
        findings=findings,
        evidence=evidence,
        scorecard=make_scorecard({4: 2, 5: 5, 6: 2}, findings, evidence),
        words=sum(len(b.text.split()) for b in doc.blocks),
        blocks=doc.blocks,
    )


def error_result() -> FileResult:
    return FileResult(path="tenders/escaneado.pdf", error="not a valid PDF (no %PDF header); it may be corrupt")


def build_results(base: Path) -> LintRun:
    return LintRun([txt_result(base), docx_result(), error_result()], [UNUSED_FILE_WAIVER])


def run_of(*files: FileResult) -> LintRun:
    """A run of these files, without run-level waivers."""
    return LintRun(list(files))
