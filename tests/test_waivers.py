"""Justified exceptions: waiver files from the reviewer's project, in-document claims, hidden text.

The trust model (SECURITY.md): a waiver file is found from the reviewer's project (current
folder upward) or named with --waivers, never beside a tender; comments and marker lines in a
document are claims, honoured only when the reviewer trusts them; hidden text never waives.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from builders import make_docx, make_odt, p_xml, rewrite_zip, run_xml
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.errors import DataError
from ospo_procure.lint import lint_document
from ospo_procure.model import Waiver, WaiverSource
from ospo_procure.readers import read_document
from ospo_procure.reviewer import ReviewerConfig, discover, load_config, reviewer_config
from ospo_procure.waivers import FileWaivers, load_waivers, parse_markers

TEXT = "The database layer must run on Microsoft SQL Server 2019.\n\nAll offers priced per named user.\n"
WAIVERS = (
    "waivers:\n"
    "  - rule: T-BRAND\n    match: SQL Server\n    files: 'received/*.txt'\n"
    "    justification: The tax registry only exposes a SQL Server interface until 2028.\n"
    "    approved_by: Legal unit\n    approved_on: 2026-10-02\n"
    "  - rule: T-ESCROW\n    justification: Nothing in this tender is escrowed at all.\n"
    "    approved_by: Legal unit\n    approved_on: 2026-10-02\n"
)
SILENCE_ALL = "waivers:\n" + "".join(
    f"  - rule: {rule}\n    pattern: '.*'\n    justification: Accepted by the vendor itself, of course.\n"
    "    approved_by: Vendor\n    approved_on: 2026-01-01\n"
    for rule in ("T-BRAND", "T-PER-USER", "T-FORMAT")
)


def lint(*args: str, rules) -> tuple[int, dict, str]:
    res = CliRunner().invoke(main, ["lint", *args, "--rules", str(rules.directory), "--format", "json", "--lang", "en"])
    return res.exit_code, json.loads(res.stdout), res.stderr


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reviewer's project folder (the current folder), with received tenders in a subfolder."""
    (tmp_path / "received").mkdir()
    (tmp_path / "received" / "t.txt").write_text(TEXT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ------------------------------------------------------------------ waiver files


def test_project_waiver_file_marks_finding_and_reports_unused(project: Path, mini_rules) -> None:
    (project / "ospo-waivers.yaml").write_text(WAIVERS)
    code, data, err = lint("received/t.txt", rules=mini_rules)
    findings = {f["rule"]: f for f in data["files"][0]["findings"]}
    assert findings["T-BRAND"]["waived"] is True
    assert findings["T-BRAND"]["waiver"]["approved_by"] == "Legal unit"
    assert findings["T-PER-USER"]["waived"] is False
    assert [w["rule"] for w in data["unused_waivers"]] == ["T-ESCROW"]
    assert code == 1  # the per-user finding is not waived
    assert "waivers from" in err and "ospo-waivers.yaml" in err  # the reviewer sees which file counts


def test_project_root_is_found_from_a_subfolder(project: Path, mini_rules, monkeypatch) -> None:
    (project / "ospo-waivers.yaml").write_text(WAIVERS)
    monkeypatch.chdir(project / "received")
    _, data, _ = lint("t.txt", rules=mini_rules)  # the project root holds the waivers, not this folder
    assert {f["rule"]: f["waived"] for f in data["files"][0]["findings"]}["T-BRAND"] is True


def test_a_tender_shipped_with_its_own_waiver_file_still_fails(project: Path, mini_rules) -> None:
    received = project / "received"
    (received / "ospo-waivers.yaml").write_text(SILENCE_ALL)
    code, data, _ = lint("received/t.txt", rules=mini_rules)  # run from the reviewer's project
    assert code == 1
    assert not any(f["waived"] for f in data["files"][0]["findings"])


def test_linting_from_inside_the_received_folder_ignores_its_waiver_file(project: Path, mini_rules, monkeypatch):
    received = project / "received"
    (received / "ospo-waivers.yaml").write_text(SILENCE_ALL)
    (received / ".ospo-procure.toml").write_text("trust-document-waivers = true\n")
    monkeypatch.chdir(received)  # the unzipped bundle is the current folder
    code, data, err = lint("t.txt", rules=mini_rules)
    assert code == 1 and not any(f["waived"] for f in data["files"][0]["findings"])
    assert "sits beside the linted file" in err and "not used" in err


def test_explicit_waiver_file_is_the_reviewers_choice(project: Path, mini_rules) -> None:
    wfile = project / "reviewed" / "w.yaml"
    wfile.parent.mkdir()
    wfile.write_text(WAIVERS.replace("received/*.txt", "../received/*.txt"))
    code, data, _ = lint("received/t.txt", "--waivers", str(wfile), rules=mini_rules)
    assert {f["rule"]: f["waived"] for f in data["files"][0]["findings"]}["T-BRAND"] is True
    assert code == 1


def test_waived_findings_do_not_fail_the_run(project: Path, mini_rules) -> None:
    (project / "received" / "t.txt").write_text("The database layer must run on Microsoft SQL Server 2019.\n")
    (project / "ospo-waivers.yaml").write_text(
        "waivers:\n  - rule: T-BRAND\n    justification: Justified by the registry interface memo 14/2026.\n"
        "    approved_by: Legal unit\n    approved_on: '2026-10-02'\n"
    )
    res = CliRunner().invoke(main, ["lint", "received/t.txt", "--rules", str(mini_rules.directory), "--lang", "en"])
    assert res.exit_code == 0
    assert "[waived: Justified by the registry interface memo 14/2026.]" in res.stdout


def test_config_file_names_waiver_files_and_pyproject_table(project: Path, mini_rules) -> None:
    (project / "legal").mkdir()
    (project / "legal" / "w.yaml").write_text(WAIVERS.replace("received/*.txt", "../received/*.txt"))
    (project / ".ospo-procure.toml").write_text('waivers = ["legal/w.yaml"]\n')
    cfg = discover(project / "received")
    assert cfg.root == project and cfg.waiver_files == (project / "legal" / "w.yaml",)
    _, data, _ = lint("received/t.txt", rules=mini_rules)
    assert {f["rule"]: f["waived"] for f in data["files"][0]["findings"]}["T-BRAND"] is True

    (project / ".ospo-procure.toml").unlink()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ospo-procure]\nwaivers = "legal/w.yaml"\nwaiver-authors = ["Ana"]\n'
    )
    cfg = discover(project)
    assert cfg.source == project / "pyproject.toml" and cfg.waiver_authors == frozenset({"ana"})


