"""Small things a reader of a report trips over (issue 10): a note on the system in place
that advises replacing it, a format named twice, a waiver's approval said twice."""

from __future__ import annotations

import pytest
from test_report_formats import visible_text

from ospo_procure.lint import lint_text
from ospo_procure.model import LintRun, Waiver, WaiverSource
from ospo_procure.report import ReportOptions, render
from ospo_procure.report.words import words
from ospo_procure.rules import load_ruleset


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The current system runs on Microsoft SQL Server 2016 and will be migrated."),
        ("es", "El sistema actual funciona sobre Oracle Database 11g y será migrado a la nueva solución."),
    ],
)
def test_a_note_on_the_system_in_place_does_not_advise_replacing_it(lang: str, text: str) -> None:
    result = lint_text(text, language=lang)
    notes = [f for f in result.findings if f.role == "existing"]
    assert notes and all(f.severity == "info" and f.suggestion == "" for f in notes), result.findings
    run = LintRun([result], [])
    rules = load_ruleset()
    # The advice of the rules (up to its first placeholder): what a lock-in finding would say.
    advice = {rules.by_id[f.rule].text("suggestion", lang).split("{")[0].strip() for f in notes}
    assert all(len(a) > 15 for a in advice), advice
    for fmt in ("text", "html", "junit", "pdf"):
        out = visible_text(fmt, render(fmt, run, ReportOptions(verbose=True)))
        assert "SQL Server 2016" in out or "Oracle Database 11g" in out, fmt
        assert not any(a in out for a in advice), fmt


@pytest.mark.parametrize(
    ("lang", "text", "doubled"),
    [
        ("en", "Deliverables shall be provided in .xls format.", "'.xls' (.xls)"),
        ("es", "Los entregables se presentarán en formato .xls.", "'.xls' (.xls)"),
        ("fr", "Acquisition de licences Oracle.", "'Oracle' (Oracle)"),
    ],
)
def test_a_format_or_vendor_is_named_once(lang: str, text: str, doubled: str) -> None:
    result = lint_text(text, language=lang)
    named = doubled.split("'")[1]
    messages = [f.message for f in result.findings if f.category in ("proprietary_format", "brand")]
    assert messages and all(named in m and doubled not in m for m in messages), messages
    # A product that is more than its vendor's name keeps the vendor in brackets.
    other = lint_text("The system shall use Oracle Database 19c.", language="en").findings
    assert any("'Oracle Database 19c' (Oracle)" in f.message for f in other)


def test_a_waiver_that_names_its_approval_does_not_repeat_it() -> None:
    _ = words("en")
    said = Waiver(
        rule="BRAND-PRODUCT",
        justification="Migration source, approved by Ana Núñez on 2026-01-15",
        approved_by="Ana Núñez",
        approved_on="2026-01-15",
        source=WaiverSource("file", path="waivers.yaml", line=3),
    )
    line = _.waiver(said)
    assert line.count("approved by") == 1 and line.endswith("(waivers.yaml:3)"), line
    plain = Waiver(rule="BRAND-PRODUCT", justification="Migration source", approved_by="Ana Núñez")
    assert _.waiver(plain) == "Migration source (approved by Ana Núñez)"
    es = words("es").waiver(plain)
    assert es == "Migration source (aprobada por Ana Núñez)", es
