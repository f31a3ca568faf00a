"""The OSPO's workflow on its own checkout: `clauses` and `rules` commands read the
`clause_library/` and `lint_rules/` of the current folder (or one above it, or the folders a
`[tool.ospo-procure]` table names), else the copy installed with the package, and say which
one they read. Editing the checkout changes what they say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.paths import data_dir


def run(*args: str):  # type: ignore[no-untyped-def]
    """One command, as from a new process (a rule folder loaded earlier is read again)."""
    from ospo_procure.rules.loader import _load_cached

    _load_cached.cache_clear()
    return CliRunner().invoke(main, list(args))


@pytest.fixture()
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An OSPO's repository: its own copies of the clause library and the lint rules."""
    shutil.copytree(data_dir("clause_library"), tmp_path / "clause_library")
    shutil.copytree(data_dir("lint_rules"), tmp_path / "lint_rules")
    (tmp_path / "drafts").mkdir()
    monkeypatch.chdir(tmp_path / "drafts")  # commands find the folders from a subfolder too
    return tmp_path


def test_a_broken_clause_file_in_the_checkout_is_reported(checkout: Path) -> None:
    res = run("clauses", "validate", "--no-lint")
    assert res.exit_code == 0, res.output
    # Found above the current folder: named by its full path (a '../' would say less).
    assert f"clause library: {checkout}/clause_library/ (this project's)" in res.output
    clause = checkout / "clause_library" / "accessibility.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace("status: approved", "status: [oops"), "utf-8")
    res = run("clauses", "validate", "--no-lint")
    assert res.exit_code == 2, res.output
    assert "accessibility.yaml" in res.output and "(this project's)" in res.stderr
    assert not res.stdout.startswith("ok")


def test_clauses_show_reads_the_checkout(checkout: Path) -> None:
    clause = checkout / "clause_library" / "accessibility.yaml"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.replace('en: "Accessibility"', 'en: "Accessibility for everyone"'), "utf-8")
    res = run("clauses", "show", "accessibility", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "Accessibility for everyone" in res.stdout and "(this project's)" in res.stderr


def test_rules_commands_read_the_checkout_and_say_so(checkout: Path) -> None:
    rules = checkout / "lint_rules" / "rules" / "brand.yaml"
    text = rules.read_text(encoding="utf-8")
    res = run("rules", "check")
    assert res.exit_code == 0, res.output
    assert f"lint rules: {checkout}/lint_rules/ (this project's)" in res.stderr
    rules.write_text(text.replace("id: BRAND-PRODUCT", "id: BRAND-PRODUCT-OF-THE-AGENCY-OSPO", 1), "utf-8")
    listed = run("rules", "list")
    assert "BRAND-PRODUCT-OF-THE-AGENCY-OSPO" in listed.stdout and "(this project's)" in listed.stderr
    # Columns line up whatever the length of an id (this one is longer than any bundled one).
    lines = listed.stdout.splitlines()
    assert len({line.index(" finding ") if " finding " in line else line.index(" evidence ") for line in lines}) == 1
    shown = run("rules", "show", "BRAND-PRODUCT-OF-THE-AGENCY-OSPO")
    assert shown.exit_code == 0 and "brand.yaml" in shown.stdout
    rules.write_text(text.replace("severity: error", "severity: fatal", 1), "utf-8")
    broken = run("rules", "check")
    assert broken.exit_code == 2 and "brand.yaml:" in broken.output


def test_outside_a_checkout_the_bundled_data_is_used_and_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = run("clauses", "validate", "--no-lint")
    assert res.exit_code == 0 and "clause library: bundled with ospo-procure" in res.output
    res = run("rules", "list")
    assert res.exit_code == 0 and "lint rules: bundled with ospo-procure" in res.stderr


def test_a_configuration_names_the_folders(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(data_dir("lint_rules"), tmp_path / "data" / "rules")
    (tmp_path / "pyproject.toml").write_text('[tool.ospo-procure]\nlint-rules = "data/rules"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    res = run("rules", "check")
    assert res.exit_code == 0, res.output
    assert "lint rules: data/rules/ (this project's)" in res.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.ospo-procure]\nlint-rules = "nowhere"\n', "utf-8")
    res = run("rules", "check")
    assert res.exit_code == 2 and "pyproject.toml:2" in res.output and "'nowhere' not found" in res.output


def test_the_pre_commit_hooks_run_real_commands(checkout: Path) -> None:
    """Each hook of .pre-commit-hooks.yaml is a command of the CLI that passes on a sound checkout."""
    import re
    import shlex

    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text("utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"ospo-procure-lint", "ospo-procure-clauses", "ospo-procure-rules"}
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        program, *args = shlex.split(hook["entry"])
        assert program == "ospo-procure"
        if hook.get("pass_filenames", True):
            continue  # lint: needs the committed files
        res = run(*args, "--no-lint") if args[0] == "clauses" else run(*args)
        assert res.exit_code == 0, (hook["id"], res.output)
    lint = by_id["ospo-procure-lint"]
    assert re.search(lint["files"], "tenders/draft.docx") and not re.search(lint["files"], "README.md")
    assert re.search(by_id["ospo-procure-rules"]["files"], "lint_rules/rules/brand.yaml")
    draft = checkout / "drafts" / "draft.md"
    draft.write_text("The platform shall be Microsoft SharePoint Online.\n", "utf-8")
    res = run(*shlex.split(lint["entry"])[1:], str(draft))
    assert res.exit_code == 1 and "BRAND-PRODUCT" in res.stdout  # a lock-in draft fails the commit