def test_unrelated_pyproject_is_not_a_project_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("not [valid toml at all")
    (tmp_path / "sub").mkdir()
    assert discover(tmp_path / "sub").root != tmp_path  # skipped, never parsed nor blamed


def test_bad_config_names_file_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / ".ospo-procure.toml"
    cfg.write_text('waivers = "w.yaml"\ntrust-document-waiver = true\n')
    with pytest.raises(DataError, match=r"\.ospo-procure\.toml:2: unknown key 'trust-document-waiver'"):
        load_config(cfg)
    cfg.write_text("trust-document-waivers = 'yes'\n")
    with pytest.raises(DataError, match="true or false"):
        load_config(cfg)
    cfg.write_text("waivers = [\n")
    with pytest.raises(DataError, match="invalid TOML"):
        load_config(cfg)


def test_bad_waiver_file(tmp_path):
    w = tmp_path / "w.yaml"
    w.write_text(
        "waivers:\n  - rule: T-BRAND\n    justification: short\n    approved_by: x\n    approved_on: '2026-01-01'\n"
    )
    with pytest.raises(DataError, match=r"w\.yaml:3: .*justification"):
        load_waivers(w)
    w.write_text(
        "waivers:\n  - rule: T-BRAND\n    justification: long enough justification\n    approved_on: '2026-01-01'\n"
    )
    with pytest.raises(DataError, match="approved_by"):
        load_waivers(w)


