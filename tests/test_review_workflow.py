"""A reviewer's workflow end to end, through the real linter and bundled rules: a received
.docx becomes findings, an annotated copy with Word comments, a PDF report, SARIF, HTML and
JUnit, all from the same lint run."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.paths import data_dir

EXAMPLE = data_dir("examples") / "tenders" / "sba_case_management_tor.docx"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture()
def tender(tmp_path) -> Path:
    copy = tmp_path / "received.docx"
    shutil.copy(EXAMPLE, copy)
    return copy


def lint(*args: str):
    return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


def test_json_finds_the_lock_in_of_the_example(tender):
    res = lint(str(tender), "--format", "json")
    assert res.exit_code == 1
    (f,) = json.loads(res.stdout)["files"]
    assert f["language"] == "en"
    categories = {x["category"] for x in f["findings"] if x["severity"] != "info"}
    assert {
        "brand",
        "proprietary_technology",
        "proprietary_format",
        "per_user_licensing",
        "vendor_certification",
        "ip_retained_by_vendor",
        "no_source_code",
    } <= categories
    parts = {x["location"]["part"] for x in f["findings"]}
    assert {"body", "table", "footer"} <= parts
    lotus = [x for x in f["findings"] if x["match"] == "Lotus Notes"]
    assert lotus and all(x["severity"] == "info" for x in lotus)  # the system being replaced
    # The reviewer's Word comment is only a claim until the reviewer says to trust it.
    assert not [x for x in f["findings"] if x["waived"]]
    assert any("claims a waiver of TECH-PLATFORM" in w for w in f["warnings"])
    assert f["scorecard"]["overall"] < 2.5
    trusted = json.loads(lint(str(tender), "--format", "json", "--trust-document-waivers").stdout)["files"][0]
    waived = [x for x in trusted["findings"] if x["waived"]]
    assert [x["rule"] for x in waived] == ["TECH-PLATFORM"]  # the Word-comment waiver


def test_annotated_copy_has_comments_on_the_exact_words(tender, tmp_path):
    from docx import Document

    before = tender.read_bytes()
    out = tmp_path / "reviewed.docx"
    res = lint(str(tender), "--annotate", str(out), "--format", "json")
    assert res.exit_code == 1 and out.is_file()
    assert tender.read_bytes() == before  # the input is never touched
    findings = json.loads(res.stdout)["files"][0]["findings"]
    doc = Document(str(out))
    ours = [c for c in doc.comments if c.author == "ospo-procure"]
    assert len(ours) >= len([f for f in findings if f["location"]["part"] in ("body", "table")])
    body = doc.element.body
    anchored = _anchored_texts(body)
    for f in findings:
        if f["location"]["part"] in ("body", "table"):
            assert f["match"] in anchored, f["match"]
    # the footer finding cannot carry a Word comment: it is listed in the summary comment
    assert any(".xls" in c.text and "footer" in c.text for c in ours)


def _anchored_texts(body) -> set[str]:
    """Text between each commentRangeStart and its commentRangeEnd, in document order."""
    open_ids: dict[str, list[str]] = {}
    done: set[str] = set()
    for el in body.iter():
        if el.tag == W + "commentRangeStart":
            open_ids[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            done.add("".join(open_ids.pop(el.get(W + "id"), [])))
        elif el.tag == W + "t":
            for parts in open_ids.values():
                parts.append(el.text or "")
    return done


def test_refuses_to_annotate_over_the_input(tender):
    res = lint(str(tender), "--annotate", str(tender))
    assert res.exit_code == 2 and "refusing to overwrite an input file" in res.output


def test_sarif_is_schema_valid_with_logical_locations(tender):
    res = lint(str(tender), "--format", "sarif", "--trust-document-waivers")
    log = json.loads(res.stdout)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    run = log["runs"][0]
    assert run["artifacts"][0]["mimeType"].endswith("wordprocessingml.document")
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {"BRAND-PRODUCT", "FMT-PROPRIETARY"} <= rule_ids
    for result in run["results"]:
        assert "region" not in result["locations"][0]["physicalLocation"]
        assert result["locations"][0]["logicalLocations"]
        assert result["partialFingerprints"]
    assert any(r.get("suppressions") for r in run["results"])  # the waived finding


def test_pdf_and_html_and_junit_reports(tender, tmp_path):
    from pypdf import PdfReader

    pdf = tmp_path / "report.pdf"
    assert lint(str(tender), "--format", "pdf", "-o", str(pdf)).exit_code == 1
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(pdf)).pages).split())
    assert "Microsoft SQL Server 2022 Enterprise" in text and "/ 5" in text
    html = tmp_path / "report.html"
    assert lint(str(tender), "--format", "html", "-o", str(html)).exit_code == 1
    page = html.read_text("utf-8")
    assert "<script" not in page.lower() and "Dynamics 365" in page and "<mark" in page
    res = lint(str(tender), "--format", "junit")
    suites = ET.fromstring(res.stdout)
    cases = suites.findall(".//testcase")
    assert len(cases) == 10  # nine criteria + lock-in findings
    assert suites.findall(".//failure")


def test_multi_file_run_reports_bad_files_and_lints_good_ones(tender, tmp_path):
    bad = tmp_path / "legacy.docx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    res = lint(str(tmp_path), "--format", "json")
    assert res.exit_code == 2
    files = {Path(f["path"]).name: f for f in json.loads(res.stdout)["files"]}
    assert files["legacy.docx"]["error"] and not files["legacy.docx"]["findings"]
    assert files["received.docx"]["findings"]
