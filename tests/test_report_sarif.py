from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import jsonschema
import pytest
from report_fixtures import TXT_SOURCE, build_results, error_result, make_finding, run_of
from shared_corpus import corpus_file

from ospo_procure.model import FileResult, LintRun
from ospo_procure.readers.text_reader import parse_text
from ospo_procure.report import ReportOptions, sarif

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def validate(log: dict) -> None:
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator(SCHEMA).validate(log)


@pytest.fixture()
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintRun:
    monkeypatch.chdir(tmp_path)
    return build_results(tmp_path)


def render(results: LintRun, **kw) -> dict:
    kw.setdefault("lang", "en")  # the assertions read English words (other languages: test_report_language.py)
    return json.loads(sarif.render(results, ReportOptions(tool_version="0.1.0", **kw)).decode("utf-8"))


def source_text(region: dict, lines: list[str]) -> str:
    """The file text a region covers (columns are 1-based code points, end exclusive)."""
    sl, sc, el, ec = region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]
    if sl == el:
        return lines[sl - 1][sc - 1 : ec - 1]
    return "\n".join([lines[sl - 1][sc - 1 :], *lines[sl : el - 1], lines[el - 1][: ec - 1]])


def test_valid_against_oasis_schema(results: LintRun) -> None:
    log = render(results)
    validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "ospo-procure"
    assert run["tool"]["driver"]["version"] == "0.1.0"
    assert "informationUri" not in run["tool"]["driver"]
    assert run["columnKind"] == "unicodeCodePoints"