def test_a_waiver_pattern_that_times_out_becomes_a_warning(tmp_path, mini_rules, monkeypatch) -> None:
    import ospo_procure.waivers as waivers

    def slow(*args, **kwargs):
        raise TimeoutError("regex timed out")

    monkeypatch.setattr(waivers.regex, "search", slow)
    doc = read_document(_write(tmp_path / "a.txt", TEXT))
    entry = Waiver(
        rule="T-BRAND",
        justification="pattern waiver",
        approved_by="x",
        pattern="SQL.*",
        source=WaiverSource("file", path="w.yaml", line=2),
    )
    result = lint_document(doc, language="en", ruleset=mini_rules, waivers=FileWaivers(entries=[entry]))
    assert not any(f.waived for f in result.findings)
    assert [w for w in result.warnings if "waiver pattern 'SQL.*' (w.yaml:2) ran over" in w]


def test_waiver_scoring_counts_less(tmp_path, mini_rules):
    plain = lint_document(read_document(_write(tmp_path / "a.txt", TEXT)), language="en", ruleset=mini_rules)
    waived = lint_document(
        read_document(_write(tmp_path / "b.txt", TEXT)),
        language="en",
        ruleset=mini_rules,
        waivers=[
            Waiver(
                rule="T-BRAND",
                justification="justified exception for the registry",
                approved_by="x",
                approved_on="2026-01-01",
            )
        ],
    )
    assert waived.scorecard.criteria[1].score > plain.scorecard.criteria[1].score
    assert any("waived" in r for r in waived.scorecard.criteria[1].reasons())


# ------------------------------------------------------------------ in-document claims

MARKED = (
    "<!-- ospo-procure: allow T-BRAND because the legacy registry requires it -->\n"
    "The layer must run on Microsoft SQL Server.\n\nPriced per named user.\n"
)
TRUST = FileWaivers(config=ReviewerConfig(trust_document_waivers=True))


def test_marker_line_is_a_claim_until_trusted(tmp_path, mini_rules):
    doc = read_document(_write(tmp_path / "t.md", MARKED))
    claimed = lint_document(doc, language="en", ruleset=mini_rules)
    assert not any(f.waived for f in claimed.findings)
    assert any("claims a waiver of T-BRAND" in w and "--trust-document-waivers" in w for w in claimed.warnings)

    trusted = lint_document(read_document(tmp_path / "t.md"), language="en", ruleset=mini_rules, waivers=TRUST)
    by_rule = {f.rule: f for f in trusted.findings}
    assert by_rule["T-BRAND"].waived and by_rule["T-BRAND"].waiver.justification == "the legacy registry requires it"
    assert not by_rule["T-PER-USER"].waived
    assert not any("claims a waiver" in w for w in trusted.warnings)


def _comment_docx(tmp_path: Path, author: str = "Reviewer") -> Path:
    from docx import Document

    d = Document()
    p = d.add_paragraph("The database layer must run on Microsoft SQL Server 2019.")
    d.add_paragraph("Priced per named user.")
    d.add_comment(
        p.runs, text="ospo-procure: allow T-BRAND because the registry interface needs it until 2028", author=author
    )
    path = tmp_path / "t.docx"
    d.save(path)
    return path


def test_word_comment_waiver_is_honoured_for_trusted_authors_only(tmp_path, mini_rules):
    path = _comment_docx(tmp_path, author="Ana Pereira")
    claimed = lint_document(read_document(path), language="en", ruleset=mini_rules)
    assert not any(f.waived for f in claimed.findings)
    assert any("Word comment by 'Ana Pereira'" in w for w in claimed.warnings)

    other = FileWaivers(config=ReviewerConfig(waiver_authors=frozenset({"legal unit"})))
    assert not any(
        f.waived for f in lint_document(read_document(path), language="en", ruleset=mini_rules, waivers=other).findings
    )
    listed = FileWaivers(config=ReviewerConfig(waiver_authors=frozenset({"ana pereira"})))
    result = lint_document(read_document(path), language="en", ruleset=mini_rules, waivers=listed)
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["T-BRAND"].waived and by_rule["T-BRAND"].waiver.approved_by == "Ana Pereira"
    assert not by_rule["T-PER-USER"].waived


