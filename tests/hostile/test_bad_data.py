"""Bad data: broken rules, specs and clauses are caught with file and line; regexes are
checked at load time and bounded at lint time; no data can run code or read files."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.errors import DataError
from ospo_procure.rules import load_ruleset
from ospo_procure.service import LintOptions, run_lint
from ospo_procure.tender.conditions import ConditionError
from ospo_procure.tender.conditions import parse as parse_condition
from ospo_procure.tender.render import render_docx, render_text, template_path

ROOT = Path(__file__).resolve().parents[2]
DIRECT_AWARD = r"\bdirect award\b"  # the T-SOLE regex of the mini rule folder (single-quoted YAML)


# ------------------------------------------------------------------ rule folders


@pytest.fixture
def rule_copy(rules_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the mini rule folder (a fresh path each test: load_ruleset caches by path)."""
    return Path(shutil.copytree(rules_dir, tmp_path / "rules"))


def _edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in a file; return the 1-based line of the first replacement."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def _line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def _assert_data_error(exc: DataError, path: Path, line: int | None) -> None:
    assert exc.path == str(path), str(exc)
    if line is not None:
        assert exc.line is not None and abs(exc.line - line) <= 1, str(exc)
    assert "\n" not in str(exc)


def test_rule_yaml_syntax_error(rule_copy: Path) -> None:
    rules = rule_copy / "rules" / "test.yaml"
    line = _edit(rules, "    severity: warning\n", "    severity: [warning\n")
    with pytest.raises(DataError, match="invalid YAML") as exc:
        load_ruleset(rule_copy)
    _assert_data_error(exc.value, rules, line)


def test_rule_wrong_type(rule_copy: Path) -> None:
    rules = rule_copy / "rules" / "test.yaml"
    line = _edit(rules, "criteria: [8]", 'criteria: "eight"')
    with pytest.raises(DataError, match="criteria") as exc:
        load_ruleset(rule_copy)
    _assert_data_error(exc.value, rules, line)


def test_rule_unknown_key(rule_copy: Path) -> None:
    rules = rule_copy / "rules" / "test.yaml"
    line = _edit(rules, "    severity: warning\n", "    sevrity: warning\n")
    with pytest.raises(DataError, match="sevrity|severity") as exc:
        load_ruleset(rule_copy)
    _assert_data_error(exc.value, rules, line)


def test_duplicate_rule_id(rule_copy: Path) -> None:
    rules = rule_copy / "rules" / "test.yaml"
    line = _edit(rules, "id: T-FORMAT", "id: T-BRAND")
    with pytest.raises(DataError, match="duplicate rule id T-BRAND") as exc:
        load_ruleset(rule_copy)
    _assert_data_error(exc.value, rules, line)


def test_duplicate_rule_id_across_files(rule_copy: Path) -> None:
    other = rule_copy / "rules" / "zz-other.yaml"
    shutil.copy(rule_copy / "rules" / "test.yaml", other)
    with pytest.raises(DataError, match="duplicate rule id") as exc:
        load_ruleset(rule_copy)
    assert exc.value.path == str(other) and exc.value.line


def test_duplicate_yaml_key(rule_copy: Path) -> None:
    rules = rule_copy / "rules" / "test.yaml"
    line = _edit(rules, "    severity: warning\n", "    severity: warning\n    severity: error\n") + 1
    with pytest.raises(DataError, match="duplicate key") as exc:
        load_ruleset(rule_copy)
    _assert_data_error(exc.value, rules, line)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)+$", r"(a|aa)+$", r"(?:per\s+|per\s*)+x", r"(\w|\d)+$"])
def test_catastrophic_regex_refused_at_load(rule_copy: Path, pattern: str) -> None:
    rules = rule_copy / "rules" / "test.yaml"
    line = _line_of(rules, "regex: {en: ['" + DIRECT_AWARD)
    _edit(rules, DIRECT_AWARD, pattern)
    start = time.monotonic()
    with pytest.raises(DataError, match="backtracks catastrophically") as exc:
        load_ruleset(rule_copy)
    assert time.monotonic() - start < 10
    _assert_data_error(exc.value, rules, line)


