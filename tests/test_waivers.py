"""Justified exceptions: waiver files, in-document markers and Word comments."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.errors import DataError
from ospo_procure.lint import lint_document
from ospo_procure.readers import read_document
from ospo_procure.waivers import load_waivers

TEXT = "The database layer must run on Microsoft SQL Server 2019.\n\nAll offers priced per named user.\n"


def test_waiver_file_marks_finding_and_reports_unused(tmp_path, mini_rules):
    tender = tmp_path / "t.txt"
    tender.write_text(TEXT)
    wfile = tmp_path / "ospo-waivers.yaml"
    wfile.write_text(
        "waivers:\n"
        "  - rule: T-BRAND\n    match: SQL Server\n    files: '*.txt'\n"
        "    justification: The tax registry only exposes a SQL Server interface until 2028.\n"
        "    approved_by: Legal unit\n    approved_on: 2026-10-02\n"
        "  - rule: T-ESCROW\n    justification: Nothing in this tender is escrowed at all.\n"
        "    approved_by: Legal unit\n    approved_on: 2026-10-02\n"
    )
    res = CliRunner().invoke(
        main, ["lint", str(tender), "--rules", str(mini_rules.directory), "--format", "json", "--lang", "en"]
    )
    data = json.loads(res.output)
    findings = {f["rule"]: f for f in data["files"][0]["findings"]}
    assert findings["T-BRAND"]["waived"] is True
    assert findings["T-BRAND"]["waiver"]["approved_by"] == "Legal unit"
    assert findings["T-PER-USER"]["waived"] is False
    assert [w["rule"] for w in data["unused_waivers"]] == ["T-ESCROW"]
    assert res.exit_code == 1  # the per-user finding is not waived


def test_waived_findings_do_not_fail_the_run(tmp_path, mini_rules):
    tender = tmp_path / "t.txt"
    tender.write_text("The database layer must run on Microsoft SQL Server 2019.\n")
    (tmp_path / "ospo-waivers.yaml").write_text(
        "waivers:\n  - rule: T-BRAND\n    justification: Justified by the registry interface memo 14/2026.\n"
        "    approved_by: Legal unit\n    approved_on: '2026-10-02'\n"
    )
    res = CliRunner().invoke(main, ["lint", str(tender), "--rules", str(mini_rules.directory), "--lang", "en"])
    assert res.exit_code == 0
    assert "[waived: Justified by the registry interface memo 14/2026.]" in res.output


def test_marker_line_in_text(tmp_path, mini_rules):
    tender = tmp_path / "t.md"
    tender.write_text(
        "<!-- ospo-procure: allow T-BRAND because the legacy registry requires it -->\nThe layer must run on Microsoft SQL Server.\n\nPriced per named user.\n"
    )
    result = lint_document(read_document(tender), language="en", ruleset=mini_rules)
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["T-BRAND"].waived and by_rule["T-BRAND"].waiver.justification == "the legacy registry requires it"
    assert not by_rule["T-PER-USER"].waived


def test_word_comment_waiver(tmp_path, mini_rules):
    from docx import Document

    d = Document()
    p = d.add_paragraph("The database layer must run on Microsoft SQL Server 2019.")
    d.add_paragraph("Priced per named user.")
    d.add_comment(
        p.runs, text="ospo-procure: allow T-BRAND because the registry interface needs it until 2028", author="Reviewer"
    )
    path = tmp_path / "t.docx"
    d.save(path)
    result = lint_document(read_document(path), language="en", ruleset=mini_rules)
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["T-BRAND"].waived and by_rule["T-BRAND"].waiver.approved_by == "Reviewer"
    assert not by_rule["T-PER-USER"].waived


def test_waiver_scoring_counts_less(tmp_path, mini_rules):
    from ospo_procure.model import Waiver

    plain = lint_document(read_document(_write(tmp_path / "a.txt", TEXT)), language="en", ruleset=mini_rules)
    waived = lint_document(
        read_document(_write(tmp_path / "b.txt", TEXT)),
        language="en",
        ruleset=mini_rules,
        waivers=[
            Waiver(
                rule="T-BRAND",
                justification="justified exception for the registry",
                approved_by="x",
                approved_on="2026-01-01",
            )
        ],
    )
    assert waived.scorecard.criteria[1].score > plain.scorecard.criteria[1].score
    assert any("waived" in r for r in waived.scorecard.criteria[1].reasons)


def test_bad_waiver_file(tmp_path):
    w = tmp_path / "w.yaml"
    w.write_text(
        "waivers:\n  - rule: T-BRAND\n    justification: short\n    approved_by: x\n    approved_on: '2026-01-01'\n"
    )
    with pytest.raises(DataError, match=r"w\.yaml:3: .*justification"):
        load_waivers(w)
    w.write_text(
        "waivers:\n  - rule: T-BRAND\n    justification: long enough justification\n    approved_on: '2026-01-01'\n"
    )
    with pytest.raises(DataError, match="approved_by"):
        load_waivers(w)


def _write(path, text):
    path.write_text(text)
    return path
