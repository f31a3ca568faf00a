"""Bundled examples and `init` starters build with the bundled clause library."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from ospo_procure.cli_tender import init_cmd
from ospo_procure.paths import data_dir
from ospo_procure.tender import build_tender, load_library
from ospo_procure.tender.starter import starter_text

EXAMPLES = sorted((data_dir("examples") / "specs").glob("*.yaml"))


def test_examples_cover_three_languages_and_types() -> None:
    import yaml

    specs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    assert {"en", "es", "pt"} <= {s["language"] for s in specs}
    assert len({s["procurement_type"] for s in specs}) == len(specs) >= 3


def test_bundled_library_validates_and_passes_the_linter() -> None:
    """`clauses validate` on the bundled library: schema, languages, variables, coverage and
    no approved clause text (in any language) triggering a lint finding."""
    from ospo_procure.tender.validation import validate_library

    library = load_library(data_dir("clause_library"))
    assert len(library.approved()) >= 40
    report = validate_library(data_dir("clause_library"), lint=True)
    assert report.problems == []


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_meets_the_self_lint_targets(spec: Path, tmp_path: Path) -> None:
    """No error-level finding in what the build writes, and at least 4 on every criterion."""
    result = build_tender(spec, tmp_path / "out")
    assert result.lint_ran
    assert result.findings == []
    scores = {n: c.score for n, c in result.scorecard.criteria.items()}
    assert all(score >= 4 for score in scores.values()), scores


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_builds(spec: Path, tmp_path: Path) -> None:
    result = build_tender(spec, tmp_path / "out", pdf=True, lint=False)
    assert any(d.included for d in result.decisions)
    doc = docx.Document(str(tmp_path / "out" / "terms_of_reference.docx"))
    assert sum(p.style.name == "Heading 1" for p in doc.paragraphs) >= 5


@pytest.mark.parametrize("lang", ["en", "es", "pt", "fr"])
def test_init_writes_a_commented_spec_and_refuses_overwrite(lang: str, tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    runner = CliRunner()
    res = runner.invoke(init_cmd, ["--lang", lang, "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert text == starter_text(lang, str(out)) and f"language: {lang}" in text and text.startswith("# ")
    # The comment names the file that was written, so the command it gives works as it is.
    assert f"ospo-procure build {out} -o" in text.splitlines()[1]
    res = runner.invoke(init_cmd, ["--lang", lang, "-o", str(out)])
    assert res.exit_code == 2 and "--force" in res.stderr
    assert runner.invoke(init_cmd, ["--lang", lang, "-o", str(out), "--force"]).exit_code == 0


def test_init_comments_are_in_the_language() -> None:
    assert "# Edite los valores" in starter_text("es")
    assert "# Edite os valores" in starter_text("pt")
    assert "# Edit the values" in starter_text("en")


@pytest.mark.parametrize("lang", ["en", "es", "pt", "fr"])
def test_init_spec_builds_a_tender_in_its_language(lang: str, tmp_path: Path) -> None:
    """The starter spec builds terms of reference that carry what the spec says, in its language."""
    import yaml

    from ospo_procure.nlp import detect_language
    from ospo_procure.readers import read_document

    spec = tmp_path / "spec.yaml"
    assert CliRunner().invoke(init_cmd, ["--lang", lang, "-o", str(spec)]).exit_code == 0
    build_tender(spec, tmp_path / "out", lint=False)
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    text = read_document(tmp_path / "out" / "terms_of_reference.docx").text
    assert data["title"] in text and data["reference"] in text
    for requirement in data["functional_requirements"] + data["non_functional_requirements"]:
        assert requirement["text"] in text, requirement["id"]
    assert detect_language(text) == lang


def test_init_starters_build_with_the_test_library(tmp_path: Path) -> None:
    clauses = Path(__file__).parent / "data" / "clauses"
    for lang in ("en", "es", "pt"):
        build_tender(_starter(tmp_path, lang), tmp_path / f"out-{lang}", clause_dir=clauses, lint=False)


def _starter(tmp: Path, lang: str) -> Path:
    path = tmp / f"{lang}.yaml"
    path.write_text(starter_text(lang), encoding="utf-8")
    return path