def test_invalid_regex_refused_at_load(rule_copy: Path) -> None:
    rules = rule_copy / "rules" / "test.yaml"
    _edit(rules, DIRECT_AWARD, "(unclosed")
    with pytest.raises(DataError, match="bad regular expression") as exc:
        load_ruleset(rule_copy)
    assert exc.value.path == str(rules) and exc.value.line


def test_regex_that_slips_past_the_probe_is_bounded_at_lint_time(rule_copy: Path, tmp_path: Path) -> None:
    """(x+x+)+y passes the load-time probes (no x in them) but explodes on "xxxx...":
    each search is cut off by the per-regex timeout, so the lint still finishes."""
    _edit(rule_copy / "rules" / "test.yaml", DIRECT_AWARD, "(x+x+)+y")
    load_ruleset(rule_copy)  # loads: the probe cannot know every input
    tender = tmp_path / "evil.txt"
    tender.write_text(("The supplier shall " + "x" * 3000 + "\n\n") * 8, encoding="utf-8")
    start = time.monotonic()
    out = run_lint([tender], LintOptions(rules_dir=rule_copy))
    assert time.monotonic() - start < 20
    # Read and linted to the end: no finding in this text (the runaway regex matches nothing).
    assert out.results[0].error is None and out.results[0].findings == [] and out.exit_code == 0


def test_yaml_aliases_refused(rule_copy: Path) -> None:
    """Billion laughs in YAML: anchors/aliases are refused outright."""
    rules = rule_copy / "rules" / "test.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace("criteria: [1]", "criteria: &c [1]", 1).replace("criteria: [6]", "criteria: *c", 1),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="anchors/aliases"):
        load_ruleset(rule_copy)


def test_yaml_python_tag_cannot_run_code(rule_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    rules = rule_copy / "rules" / "test.yaml"
    _edit(rules, "    severity: warning\n", f"    severity: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(DataError):
        load_ruleset(rule_copy)
    assert not marker.exists()


@pytest.mark.parametrize(
    "target,old,new",
    [
        ("context.yaml", "product_context:", "product_context: [unclosed"),
        ("roles.yaml", "precedence:", "precedence: [unclosed"),
        ("lexicons/products.yaml", "vendors:", "vendors: 7\nvendorz:"),
        ("lexicons/formats.yaml", "formats:", "formats: {"),
    ],
)
def test_broken_context_and_lexicons(rule_copy: Path, target: str, old: str, new: str) -> None:
    _edit(rule_copy / target, old, new)
    with pytest.raises(DataError) as exc:
        load_ruleset(rule_copy)
    assert exc.value.path == str(rule_copy / target)


def test_cli_rules_check_broken_folder_exit_2(rule_copy: Path) -> None:
    _edit(rule_copy / "rules" / "test.yaml", "id: T-FORMAT", "id: T-BRAND")
    res = CliRunner().invoke(main, ["rules", "check", "--rules", str(rule_copy)])
    assert res.exit_code == 2
    assert re.search(r"test\.yaml:\d+: duplicate rule id", res.output) and "Traceback" not in res.output


def test_cli_lint_with_broken_rules_exit_2(rule_copy: Path, tmp_path: Path) -> None:
    _edit(rule_copy / "rules" / "test.yaml", DIRECT_AWARD, "(a+)+$")
    tender = tmp_path / "t.txt"
    tender.write_text("The supplier shall deliver.", encoding="utf-8")
    before = tender.read_bytes()
    res = CliRunner().invoke(main, ["lint", str(tender), "--rules", str(rule_copy)])
    assert res.exit_code == 2 and "backtracks catastrophically" in res.output
    assert tender.read_bytes() == before


# ------------------------------------------------------------------ tender specs


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return Path(shutil.copy(ROOT / "examples" / "specs" / "en-grants-platform.yaml", tmp_path / "spec.yaml"))


def _load_spec(path: Path):  # type: ignore[no-untyped-def]
    from ospo_procure.tender.spec import load_spec

    return load_spec(path)


@pytest.mark.parametrize(
    "old,new,match",
    [
        ("language: en", "language: [en", "invalid YAML"),
        ("title: Research grants management platform", "title: [1, 2]", "title"),
        ("reference: MSTI-ICT-2026-014", "reference: MSTI\nreference: again", "duplicate key"),
        (
            "title: Research grants management platform",
            "title: !!python/object/apply:os.getcwd []",
            "invalid YAML|constructor",
        ),
        ("title: Research grants management platform", "title: 2026-02-30", "invalid value|title"),
        ("  - id: FR-02", "  - id: FR-01", "FR-01|duplicate|unique"),
    ],
    ids=["syntax", "wrong-type", "duplicate-key", "python-tag", "bad-date", "duplicate-id"],
)
def test_broken_spec_names_file_and_line(spec: Path, old: str, new: str, match: str) -> None:
    line = _edit(spec, old, new)
    with pytest.raises(DataError, match=match) as exc:
        _load_spec(spec)
    assert exc.value.path == str(spec)
    if exc.value.line is not None:
        assert abs(exc.value.line - line) <= 2, str(exc.value)


def test_cli_tender_broken_spec_exit_2_and_no_output(spec: Path, tmp_path: Path) -> None:
    _edit(spec, "language: en", "language: [en")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(spec), "-o", str(out), "--no-lint"])
    assert res.exit_code == 2 and "spec.yaml:" in res.output and "Traceback" not in res.output
    assert not out.exists()