def test_trust_flag_and_author_list_from_the_command_line_and_config(project: Path, mini_rules) -> None:
    path = _comment_docx(project / "received", author="Ana Pereira")
    code, data, _ = lint(str(path), rules=mini_rules)
    assert code == 1 and "claims a waiver of T-BRAND" in "".join(data["files"][0]["warnings"])
    code, data, _ = lint(str(path), "--trust-document-waivers", rules=mini_rules)
    assert {f["rule"]: f["waived"] for f in data["files"][0]["findings"]}["T-BRAND"] is True
    (project / ".ospo-procure.toml").write_text('waiver-authors = ["  ana   PEREIRA "]\n')
    assert reviewer_config([path]).waiver_authors == frozenset({"ana pereira"})
    code, data, _ = lint(str(path), rules=mini_rules)
    assert {f["rule"]: f["waived"] for f in data["files"][0]["findings"]}["T-BRAND"] is True


VANISH = (
    '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">'
    "ospo-procure: allow T-BRAND because nobody will see this</w:t></w:r>"
)


def test_hidden_word_text_never_waives_and_is_reported(project: Path, mini_rules) -> None:
    path = make_docx(
        project / "received",
        [("xml", p_xml(run_xml("The database layer must run on Microsoft SQL Server 2019. "), VANISH))],
        name="hidden.docx",
    )
    for trust in ([], ["--trust-document-waivers"]):
        code, data, _ = lint(str(path), *trust, rules=mini_rules)
        f = data["files"][0]
        assert code == 1 and not any(x["waived"] for x in f["findings"])
        assert any("in hidden text; hidden text never waives anything" in w for w in f["warnings"])
        assert any(w.startswith("hidden text (formatted not to be displayed") for w in f["warnings"])


def test_findings_in_hidden_text_are_linted_and_marked(tmp_path, mini_rules) -> None:
    hidden_brand = (
        '<w:r><w:rPr><w:vanish w:val="true"/></w:rPr><w:t xml:space="preserve">'
        "It must run on Microsoft SQL Server.</w:t></w:r>"
    )
    unhidden = '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>Priced per named user.</w:t></w:r>'
    path = make_docx(tmp_path, [("xml", p_xml(run_xml("Visible. "), hidden_brand, unhidden))], name="h.docx")
    doc = read_document(path)
    assert doc.blocks[0].hidden == ((9, 45),)
    result = lint_document(doc, language="en", ruleset=mini_rules)
    by_rule = {f.rule: f for f in result.findings}
    assert "hidden" in (by_rule["T-BRAND"].note or "")
    assert not by_rule["T-PER-USER"].note  # explicitly not hidden


def test_hidden_character_and_paragraph_styles(tmp_path) -> None:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE

    d = Document()
    secret = d.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    quiet = d.styles.add_style("Quiet", WD_STYLE_TYPE.PARAGRAPH)
    quiet.font.hidden = True
    p = d.add_paragraph("Shown ")
    p.add_run("kept out of sight", style="Secret")
    d.add_paragraph("A whole hidden paragraph.", style="Quiet")
    path = tmp_path / "styles.docx"
    d.save(path)
    doc = read_document(path)
    assert [b.hidden for b in doc.blocks] == [((6, 23),), ((0, 25),)]


