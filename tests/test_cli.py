"""The CLI as a user meets it: exit statuses, output formats, bad formats, start-up cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_procure.cli import main

LOCKIN = "The database layer must run on Microsoft SQL Server 2019 Enterprise.\n\nPriced per named user.\n"
CLEAN = "Open-source solutions are admissible.\n\nThe contractor shall deliver documentation.\n"


@pytest.fixture()
def rules_dir(mini_rules) -> str:
    return str(mini_rules.directory)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_exit_status_1_on_error_findings_and_text_format(tmp_path, rules_dir):
    f = tmp_path / "t.txt"
    f.write_text(LOCKIN)
    res = run("lint", str(f), "--rules", rules_dir, "--lang", "en")
    assert res.exit_code == 1
    first = res.output.splitlines()[0]
    assert first.startswith(f"{f}:1: error T-BRAND ")
    assert "»Microsoft SQL Server 2019 Enterprise«" in res.output
    assert "2 errors" in res.stdout and "Checklist score" in res.stdout


def test_exit_status_0_when_clean_and_fail_on(tmp_path, rules_dir):
    f = tmp_path / "t.txt"
    f.write_text(CLEAN)
    assert run("lint", str(f), "--rules", rules_dir).exit_code == 0
    g = tmp_path / "w.txt"
    g.write_text("Letters shall be .doc files.\n")
    assert run("lint", str(g), "--rules", rules_dir, "--lang", "en").exit_code == 0  # warning < error
    assert run("lint", str(g), "--rules", rules_dir, "--lang", "en", "--fail-on", "warning").exit_code == 1
    assert run("lint", str(f), "--rules", rules_dir, "--fail-under", "4.5").exit_code == 1


def test_json_schema(tmp_path, rules_dir):
    f = tmp_path / "t.txt"
    f.write_text(LOCKIN)
    res = run("lint", str(f), "--rules", rules_dir, "--format", "json", "--lang", "en")
    data = json.loads(res.stdout)
    assert data["version"] == 2
    (file,) = data["files"]
    assert {"path", "language", "rules", "blocks", "findings", "evidence", "scorecard"} <= set(file)
    assert file["language"] == "en"
    keys = {"rule", "category", "severity", "message", "match", "block", "start", "end", "location", "suggestion"}
    for item in file["findings"]:
        assert keys <= set(item)
        assert file["blocks"][str(item["block"])][item["start"] : item["end"]] == item["match"]
        assert item["location"]["part"] == "body" and item["location"]["line"] >= 1  # a text file: no page or table
        assert {"legal_basis", "criteria"} <= set(file["rules"][item["rule"]])
    sc = file["scorecard"]
    assert set(sc["criteria"]) == {str(i) for i in range(1, 10)}
    for crit in sc["criteria"].values():
        assert 0 <= crit["score"] <= 5 and {"evidence", "findings"} <= set(crit)
        assert all(0 <= i < len(file["findings"]) for i in crit["findings"])
        assert all(0 <= i < len(file["evidence"]) for i in crit["evidence"])
    assert 0 <= sc["overall"] <= 5


def test_select_ignore_by_category(tmp_path, rules_dir):
    f = tmp_path / "t.txt"
    f.write_text(LOCKIN)
    res = run(
        "lint", str(f), "--rules", rules_dir, "--format", "json", "--select", "per_user_licensing", "--lang", "en"
    )
    assert {x["rule"] for x in json.loads(res.stdout)["files"][0]["findings"]} == {"T-PER-USER"}
    res = run(
        "lint", str(f), "--rules", rules_dir, "--format", "json", "--ignore", "T-PER-USER,T-BRAND", "--lang", "en"
    )
    assert json.loads(res.stdout)["files"][0]["findings"] == []


def test_folder_and_several_files(tmp_path, rules_dir):
    (tmp_path / "a.txt").write_text(LOCKIN)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Title\n\n" + CLEAN)
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG....")
    res = run("lint", str(tmp_path), "--rules", rules_dir, "--format", "json")
    assert [Path(f["path"]).name for f in json.loads(res.stdout)["files"]] == ["a.txt", "b.md"]


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save as .docx"),
        (
            "renamed.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "legacy .doc/.xls renamed, or a password-protected",
        ),
        ("memo.rtf", b"{\\rtf1\\ansi hello}", "RTF"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "OCR"),
        ("empty.txt", b"", "empty"),
        ("latin1.txt", "Licitación pública".encode("latin-1"), "not UTF-8"),
        ("data.xyz", b"hello", "unsupported file type"),
    ],
)
def test_bad_formats_one_line_exit_2(tmp_path, rules_dir, name, data, needle):
    f = tmp_path / name
    f.write_bytes(data)
    res = run("lint", str(f), "--rules", rules_dir)
    assert res.exit_code == 2
    line = next(ln for ln in res.output.splitlines() if "error" in ln)
    assert str(f) in line and needle in line


def test_missing_file_and_usage_errors(tmp_path, rules_dir):
    res = run("lint", str(tmp_path / "nope.docx"), "--rules", rules_dir)
    assert res.exit_code == 2 and "no such file" in res.output
    f = tmp_path / "t.txt"
    f.write_text(CLEAN)
    res = run("lint", str(f), "--rules", rules_dir, "--format", "pdf")
    assert res.exit_code == 2 and "needs -o FILE" in res.output
    res = run("lint", str(f), "--rules", rules_dir, "-o", str(f))
    assert res.exit_code == 2 and "refusing to overwrite an input file" in res.output
    assert f.read_text() == CLEAN


def test_output_file_written(tmp_path, rules_dir):
    f = tmp_path / "t.txt"
    f.write_text(LOCKIN)
    out = tmp_path / "r.json"
    res = run("lint", str(f), "--rules", rules_dir, "--format", "json", "-o", str(out), "--lang", "en")
    assert res.exit_code == 1
    assert json.loads(out.read_text())["files"][0]["findings"]


def test_rules_commands(rules_dir):
    res = run("rules", "list", "--rules", rules_dir)
    assert res.exit_code == 0 and "T-BRAND" in res.output and "T-OSS" in res.output
    res = run("rules", "show", "t-brand", "--rules", rules_dir)
    assert res.exit_code == 0 and "Product {match} required" in res.stdout and "✗ [en]" in res.stdout
    assert "**" not in res.stdout  # plain text in a terminal, not markdown
    assert res.stdout.startswith("T-BRAND (finding: brand names, error; checklist criteria")
    res = run("rules", "check", "--rules", rules_dir)
    assert res.exit_code == 0 and "13 examples: 13 passed, 0 failed" in res.output
    assert run("rules", "show", "NOPE-1", "--rules", rules_dir).exit_code == 2


def test_broken_rules_dir_is_one_line_exit_2(tmp_path):
    from rulefolder import write_rule_folder

    folder = write_rule_folder(tmp_path / "r", rules="rules:\n  - id: X-1\n    bogus: 1\n")
    f = tmp_path / "t.txt"
    f.write_text(CLEAN)
    res = run("lint", str(f), "--rules", str(folder))
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and "test.yaml:" in res.output


def test_help_does_not_import_spacy():
    code = "import sys; from ospo_procure.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\nprint('spacy' in sys.modules, 'docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False False"


def test_python_dash_m(tmp_path):
    out = subprocess.run([sys.executable, "-m", "ospo_procure", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "ospo-procure" in out.stdout