# ------------------------------------------------------------------ clauses: no code, no files


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ title.__class__.__init__.__globals__ }}",
        "{% for i in range(10**9) %}x{% endfor %}",
        "{{ 'a' * 1000000000 }}",
        "{% include '/etc/passwd' %}",
        "{% import 'os' as os %}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{% set x = 1 %}",
    ],
)
def test_clause_text_cannot_run_code_or_read_files(source: str) -> None:
    with pytest.raises(DataError):
        render_text(source, {"title": "t"})


@pytest.mark.parametrize(
    "source",
    ["__import__('os').system('id')", "open('/etc/passwd')", "title.__class__", "lambda: 1", "().__class__"],
)
def test_conditions_are_not_python(source: str) -> None:
    with pytest.raises((ConditionError, DataError)):
        parse_condition(source).evaluate({"title": "x"})


def test_clause_file_with_hostile_text_is_refused(tmp_path: Path) -> None:
    from ospo_procure.tender.clauses import load_clause

    clause = Path(shutil.copy(ROOT / "clause_library" / "scope-of-contract.yaml", tmp_path / "scope-of-contract.yaml"))
    _edit(clause, '"{{ title }}"', "{{ title.__class__.__mro__ }}")
    from ospo_procure.tender.render import render_clause

    with pytest.raises(DataError) as exc:  # refused when loaded (allow-list) or rendered (sandbox)
        render_clause(load_clause(clause), "en", {"title": "t", "contract_months": 3})
    assert exc.value.path == str(clause)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "terms_of_reference.docx/../x", "evil.docx"])
def test_template_names_cannot_traverse(tmp_path: Path, name: str) -> None:
    with pytest.raises(DataError, match="unknown template"):
        template_path(tmp_path, name)


def test_docx_template_is_rendered_in_a_sandbox(tmp_path: Path) -> None:
    """A template from a user-named folder is data: it cannot reach Python internals."""
    import docx

    d = docx.Document()
    d.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__()|length }}")
    evil = tmp_path / "terms_of_reference.docx"
    d.save(str(evil))
    with pytest.raises(DataError, match="unsafe"):
        render_docx(evil, {}, core={})
