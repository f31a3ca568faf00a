"""Clause library: per-file validation (file:line errors), selection, explain, coverage, CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_procure.cli_tender import clauses_group
from ospo_procure.errors import DataError
from ospo_procure.tender.clauses import coverage, load_clause, load_library, select
from ospo_procure.tender.spec import load_spec
from ospo_procure.tender.validation import validate_library

DATA = Path(__file__).parent / "data"
CLAUSES = DATA / "clauses"
SPEC = DATA / "specs" / "minimal-en.yaml"
CLAUSES_LINE = len(SPEC.read_text(encoding="utf-8").splitlines()) + 2  # line of the first include/exclude id

GOOD = """\
id: sample
version: 1.0.0
status: approved
category: oss
section: oss
document: tor
criteria: [2]
variables: [agency_short]
applies_when: "true"
title:
  en: Sample
  es: Muestra
  pt: Amostra
text:
  en: "{{ agency_short }} welcomes open source."
  es: "{{ agency_short }} admite código abierto."
  pt: "{{ agency_short }} admite código aberto."
"""


def _write(tmp: Path, body: str, name: str = "sample") -> Path:
    path = tmp / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _one_line(err: DataError) -> str:
    text = str(err)
    assert "\n" not in text
    return text


def test_good_clause_loads(tmp_path: Path) -> None:
    c = load_clause(_write(tmp_path, GOOD))
    assert c.id == "sample" and c.languages == ["en", "es", "pt"] and c.criteria == [2]


@pytest.mark.parametrize(
    "old, new, line, fragment",
    [
        ("status: approved\n", "status: approved\nsevrity: high\n", 4, "unknown key 'sevrity'"),
        ("version: 1.0.0", "version: one", 2, "version"),
        ("criteria: [2]", "criteria: [12]", 7, "criteria"),
        ("section: oss", "section: appendix", 5, "section"),
        ('applies_when: "true"', 'applies_when: "hosting = 1"', 9, "column 9"),
        ('applies_when: "true"', 'applies_when: "colour == 1"', 9, "unknown name 'colour'"),
        ("  pt: Amostra\n", "", 13, "pt"),  # title/text language mismatch
        ("variables: [agency_short]", "variables: []", 15, "undeclared variable(s) agency_short"),
        ("variables: [agency_short]", "variables: [agency_short, exit_days]", 8, "exit_days but no text uses it"),
        (
            "{{ agency_short }} welcomes",
            "{% for x in y %}{% endfor %}{{ agency_short }} welcomes",
            15,
            "For is not allowed",
        ),
        ("{{ agency_short }} welcomes", "{% include '/etc/passwd' %}{{ agency_short }} welcomes", 15, "not allowed"),
        ("{{ agency_short }} welcomes", "{{ agency_short }", 15, "syntax error"),
        ("id: sample", "id: other", 1, "differs from the file name"),
    ],
)
def test_clause_errors_name_file_and_line(tmp_path: Path, old: str, new: str, line: int, fragment: str) -> None:
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(DataError) as exc:
        load_clause(path)
    text = _one_line(exc.value)
    assert text.startswith(f"{path}:{line}: "), text
    assert fragment in text


def test_approved_clause_needs_en_es_pt(tmp_path: Path) -> None:
    body = GOOD.replace("  pt: Amostra\n", "").replace('  pt: "{{ agency_short }} admite código aberto."\n', "")
    with pytest.raises(DataError, match="lacks language"):
        load_clause(_write(tmp_path, body))
    assert load_clause(_write(tmp_path, body.replace("status: approved", "status: draft"))).status == "draft"


def test_library_selection_and_explain() -> None:
    lib = load_library(CLAUSES)
    spec = load_spec(SPEC)
    decisions, warnings = select(lib, spec)
    by_id = {d.clause.id: d for d in decisions}
    assert by_id["oss-allowed"].included and "applies_when: true (true)" in by_id["oss-allowed"].reason
    assert not by_id["draft-community"].included and by_id["draft-community"].reason == "status is draft"
    assert not by_id["old-exit"].included and "deprecated" in by_id["old-exit"].reason
    assert by_id["data-protection"].included  # personal data + cloud hosting
    lines = [d.explain() for d in decisions]
    assert any(re.match(r"^\+ oss-allowed@1\.0\.0 \[tor/oss\]: ", ln) for ln in lines)
    assert any(ln.startswith("- draft-community@0.1.0") for ln in lines)
    assert warnings == []


def _spec_with(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_include_exclude_draft_and_deprecated(tmp_path: Path) -> None:
    lib = load_library(CLAUSES)
    spec = load_spec(_spec_with(tmp_path, "clauses:\n  include: [draft-community]\n  exclude: [open-standards]\n"))
    decisions, warnings = select(lib, spec)
    by_id = {d.clause.id: d for d in decisions}
    assert by_id["draft-community"].included and "included by the spec" in by_id["draft-community"].reason
    assert not by_id["open-standards"].included and "excluded" in by_id["open-standards"].reason
    assert len(warnings) == 1 and "draft" in warnings[0] and f":{CLAUSES_LINE}:" in warnings[0]
    with pytest.raises(DataError, match="draft .*--strict"):
        select(lib, spec, strict=True)
    spec = load_spec(_spec_with(tmp_path, "clauses:\n  include: [old-exit]\n"))
    with pytest.raises(DataError, match=r"deprecated \(alternatives: oss-allowed\)"):
        select(lib, spec)


def test_unknown_clause_id_in_spec(tmp_path: Path) -> None:
    spec = load_spec(_spec_with(tmp_path, "clauses:\n  exclude: [no-such-clause]\n"))
    with pytest.raises(DataError) as exc:
        select(load_library(CLAUSES), spec)
    assert str(exc.value).startswith(f"{spec.path}:{CLAUSES_LINE}: clauses.exclude: unknown clause id 'no-such-clause'")


def test_include_overrides_a_false_condition(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8").replace("hosting: cloud", "hosting: agency")
    path = tmp_path / "spec.yaml"
    path.write_text(text + "clauses:\n  include: [data-protection]\n", encoding="utf-8")
    decisions, _ = select(load_library(CLAUSES), load_spec(path))
    d = next(d for d in decisions if d.clause.id == "data-protection")
    assert d.included and "overrides applies_when" in d.reason


def test_coverage_matrix() -> None:
    lib = load_library(CLAUSES)
    cov = coverage(lib)
    assert all(cov[n] for n in range(1, 10))
    assert "draft-community" not in cov[2]


def test_validate_library_reports_everything(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(CLAUSES, lib)
    (lib / "broken.yaml").write_text("id: broken\nversion: 1\n", encoding="utf-8")
    text = (lib / "data-protection.yaml").read_text(encoding="utf-8")
    (lib / "data-protection.yaml").write_text(
        text.replace("criteria: [9]", "criteria: [1]\nalternatives: [ghost]"), encoding="utf-8"
    )
    tco = (lib / "tco-award.yaml").read_text(encoding="utf-8")
    (lib / "tco-award.yaml").write_text(tco.replace("criteria: [7, 8, 9]", "criteria: [7, 8]"), encoding="utf-8")
    report = validate_library(lib, lint=False)
    joined = "\n".join(report.problems)
    assert "broken.yaml:2:" in joined or "broken.yaml:1:" in joined
    assert "alternative 'ghost' is not a clause" in joined
    assert "criterion 9 is not covered" in joined


def test_clauses_cli() -> None:
    runner = CliRunner()
    res = runner.invoke(clauses_group, ["list", "--clauses", str(CLAUSES), "--criterion", "9", "--lang", "es"])
    assert res.exit_code == 0 and "tco-award" in res.stdout and "Costo total" in res.stdout
    assert "oss-allowed" not in res.stdout
    res = runner.invoke(clauses_group, ["list", "--clauses", str(CLAUSES), "--status", "draft"])
    assert res.stdout.split()[0] == "draft-community"
    res = runner.invoke(clauses_group, ["show", "support-sla", "--clauses", str(CLAUSES), "--lang", "pt"])
    assert res.exit_code == 0 and "Incidentes críticos são resolvidos em 4 horas" in res.stdout
    res = runner.invoke(clauses_group, ["show", "nope", "--clauses", str(CLAUSES)])
    assert res.exit_code == 2 and "no clause 'nope'" in res.stderr
    res = runner.invoke(clauses_group, ["validate", "--clauses", str(CLAUSES), "--no-lint"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(clauses_group, ["coverage", "--clauses", str(CLAUSES)])
    assert res.exit_code == 0 and res.stdout.splitlines()[0].split() == ["clause", *map(str, range(1, 10))]


def test_clauses_validate_cli_fails_on_problems(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: bad\n", encoding="utf-8")
    res = CliRunner().invoke(clauses_group, ["validate", "--clauses", str(tmp_path), "--no-lint"])
    assert res.exit_code == 2 and "bad.yaml:1:" in res.stdout


def test_validate_lints_clause_text(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(CLAUSES, lib)
    text = (lib / "open-standards.yaml").read_text(encoding="utf-8")
    (lib / "open-standards.yaml").write_text(
        text.replace("such as ODF, CSV and JSON.", "and the solution must run on Microsoft SharePoint."),
        encoding="utf-8",
    )
    report = validate_library(lib, lint=True)
    assert any("open-standards.yaml" in p and "trips lint rule" in p for p in report.problems), report.problems