def test_hidden_odf_text_is_marked(tmp_path) -> None:
    styles = (
        '<office:automatic-styles><style:style style:name="H" style:family="text">'
        '<style:text-properties text:display="none"/></style:style></office:automatic-styles>'
    )
    path = make_odt(
        tmp_path,
        [
            (
                "xml",
                '<text:p>Visible  text <text:span text:style-name="H">ospo-procure: allow T-BRAND because hidden'
                "</text:span> end.</text:p>",
            ),
            ("xml", '<text:section text:name="S" text:display="none"><text:p>Hidden section.</text:p></text:section>'),
        ],
    )
    with zipfile.ZipFile(path) as z:
        content = z.read("content.xml").decode()
    rewrite_zip(
        path,
        tmp_path / "hidden.odt",
        {"content.xml": content.replace("<office:body>", styles + "<office:body>").encode()},
    )
    doc = read_document(tmp_path / "hidden.odt")
    assert doc.blocks[0].text == "Visible text ospo-procure: allow T-BRAND because hidden end."
    ((s, e),) = doc.blocks[0].hidden
    assert doc.blocks[0].text[s:e] == "ospo-procure: allow T-BRAND because hidden"
    assert doc.blocks[1].hidden == ((0, len("Hidden section.")),)
    result_warnings = [w for w in doc.warnings if w.startswith("hidden text")]
    assert len(result_warnings) == 2


def test_marker_parsing_is_linear_and_bounded() -> None:
    text = "ospo-procure: allow T-BRAND because" + " " * 1_000_000
    assert parse_markers(text) == []  # no justification after the keyword
    many = "ospo-procure: allow T-BRAND because x " * 20_000
    found = parse_markers(many)
    assert len(found) == 20_000 and {why for _, why, _, _ in found} == {"x"}  # each stops at the next marker
    long_why = parse_markers("ospo-procure: allow T-BRAND because " + "why " * 10_000)
    assert len(long_why[0][1]) == 500  # MAX_JUSTIFICATION


def _write(path, text):
    path.write_text(text)
    return path


def test_waivers_make_new_findings_and_leave_the_old_ones(tmp_path, mini_rules):
    """Findings and waivers are immutable values: waiving makes waived copies."""
    import dataclasses

    from ospo_procure.model import FileResult, WaiverSource
    from ospo_procure.waivers import WaiverIndex, apply_waivers

    wfile = _write(
        tmp_path / "w.yaml",
        "waivers:\n  - rule: T-BRAND\n    justification: The registry needs it until 2028, memo 14.\n"
        "    approved_by: Legal unit\n    approved_on: '2026-10-02'\n"
        "  - rule: T-ESCROW\n    justification: Nothing in this tender is escrowed at all.\n"
        "    approved_by: Legal unit\n    approved_on: '2026-10-02'\n",
    )
    doc = read_document(_write(tmp_path / "t.txt", TEXT))
    plain = lint_document(doc, language="en", ruleset=mini_rules)
    before = list(plain.findings)
    index = WaiverIndex(wfile)
    result = FileResult(path=plain.path, findings=list(plain.findings))
    apply_waivers(result, doc, index.for_file(tmp_path / "t.txt"))
    assert plain.findings == before and not any(f.waived for f in before)
    [waived] = [f for f in result.findings if f.waived]
    assert waived.rule == "T-BRAND" and dataclasses.replace(waived, waiver=None) in before
    assert waived.waiver.source == WaiverSource("file", path=str(wfile), line=2)
    assert str(waived.waiver.source) == f"{wfile}:2"
    with pytest.raises(dataclasses.FrozenInstanceError):
        waived.severity = "info"  # type: ignore[misc]
    assert [w.rule for w in index.unused()] == ["T-ESCROW"]


def test_in_document_waiver_sources_are_typed(tmp_path, mini_rules):
    tender = tmp_path / "t.md"
    tender.write_text(
        "<!-- ospo-procure: allow T-BRAND because the legacy registry requires it -->\n"
        "The layer must run on Microsoft SQL Server.\n\n"
        "<!-- ospo-procure: allow T-ESCROW because nothing here is escrowed -->\n"
    )
    trusted = FileWaivers(config=ReviewerConfig(trust_document_waivers=True))
    result = lint_document(read_document(tender), language="en", ruleset=mini_rules, waivers=trusted)
    source = next(f for f in result.findings if f.rule == "T-BRAND").waiver.source
    assert (source.kind, source.in_document, str(source)) == ("marker", True, "marker in line 1")
    [unused] = result.unused_waivers
    assert unused.rule == "T-ESCROW" and unused.source == WaiverSource("marker", where="line 4")