def test_rules_results_and_artifacts(results: LintRun) -> None:
    run = render(results)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    finding_rules = {f.rule for r in results.files for f in r.findings}
    assert {r["id"] for r in rules} == finding_rules  # evidence rules are not listed
    assert len(run["results"]) == sum(len(r.findings) for r in results.files)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["es-hostile"]["defaultConfiguration"]["level"] == "note"
    assert by_id["pt-vendor-cert"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["es-brand"]["properties"]["criteria"] == [1, 6]
    assert by_id["es-brand"]["properties"]["legal_basis"].startswith("Ley 9/2017")
    assert by_id["es-brand"]["name"] == "EsBrand"
    assert by_id["es-brand"]["help"]["markdown"]

    arts = run["artifacts"]
    assert [a["location"]["uri"] for a in arts] == [
        "tenders/pliego%20t%C3%A9cnico.txt",
        "tenders/termo_refer%C3%AAncia.docx",
        "tenders/escaneado.pdf",
    ]
    assert arts[0]["mimeType"] == "text/plain"
    assert arts[1]["mimeType"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert arts[2]["mimeType"] == "application/pdf"
    assert not any(r["ruleId"].endswith(("oss", "open-formats", "open-standard")) for r in run["results"])


def test_text_regions_point_at_the_match_in_the_file(results: LintRun) -> None:
    run = render(results)["runs"][0]
    lines = TXT_SOURCE.split("\n")
    txt_results = [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 0]
    assert len(txt_results) == len(results.files[0].findings)
    for res in txt_results:
        region = res["locations"][0]["physicalLocation"]["region"]
        covered = source_text(region, lines)
        assert " ".join(covered.split()) == res["properties"]["match"]
        if region["startLine"] == region["endLine"]:
            assert covered == region["snippet"]["text"]
    spanning = next(r for r in txt_results if r["ruleId"] == "es-per-user")
    region = spanning["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"]) == (3, 4)
    assert source_text(region, lines) == "licencias de Microsoft Office 365\n  por usuario"
    assert "snippet" not in region  # the file has a line break where the match has a space
    office = next(r for r in txt_results if r["properties"]["match"] == "Microsoft Office 365")
    assert office["locations"][0]["physicalLocation"]["region"]["startColumn"] == lines[2].index("Microsoft") + 1


def test_markdown_heading_list_and_form_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = (
        "# Pliego\n\n## Licencias Oracle ##\n\n- Se exige\n  Windows Server.\n\n"
        "Fin de página\fDespués SAP aquí\nY más.\n"
    )
    Path("t.md").write_text(src, encoding="utf-8")
    doc = parse_text(src, "t.md", markdown=True)
    idx = {b.text: i for i, b in enumerate(doc.blocks)}
    findings = [
        make_finding(doc, idx["Licencias Oracle"], "Oracle", "r1"),
        make_finding(doc, idx["- Se exige Windows Server."], "exige Windows", "r2"),
        make_finding(doc, idx["Después SAP aquí Y más."], "SAP", "r3"),
        make_finding(doc, idx["Fin de página"], "página", "r4"),
    ]
    log = render(run_of(FileResult(path="t.md", format="md", findings=findings, blocks=doc.blocks)))
    validate(log)
    lines = src.split("\n")
    for res in log["runs"][0]["results"]:
        region = res["locations"][0]["physicalLocation"]["region"]
        assert " ".join(source_text(region, lines).split()) == res["properties"]["match"], res["ruleId"]
    assert log["runs"][0]["artifacts"][0]["mimeType"] == "text/markdown"


def test_regions_come_from_the_results_not_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reporter never re-reads the input: with the file gone the regions are the same,
    and a finding without a source span falls back to its block's first line."""
    monkeypatch.chdir(tmp_path)
    fr = build_results(tmp_path).files[0]
    before = render(run_of(fr))
    Path(fr.path).unlink()
    assert render(run_of(fr)) == before
    bare = replace(fr, findings=[replace(f, source=None) for f in fr.findings])
    log = render(run_of(bare))
    validate(log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3}


def test_binary_artifacts_have_logical_locations_only(results: LintRun) -> None:
    run = render(results)["runs"][0]
    docx = [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 1]
    assert len(docx) == 3
    for res in docx:
        phys = res["locations"][0]["physicalLocation"]
        assert "region" not in phys
        assert phys["artifactLocation"] == {
            "uri": "tenders/termo_refer%C3%AAncia.docx",
            "uriBaseId": "%SRCROOT%",
            "index": 1,
        }
        assert {"match", "start", "end", "context", "location"} <= set(res["properties"])
    kinds = [r["locations"][0]["logicalLocations"][0]["kind"] for r in docx]
    assert kinds == ["paragraph", "tableCell", "header"]
    cell = docx[1]["locations"][0]["logicalLocations"][0]
    assert cell["name"] == "table 1 r2c3"
    assert cell["fullyQualifiedName"] == "Termo de Referência > table 1 r2c3"
    assert docx[1]["properties"]["location"]["cell"] == 3
    # Where in the package: zip part and XML path of the paragraph.
    assert docx[1]["properties"]["source"] == {
        "part": "word/document.xml",
        "xpath": "/w:document/w:body[1]/w:tbl[1]/w:tr[2]/w:tc[3]/w:p[1]",
    }
    assert docx[2]["properties"]["source"]["part"] == "word/header1.xml"


def test_waivers_become_suppressions(results: LintRun) -> None:
    run = render(results)["runs"][0]
    suppressed = {r["ruleId"]: r["suppressions"][0] for r in run["results"] if "suppressions" in r}
    assert set(suppressed) == {"es-brand-legacy", "pt-brand"}
    ext = suppressed["es-brand-legacy"]
    assert ext["kind"] == "external" and ext["status"] == "accepted"
    assert "migración" in ext["justification"] and "Ana Núñez" in ext["justification"]
    assert suppressed["pt-brand"]["kind"] == "inSource"


def test_scorecards_errors_and_notifications(results: LintRun) -> None:
    run = render(results)["runs"][0]
    cards = run["properties"]["scorecards"]
    assert [c["artifactIndex"] for c in cards] == [0, 1]
    assert cards[0]["criteria"]["8"]["score"] == 0
    assert cards[0]["criteria"]["2"]["evidence"][0]["match"] == "software libre"
    # the findings behind a criterion are the run's results, by index
    for card, fr in zip(cards, results.files, strict=False):
        for n, c in card["criteria"].items():
            behind = [run["results"][i]["properties"]["match"] for i in c["findings"]]
            assert behind == [f.match for f in fr.scorecard.criteria[int(n)].findings]
            assert all(
                run["results"][i]["locations"][0]["physicalLocation"]["artifactLocation"]["index"]
                == card["artifactIndex"]
                for i in c["findings"]
            )
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is True
    errors = [n for n in inv["toolExecutionNotifications"] if n["level"] == "error"]
    assert len(errors) == 1 and "not a valid PDF" in errors[0]["message"]["text"]
    assert errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 2
    levels = sorted(n["level"] for n in inv["toolExecutionNotifications"])
    assert levels == ["error", "note", "note", "warning"]  # + two unused waivers, + reader warning
    notes = [n["message"]["text"] for n in inv["toolExecutionNotifications"] if n["level"] == "note"]
    assert any("es-sole-source (a marker line in body ¶5)" in t for t in notes)  # in the tender: on its file
    assert any(t.startswith("unused waiver for es-brand (waivers.yaml:9)") for t in notes)  # the run's

    only_errors = render(run_of(error_result(), replace(error_result(), path="b.odt")))
    validate(only_errors)
    assert only_errors["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert only_errors["runs"][0]["results"] == []
    assert only_errors["runs"][0]["artifacts"][1]["mimeType"] == "application/vnd.oasis.opendocument.text"


def test_hostile_text_round_trips(results: LintRun) -> None:
    raw = sarif.render(results, ReportOptions())
    log = json.loads(raw)
    hostile = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "es-hostile")
    assert hostile["properties"]["match"] == "<script>alert(1)</script>"
    assert '& "quotes"' in hostile["properties"]["context"]
    assert "órgano".encode() in raw  # accents written as UTF-8, not \u escapes


def test_fingerprints_are_stable_when_paragraphs_move(results: LintRun) -> None:
    fr = results.files[1]
    before = render(run_of(fr))["runs"][0]["results"]
    moved = replace(
        fr,
        findings=[
            replace(f, block_index=f.block_index + 7, location=replace(f.location, paragraph=40)) for f in fr.findings
        ],
    )
    after = render(run_of(moved))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    dup = replace(fr, findings=[fr.findings[2], fr.findings[2]])
    fps = [r["partialFingerprints"]["ospoProcure/v1"] for r in render(run_of(dup))["runs"][0]["results"]]
    assert len(set(fps)) == 2


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    message: str
    suggestion: str
    legal_basis: str
    criteria: tuple[int, ...]
    kind: str
    help: str


def test_rule_info_from_rule_set(results: LintRun) -> None:
    rule = Rule(
        "es-brand",
        "brand",
        "error",
        "Marca comercial exigida",
        "Añada «o equivalente»",
        "LCSP art. 126",
        (1, 6),
        "finding",
        "## Marca\n\nUse **o equivalente**.",
    )
    log = render(results, rules={"es-brand": rule})
    validate(log)
    desc = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "es-brand")
    assert desc["help"]["markdown"] == rule.help
    assert desc["help"]["text"] == "Marca\n\nUse o equivalente."
    assert desc["shortDescription"]["text"] == "Marca comercial exigida"


