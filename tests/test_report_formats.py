"""Every output format, through the one reporter interface, shows what a reviewer must not
miss: waived findings with their justification, unused waivers (the tender's own and the
waiver file's), files that could not be read, reader warnings, and each mention's role."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import click
import pytest
from pypdf import PdfReader
from report_fixtures import build_results

from ospo_procure.cli import main
from ospo_procure.model import LintRun
from ospo_procure.report import FORMATS, REPORTERS, ReportOptions, render


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(fmt: str, data: bytes) -> str:
    """What a reader of this format sees (or a program reads), as plain text."""
    if fmt == "pdf":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    if fmt == "html":
        parser = _Text()
        parser.feed(data.decode("utf-8"))
        return "".join(parser.parts)
    text = data.decode("utf-8")
    if fmt in ("json", "sarif"):
        return json.dumps(json.loads(text), ensure_ascii=False)  # unescaped, one string
    if fmt == "junit":
        return re.sub(r"&(quot|amp|lt|gt);", lambda m: {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}[m[1]], text)
    return text


@pytest.fixture()
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintRun:
    monkeypatch.chdir(tmp_path)
    return build_results(tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_waivers_errors_warnings_and_roles(fmt: str, run: LintRun) -> None:
    text = visible_text(fmt, render(fmt, run, ReportOptions(tool_version="0.1.0", lang="en")))
    # A waived finding, with its justification.
    assert "SAP es el sistema del que se migra" in text
    # The tender's own waiver that waived nothing, and the waiver file's.
    assert "es-sole-source" in text and ("a marker line in body ¶5" in text or '"marker in body ¶5"' in text)
    assert "es-brand (waivers.yaml:9)" in text or ("waivers.yaml:9" in text and "obsoleto desde" in text)
    # The file that could not be read, and a reader warning.
    assert "not a valid PDF" in text
    assert "carácter de control ignorado" in text
    # The role of a mention and the words that decided it (which also occur in the quoted text,
    # so the check is that they come together: "required (“suministrará”)", "role": "required",
    # "role_reason": "suministrará"...).
    assert re.search(r"required\W{1,20}(?:role_reason\W{1,6})?suministrará", text), fmt


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_format_speaks_the_documents_language(fmt: str, run: LintRun) -> None:
    """Without --report-lang, what the report says about the Spanish tender is in Spanish."""
    text = visible_text(fmt, render(fmt, run, ReportOptions(tool_version="0.1.0")))
    assert "una línea de marca en cuerpo ¶5" in text  # the marker waiver's place
    if fmt != "text":  # the terminal shows a waived finding's justification alone
        assert "aprobada por Ana Núñez el 2026-01-15" in text  # the waiver file's approval
    if fmt != "sarif":  # SARIF keeps the role as an identifier, in the result's properties
        assert re.search(r"exigido\W{1,6}suministrará", text), fmt  # the role and its cue
    for english in ("marker in body", "approved by", "required («", "role: "):
        assert english not in text, (fmt, english)


def test_formats_are_the_registry_and_the_cli_choices() -> None:
    lint = main.commands["lint"]
    choice = next(p for p in lint.params if p.name == "fmt").type
    assert isinstance(choice, click.Choice)
    assert tuple(choice.choices) == FORMATS == tuple(REPORTERS)
    for reporter in REPORTERS.values():
        assert callable(reporter.load())


def test_json_keeps_unused_waivers_where_they_belong(run: LintRun) -> None:
    data = json.loads(render("json", run))
    assert [w["rule"] for w in data["unused_waivers"]] == ["es-brand"]
    assert data["unused_waivers"][0]["origin"] == {"kind": "file", "path": "waivers.yaml", "line": 9, "where": None}
    txt = data["files"][0]
    assert [w["rule"] for w in txt["unused_waivers"]] == ["es-sole-source"]
    assert txt["unused_waivers"][0]["origin"]["kind"] == "marker"


def test_unknown_format_is_refused(run: LintRun) -> None:
    with pytest.raises(ValueError, match="unknown format 'docx'"):
        render("docx", run)


def test_output_file_formats_are_refused_without_o(tmp_path: Path) -> None:
    from click.testing import CliRunner

    tender = tmp_path / "t.txt"
    tender.write_text("The supplier shall deliver open standards.\n", encoding="utf-8")
    for name, reporter in REPORTERS.items():
        res = CliRunner().invoke(main, ["lint", str(tender), "--format", name, "--lang", "en"])
        if reporter.needs_output_file:
            assert res.exit_code == 2 and "needs -o FILE" in res.output
        else:
            assert res.exit_code == 0, res.output
            assert not zipfile.is_zipfile(io.BytesIO(res.stdout_bytes))


def _materialised(value: object) -> object:
    """The value with every generator read into a list (what json.dumps of it would give)."""
    if isinstance(value, dict):
        return {k: _materialised(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or hasattr(value, "__next__"):
        return [_materialised(v) for v in value]  # type: ignore[attr-defined]
    return value


def test_streamed_json_is_the_model_serialised(run: LintRun) -> None:
    """The streaming writer gives exactly the data of the report's dicts, odd text included,
    and every item can be placed: its block's text is in `blocks`, its rule in `rules`, and the
    scorecard's references are its positions."""
    from dataclasses import replace

    from ospo_procure.report.json_report import file_dict

    fr = run.files[0]
    odd = replace(fr.findings[0], message='quote " backslash \\ tab \t nul \x00 line sep \u2028 «» ñ')
    run = LintRun([replace(fr, findings=[odd, *fr.findings[1:]]), *run.files[1:]], run.unused_waivers)

    expected = {
        "version": 2,
        "tool": {"name": "ospo-procure", "version": "9.9"},
        "files": [_materialised(file_dict(r)) for r in run.files],
        "unused_waivers": [w.to_dict() for w in run.unused_waivers],
    }
    data = render("json", run, ReportOptions(tool_version="9.9"))
    assert json.loads(data) == expected
    empty = render("json", LintRun(), ReportOptions(tool_version="9.9"))
    assert json.loads(empty) == {**expected, "files": [], "unused_waivers": []}
    # One line per finding: a reader can grep the report.
    assert sum(1 for line in data.decode().splitlines() if re.search(r'"block":\d', line)) == sum(
        len(r.findings) + len(r.evidence) for r in run.files
    )
    files = json.loads(data)["files"]
    assert any(f["findings"] and f["evidence"] for f in files)
    for r, f in zip(run.files, files, strict=True):
        for item, model in zip(f["findings"] + f["evidence"], r.findings + r.evidence, strict=True):
            assert f["blocks"][str(item["block"])][item["start"] : item["end"]] == item["match"] == model.match
            assert f["rules"][item["rule"]]["legal_basis"] == model.legal_basis
        if f["scorecard"] is None:
            continue
        for n, c in f["scorecard"]["criteria"].items():
            model_refs = r.scorecard.criteria[int(n)].findings
            assert [f["findings"][i]["match"] for i in c["findings"]] == [m.match for m in model_refs]
