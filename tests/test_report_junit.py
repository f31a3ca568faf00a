from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from report_fixtures import build_results, run_of

from ospo_procure.model import LintRun
from ospo_procure.report import ReportOptions, junit


def render(results: LintRun, **kw) -> bytes:
    kw.setdefault("lang", "en")  # the assertions read English words (other languages: test_report_language.py)
    return junit.render(results, ReportOptions(**kw))


@pytest.fixture()
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintRun:
    monkeypatch.chdir(tmp_path)
    return build_results(tmp_path)


def parse(data: bytes) -> ET.Element:
    assert data.startswith(b"<?xml")
    return ET.fromstring(data)


def test_structure_and_counts(results: LintRun) -> None:
    root = parse(render(results, tool_version="0.1.0"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [*(r.path for r in results.files), "waiver files"]

    txt, docx, err, waivers = suites
    # Nine criteria + the lock-in case.
    assert len(txt.findall("testcase")) == 10 and txt.get("tests") == "10"
    failed = [c.get("name") for c in txt.findall("testcase") if c.find("failure") is not None]
    assert failed == [
        "criterion 1: Functional, vendor-neutral description",
        "criterion 6: No proprietary formats or dependencies imposed",
        "criterion 8: No per-user licensing penalising OSS",
        "lock-in findings",
    ]
    assert txt.get("failures") == "4" and txt.get("errors") == "0"
    assert all(c.get("classname") == results.files[0].path for c in txt.findall("testcase"))

    # docx: criteria 4 and 6 below 3; its only error-level open finding is the header "Windows".
    dfailed = [c.get("name") for c in docx.findall("testcase") if c.find("failure") is not None]
    assert dfailed == [
        "criterion 4: Competitive services procurement",
        "criterion 6: No proprietary formats or dependencies imposed",
        "lock-in findings",
    ]

    assert err.get("errors") == "1" and err.get("tests") == "1"
    error = err.find("testcase/error")
    assert error is not None and "not a valid PDF" in error.get("message", "")

    assert root.get("tests") == "22" and root.get("failures") == "7" and root.get("errors") == "1"
    assert txt.find("properties/property").get("value") == "0.1.0"
    # Waiver-file entries that matched nothing: listed, not failed (they do not change the exit status).
    assert waivers.get("failures") == "0" and "es-brand (waivers.yaml:9)" in waivers.find("system-out").text


def test_failure_lists_the_findings(results: LintRun) -> None:
    root = parse(render(results))
    txt = root.findall("testsuite")[0]
    case = next(c for c in txt.findall("testcase") if c.get("name", "").startswith("criterion 8"))
    failure = case.find("failure")
    assert failure.get("message") == "score 0/5 is below the minimum of 3"
    assert failure.get("type") == "checklist"
    assert "licencias de Microsoft Office 365 por usuario" in failure.text
    lockin = next(c for c in txt.findall("testcase") if c.get("name") == "lock-in findings").find("failure")
    assert "2 unwaived" in lockin.get("message")
    assert "<script>alert(1)</script>" not in lockin.text  # info-level: not blocking
    assert "Oracle Database" in lockin.text and "SAP" not in lockin.text  # SAP is waived
    out = txt.find("system-out").text
    assert "waived: SAP es el sistema" in out
    assert "es-hostile" in out
    assert "unused waiver for es-sole-source (a marker line in body ¶5)" in out
    assert "(role: existing system)" in out


def test_threshold_and_waivers(results: LintRun) -> None:
    root = parse(render(run_of(results.files[0]), min_score=0))
    assert [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None] == ["lock-in findings"]
    all_waived = replace(results.files[1], findings=[f for f in results.files[1].findings if f.waived])
    root = parse(render(run_of(all_waived), min_score=1))
    assert root.get("failures") == "0"


def test_missing_or_unreadable_scorecard(results: LintRun) -> None:
    root = parse(render(run_of(replace(results.files[1], scorecard=None))))
    skipped = root.find("testsuite/testcase/skipped")
    assert skipped is not None and root.find("testsuite").get("skipped") == "1"
    card = replace(results.files[1].scorecard, unreadable=True)
    root = parse(render(run_of(replace(results.files[1], scorecard=card, findings=[]))))
    suite = root.find("testsuite")
    assert suite.get("skipped") == "9" and suite.get("failures") == "1"


def test_control_characters_do_not_break_xml(results: LintRun) -> None:
    fr = results.files[0]
    bad = replace(fr.findings[0], message="page\x0cbreak \x00 and \x1b escape")
    root = parse(render(run_of(replace(fr, findings=[bad]))))
    assert "page break" in root.find("testsuite/testcase[@name='lock-in findings']/failure").text