def test_empty_run_is_valid() -> None:
    log = render(LintRun())
    validate(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


@pytest.mark.parametrize("source", ["fixture", "corpus"])
def test_every_word_pair_maps_back_to_the_file(source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stress the offset map: every two-word span of every block, incl. form feeds and indents."""
    monkeypatch.chdir(tmp_path)
    if source == "corpus":
        text = corpus_file("en_mixed_rfp.txt").read_text("utf-8")
    else:
        text = TXT_SOURCE + "\fPágina dos:\n\t  sangría   con   espacios\ny  fin.\r\nCRLF línea\n"
    Path("t.txt").write_bytes(text.encode("utf-8"))
    doc = parse_text(text, "t.txt")
    findings = []
    for i, b in enumerate(doc.blocks):
        for m in re.finditer(r"\S+\s+\S+", b.text):
            f = make_finding(doc, i, b.text[m.start() : m.end()], "r")
            findings.append(replace(f, start=m.start(), end=m.end(), source=b.source.span(m.start(), m.end())))
    log = render(run_of(FileResult(path="t.txt", findings=findings, blocks=doc.blocks)))
    validate(log)
    lines = text.replace("\r\n", "\n").split("\n")
    for res in log["runs"][0]["results"]:
        region = res["locations"][0]["physicalLocation"]["region"]
        assert " ".join(source_text(region, lines).split()) == " ".join(res["properties"]["match"].split())
