"""build_tender / `ospo-procure build`: outputs, escaping, reproducibility, atomicity, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from ospo_procure.cli_tender import build_cmd
from ospo_procure.errors import DataError, UsageError
from ospo_procure.paths import data_dir
from ospo_procure.tender import build_tender
from ospo_procure.tender.render import render_text, template_path

DATA = Path(__file__).parent / "data"
CLAUSES = DATA / "clauses"
SPEC = DATA / "specs" / "minimal-en.yaml"
AGENCY = 'Ministry of Science & Technology <ICT> "Digital"'


def _build(out: Path, spec: Path = SPEC, **kw: object):
    kw.setdefault("clause_dir", CLAUSES)
    kw.setdefault("lint", False)
    return build_tender(spec, out, **kw)  # type: ignore[arg-type]


def _texts(path: Path) -> list[str]:
    d = docx.Document(str(path))
    return [p.text for p in d.paragraphs]


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


def test_outputs_open_and_hold_sections_table_and_annex(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(out, pdf=True)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "build-manifest.json",
        "contract_annex.docx",
        "evaluation_grid.docx",
        "terms_of_reference.docx",
        "terms_of_reference.pdf",
    ]
    assert [p.name for p in result.outputs] == [
        "terms_of_reference.docx",
        "contract_annex.docx",
        "evaluation_grid.docx",
        "terms_of_reference.pdf",
        "build-manifest.json",
    ]
    tor = out / "terms_of_reference.docx"
    d = docx.Document(str(tor))
    # Numbers come from the list numbering of the styles, not from the text (test_build_filing.py).
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith(("Heading", "Annex"))]
    assert ("Heading 1", "Background") in headings
    assert ("Heading 2", "Open-source solutions are welcome") in headings
    assert headings[-1] == ("Annex Heading", "Annex: clause sources")
    assert [h for h in headings if h[0] == "Heading 1"][-1][1].endswith("Award criteria")
    numbers = {c.title: c.number for s in result.docs["tor"].sections for c in s.clauses}
    assert numbers["Open-source solutions are welcome"] == "4.1"
    assert any(p.style.name == "List Bullet" and p.text.startswith("FR-1: ") for p in d.paragraphs)
    tables = _tables(tor)
    award = next(t for t in tables if t[0] == ["Criterion", "Weight (%)", "Description"])
    assert award[1:] == [
        ["Technical quality", "50", "Fit of the proposed solution"],
        ["Price (TCO)", "30", ""],
        ["Team", "20", ""],
        ["Total", "100", ""],
    ]
    sources = next(t for t in tables if t[0] == ["Section", "Clause", "Clause id", "Version"])
    assert ["6.1", "Licence of the deliverables", "source-code-licence", "1.2.0"] in sources
    # no template tag survives rendering
    every = "\n".join(_texts(tor)) + str(tables)
    assert "{{" not in every and "{%" not in every
    grid = _tables(out / "evaluation_grid.docx")
    assert grid[1][0] == ["Criterion", "Weight (%)", "Description", "Score (0-5)", "Weighted score"]
    assert "Support levels" in _texts(out / "contract_annex.docx")
    assert [c.number for s in result.docs["contract"].sections for c in s.clauses if c.title == "Support levels"] == [
        "2.1"
    ]


def test_special_characters_appear_literally(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(out)
    for name in ("terms_of_reference.docx", "contract_annex.docx", "evaluation_grid.docx"):
        d = docx.Document(str(out / name))  # would fail on broken XML
        assert d.tables[0].rows[0].cells[1].text == AGENCY
        assert d.core_properties.author == AGENCY
    assert "MST&T accepts and prefers" in "\n".join(_texts(out / "terms_of_reference.docx"))


def test_manifest_lists_clauses_templates_and_no_timestamps(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(out)
    m = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    import hashlib

    from ospo_procure import __version__

    assert m["version"] == __version__ and m["language"] == "en"
    assert m["spec"]["sha256"] == hashlib.sha256(SPEC.read_bytes()).hexdigest()
    ids = {c["id"]: c for c in m["clauses"]}
    assert ids["source-code-licence"]["version"] == "1.2.0" and ids["source-code-licence"]["number"] == "6.1"
    assert {t["name"] for t in m["templates"]} == {
        "terms_of_reference.docx",
        "contract_annex.docx",
        "evaluation_grid.docx",
    }
    assert all(len(t["sha256"]) == 64 for t in m["templates"])
    assert {s["id"] for s in m["skipped"]} == {"draft-community", "old-exit"}
    assert "time" not in json.dumps(m).lower()


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _build(a, pdf=True)
    _build(b, pdf=True)
    for f in a.iterdir():
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_pdf_text_extracts_with_accents(tmp_path: Path) -> None:
    import pypdf

    spec = tmp_path / "es.yaml"
    text = SPEC.read_text(encoding="utf-8").replace("language: en", "language: es")
    text = text.replace(
        "The ministry manages research grants with spreadsheets.", "Acentos: á é í ó ú ñ ç ã õ — gestión & <código>."
    )
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    _build(out, spec=spec, pdf=True)
    reader = pypdf.PdfReader(str(out / "terms_of_reference.pdf"))
    extracted = "\n".join(page.extract_text() for page in reader.pages)
    for word in (
        "á é í ó ú ñ ç ã õ",
        "gestión & <código>",
        "Términos de Referencia",
        "Antecedentes",
        "Criterios de adjudicación",
        "Anexo: origen de las cláusulas",
        "Se admiten soluciones de código abierto",
    ):
        assert word in extracted, word
    fonts = {str(f.get("/BaseFont")) for p in reader.pages for f in (p["/Resources"]["/Font"].values())}
    assert fonts and not any("Helvetica" in f for f in fonts)


# ------------------------------------------------------------------ validation errors


def _mutate(tmp_path: Path, old: str, new: str, base: Path = SPEC) -> Path:
    text = base.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    """Line of the last occurrence (the duplicate, when a value appears twice)."""
    return [i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln][-1]


@pytest.mark.parametrize(
    "old, new, needle, fragment",
    [
        ("country: Uruguay", "country: Uruguay\ncolour: blue", "colour:", "unknown key 'colour'"),
        ("duration_months: 18", "duration_months: eighteen", "duration_months:", "timeline.duration_months"),
        ("weight: 20", "weight: 10", "award_criteria:", "weights sum to 90, they must sum to 100"),
        ("licence: EUPL-1.2", "licence: Proprietary-1.0", "licence:", "licence"),
        ("hosting: cloud", "hosting: basement", "hosting:", "hosting"),
        ("has_personal_data: true", "has_personal_data: maybe", "has_personal_data:", "has_personal_data"),
        (
            "reuses_existing_oss: false",
            "reuses_existing_oss: false\nclauses: {include: [ghost-clause]}",
            "clauses:",
            "unknown clause id 'ghost-clause'",
        ),
        (
            "    - {name: Go-live, month: 12}",
            "    - {name: Go-live, month: 30}",
            "Go-live",
            "falls after the contract end",
        ),
        ("  - id: NFR-1", "  - id: FR-1", "id: FR-1", "used in both requirement lists"),
        (
            "reuses_existing_oss: false",
            "reuses_existing_oss: false\nvariables: {agency: Other}",
            "variables:",
            "comes from the spec itself",
        ),
        ("start: 2026-03-01", "start: 2026-02-30", "start:", "invalid value: day is out of range"),
        ("title: Case", "title: [Case", "title:", "invalid YAML"),
    ],
)
def test_spec_errors_exit_2_with_file_line_and_write_nothing(
    tmp_path: Path, old: str, new: str, needle: str, fragment: str
) -> None:
    spec = _mutate(tmp_path, old, new)
    out = tmp_path / "out"
    res = CliRunner().invoke(build_cmd, [str(spec), "-o", str(out), "--clauses", str(CLAUSES)])
    assert res.exit_code == 2, res.output
    message = res.stderr.strip()
    assert len(message.splitlines()) == 1
    line = _line_of(spec, needle)
    assert message.startswith(f"ospo-procure: {spec}:"), message
    if "invalid" not in fragment:
        assert message.startswith(f"ospo-procure: {spec}:{line}: "), message
    assert fragment in message
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["spec.yaml"]  # no staging folder left behind


def test_missing_required_field(tmp_path: Path) -> None:
    spec = _mutate(tmp_path, "reference: MST-2026-001\n", "")
    with pytest.raises(DataError, match="missing required field: 'reference'"):
        _build(tmp_path / "out", spec=spec)


def test_clause_lacking_the_spec_language(tmp_path: Path) -> None:
    # the bundled French example against the test library, which has no 'fr' texts
    spec = data_dir("examples") / "specs" / "fr-abonnement-visio.yaml"
    with pytest.raises(DataError) as exc:
        _build(tmp_path / "out", spec=spec)
    assert str(exc.value).startswith(f"{spec}:{_line_of(spec, 'language:')}: clause ")
    assert "has no 'fr' text" in str(exc.value)


def test_clause_variable_the_spec_lacks(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(CLAUSES, lib)
    (lib / "budget-note.yaml").write_text(
        "id: budget-note\nversion: 1.0.0\nstatus: approved\ncategory: economic\nsection: economic\n"
        "document: tor\ncriteria: [7]\nvariables: [budget_amount, currency, hosting_partner]\n"
        "title: {en: Budget, es: Presupuesto, pt: Orçamento}\n"
        "text:\n  en: '{{ budget_amount }} {{ currency }} {{ hosting_partner }}'\n"
        "  es: '{{ budget_amount }} {{ currency }} {{ hosting_partner }}'\n"
        "  pt: '{{ budget_amount }} {{ currency }} {{ hosting_partner }}'\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"budget-note.*needs hosting_partner.*set variables.hosting_partner"):
        _build(tmp_path / "out", clause_dir=lib)
    spec = _mutate(tmp_path, "budget: {amount: 250000, currency: USD}\n", "variables: {hosting_partner: X}\n")
    with pytest.raises(DataError, match=r"needs budget_amount, currency.*add budget"):
        _build(tmp_path / "out", spec=spec, clause_dir=lib)


# ------------------------------------------------------------------ atomicity and paths


def test_failure_leaves_existing_output_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken_pdf(*_args: object) -> bytes:
        raise DataError("simulated failure while drawing the PDF")

    import ospo_procure.tender.pdf as pdf_mod

    monkeypatch.setattr(pdf_mod, "render_pdf", broken_pdf)
    spec = _mutate(tmp_path, "title: Case management platform", "title: Another title")
    with pytest.raises(DataError, match="simulated failure"):
        _build(out, spec=spec, pdf=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "spec.yaml"]


def test_rebuild_replaces_files_and_drops_stale_pdf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(out, pdf=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    _build(out)
    assert not (out / "terms_of_reference.pdf").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # only our own names are touched


def test_template_folder_override_and_traversal(tmp_path: Path) -> None:
    from ospo_procure.paths import data_dir

    tdir = tmp_path / "tpl"
    shutil.copytree(data_dir("templates"), tdir)
    (tdir / "contract_annex.docx").unlink()
    with pytest.raises(DataError, match="template contract_annex.docx not found"):
        _build(tmp_path / "out", template_dir=tdir)
    assert not (tmp_path / "out").exists()
    with pytest.raises(DataError, match="unknown template"):
        template_path(tdir, "../../etc/passwd")


def test_refuses_to_write_over_its_inputs(tmp_path: Path) -> None:
    from ospo_procure.paths import data_dir

    tdir = tmp_path / "tpl"
    shutil.copytree(data_dir("templates"), tdir)
    before = (tdir / "terms_of_reference.docx").read_bytes()
    with pytest.raises(UsageError, match="refusing to overwrite an input file"):
        _build(tdir, template_dir=tdir)
    assert (tdir / "terms_of_reference.docx").read_bytes() == before


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    res = CliRunner().invoke(build_cmd, [str(SPEC), "-o", str(target), "--clauses", str(CLAUSES)])
    assert res.exit_code == 2 and "is a file" in res.stderr
    with pytest.raises(UsageError, match="not a folder"):
        _build(target)


# ------------------------------------------------------------------ clause text sandbox


def test_sandbox_undefined_and_unsafe_attributes() -> None:
    with pytest.raises(DataError, match="undefined variable"):
        render_text("{{ nope }}", {})
    with pytest.raises(DataError):
        render_text("{{ agency.__class__.__mro__ }}", {"agency": "x"})
    with pytest.raises(DataError, match="not allowed"):
        render_text("{{ 'x' * 1000000000 }}", {})
    assert render_text("{{ a }} & <b>", {"a": "R&D"}) == "R&D & <b>"  # plain text: no escaping yet


# ------------------------------------------------------------------ CLI: explain, strict, lint


def test_cli_explain_lists_every_clause(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        build_cmd, [str(SPEC), "-o", str(tmp_path / "o"), "--clauses", str(CLAUSES), "--explain", "--no-lint"]
    )
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if ln[:2] in ("+ ", "- ")]
    assert len(lines) == len(list(CLAUSES.glob("*.yaml")))
    assert "- old-exit@1.0.0 [tor/exit]: status is deprecated" in lines
    assert any(
        ln.startswith("+ data-protection@1.0.0 [contract/security]: applies_when: has_personal_data") for ln in lines
    )


def test_self_lint_writes_scorecard(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(out, lint=True)
    assert result.lint_ran
    card = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert set(card["documents"]) == {"terms_of_reference.docx", "contract_annex.docx"}
    assert result.scorecard is not None and set(result.scorecard.criteria) == set(range(1, 10))
    assert json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))["self_lint"] is not None


def test_lock_in_text_builds_but_reports_and_strict_exits_1(tmp_path: Path) -> None:
    spec = _mutate(
        tmp_path,
        "text: Applicants submit proposals online.",
        "text: The solution must run on Microsoft SharePoint and Oracle Database.",
    )
    out = tmp_path / "out"
    result = _build(out, spec=spec, lint=True)
    assert (out / "terms_of_reference.docx").exists()
    assert result.findings and all(f.severity == "error" for f in result.findings)
    assert any("SharePoint" in f.match for f in result.findings)
    runner = CliRunner()
    res = runner.invoke(build_cmd, [str(spec), "-o", str(tmp_path / "o2"), "--clauses", str(CLAUSES)])
    assert res.exit_code == 0 and "self-lint terms_of_reference.docx:" in res.stdout
    res = runner.invoke(build_cmd, [str(spec), "-o", str(tmp_path / "o3"), "--clauses", str(CLAUSES), "--strict"])
    assert res.exit_code == 1 and "--strict" in res.stderr
