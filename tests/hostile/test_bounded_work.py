"""No input can hang the linter or blow up a report (issue 14, items 1, 3 and 7).

Limits these cases prove (docs/limits.md):
- a received tender cannot waive its own findings: its own waiver file and its hidden-text
  markers are ignored, and it still exits 1;
- in-document waiver markers are parsed in linear time; the 37 KB .docx whose comment is a
  marker followed by a million spaces (quadratic under the old regex) finishes within
  --max-seconds;
- comments go through max_block_chars like every paragraph;
- a report carries a bounded context window per finding: its bytes per finding do not grow
  with the paragraph (they grew by the whole paragraph), and the JSON report of a 199 KB
  one-paragraph text file is under 2 MB with the bundled rules (docs/limits.md gives the
  figures with the bundled rules, whose scorecard references dominate);
- --annotate works on the four kinds of .docx that lint reads fine, and when it cannot work
  the lint report is still complete; max_seconds bounds it.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest
from builders import make_docx, p_xml, run_xml
from click.testing import CliRunner
from hostile_files import docx_annotate_cases, docx_with_comment_xml
from hostile_support import run_measured

from ospo_procure.cli import main
from ospo_procure.errors import LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.readers import read_document
from ospo_procure.service import LintOptions, run_lint

BRAND = "The database layer must run on Microsoft SQL Server 2019."


# ------------------------------------------------------------------ a tender cannot waive itself

SELF_WAIVERS = "waivers:\n" + "".join(
    f"  - rule: {rule}\n    pattern: '.*'\n    justification: Waived by the party that wrote the tender.\n"
    "    approved_by: Vendor\n    approved_on: 2026-01-01\n"
    for rule in ("T-BRAND", "T-PER-USER", "T-FORMAT")
)
HIDDEN_MARKER = (
    '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">'
    "ospo-procure: allow T-BRAND because the vendor says so</w:t></w:r>"
)


def test_received_tender_with_its_own_waivers_still_exits_1(
    tmp_path: Path, rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "received-bundle"
    bundle.mkdir()
    tender = make_docx(bundle, [("xml", p_xml(run_xml(BRAND + " "), HIDDEN_MARKER))], name="tender.docx")
    (bundle / "ospo-waivers.yaml").write_text(SELF_WAIVERS)
    (bundle / ".ospo-procure.toml").write_text('trust-document-waivers = true\nwaivers = "ospo-waivers.yaml"\n')
    for cwd, arg in ((tmp_path, str(tender)), (bundle, "tender.docx")):
        monkeypatch.chdir(cwd)
        for trust in ([], ["--trust-document-waivers"]):
            res = CliRunner().invoke(
                main, ["lint", arg, "--rules", str(rules_dir), "--lang", "en", "--format", "json", *trust]
            )
            assert res.exit_code == 1, res.output
            report = json.loads(res.stdout)
            assert not any(f["waived"] for f in report["files"][0]["findings"])


# ------------------------------------------------------------------ marker plus spaces


@pytest.fixture
def base_docx(tmp_path: Path) -> Path:
    return make_docx(tmp_path, [BRAND, "Priced per named user."], name="base.docx")


def test_marker_plus_a_million_spaces_finishes_within_max_seconds(base_docx: Path, tmp_path: Path) -> None:
    """The probe's 37 KB .docx. The comment is over max_block_chars, so it is refused at once;
    the same marker under the limit is parsed, reported as a claim, and linted."""
    evil = docx_with_comment_xml(
        base_docx, tmp_path / "spaces.docx", "ospo-procure: allow T-BRAND because" + " " * 1_000_000 + "x"
    )
    assert evil.stat().st_size < 60_000
    code = f"""
from click.testing import CliRunner
from ospo_procure.cli import main
res = CliRunner().invoke(main, ["lint", {str(evil)!r}, "--max-seconds", "5", "--format", "json"])
print("EXIT", res.exit_code)
print(res.stdout)
"""
    m = run_measured(code, timeout=120)  # a hang is killed here, not in the suite
    assert "EXIT 2" in m.stdout, m.stdout + m.stderr
    assert "a comment of 1,000,0" in m.stdout and "max_block_chars" in m.stdout
    assert "max_seconds" not in m.stdout  # refused by a size limit, long before the clock

    under = docx_with_comment_xml(
        base_docx, tmp_path / "fewer.docx", "ospo-procure: allow T-BRAND because reasons" + " " * 150_000 + "x"
    )
    m = run_measured(code.replace(str(evil), str(under)), timeout=120)
    assert "EXIT 1" in m.stdout, m.stdout + m.stderr  # linted; the claim is not honoured
    assert "claims a waiver of T-BRAND" in m.stdout


def test_comments_are_held_to_the_block_limit(base_docx: Path, tmp_path: Path) -> None:
    long_comment = docx_with_comment_xml(base_docx, tmp_path / "c.docx", "word " * 50_000)
    with pytest.raises(LimitExceeded, match=r"a comment of 249,999 characters is over the max_block_chars limit"):
        read_document(long_comment)
    read_document(long_comment, Limits(max_block_chars=300_000))  # raised on purpose: read


# ------------------------------------------------------------------ report size


def _one_paragraph(size: int) -> str:
    sentence = (
        "The supplier shall provide a platform that integrates with the existing case systems, keeps an "
        "audit trail of every change, exports the records in open formats on request, trains the staff of "
        "the registry, and the database must be Microsoft SQL Server 2019 for the reporting layer. "
    )
    return (sentence * (size // len(sentence) + 1))[:size].rsplit(" ", 1)[0] + "."


def test_json_report_of_a_199_kb_paragraph_is_under_2_mb(tmp_path: Path) -> None:
    """With the bundled rules (over 2,800 findings and evidence items on this paragraph), the
    paragraph's text is written once and every item points into it."""
    big = tmp_path / "one-paragraph.txt"
    big.write_text(_one_paragraph(199_000), encoding="utf-8")
    small = tmp_path / "short.txt"
    small.write_text(_one_paragraph(3_000), encoding="utf-8")
    sizes = {}
    for path in (big, small):
        out = tmp_path / f"{path.stem}.json"
        result = run_lint([path], LintOptions(fmt="json", output=out, language="en"))
        entry = json.loads(out.read_text(encoding="utf-8"))["files"][0]
        items = entry["findings"] + entry["evidence"]
        assert len(entry["findings"]) == len(result.results[0].findings) > 0
        assert list(entry["blocks"]) == ["0"] and entry["blocks"]["0"] == path.read_text(encoding="utf-8")
        for f in items:  # each item is placed in the block's text
            assert entry["blocks"][str(f["block"])][f["start"] : f["end"]] == f["match"]
        sizes[path.stem] = (out.stat().st_size - len(entry["blocks"]["0"].encode())) / len(items)
    assert (tmp_path / "one-paragraph.json").stat().st_size < 2 * 1024 * 1024
    # Bytes per item do not grow with the paragraph (in version 1 of the format they did).
    assert sizes["one-paragraph"] < 1.2 * sizes["short"]


def test_every_serialiser_bounds_the_context(tmp_path: Path, rules_dir: Path) -> None:
    big = tmp_path / "p.txt"
    big.write_text(_one_paragraph(60_000), encoding="utf-8")
    for fmt in ("sarif", "html", "junit"):
        out = tmp_path / f"r.{fmt}"
        run_lint([big], LintOptions(rules_dir=rules_dir, fmt=fmt, output=out, language="en"))
        n = len(run_lint([big], LintOptions(rules_dir=rules_dir, fmt="json", language="en")).results[0].findings)
        # Each finding's context is a window: far below one paragraph (60 KB) per finding.
        assert out.stat().st_size < 60_000 + n * 3_000, fmt


# ------------------------------------------------------------------ --annotate


@pytest.mark.parametrize("case", ["dot-dot", "dtd-settings", "ole-object", "renamed-docm"])
def test_annotate_works_on_docx_that_lint_reads(base_docx: Path, tmp_path: Path, rules_dir: Path, case: str) -> None:
    src = docx_annotate_cases(base_docx, tmp_path)[case]
    dest = tmp_path / "annotated.docx"
    res = CliRunner().invoke(
        main,
        ["lint", str(src), "--rules", str(rules_dir), "--lang", "en", "--format", "json", "--annotate", str(dest)],
    )
    assert res.exit_code == 1, res.output  # findings; no internal error
    assert json.loads(res.stdout)["files"][0]["findings"]
    assert "annotated copy written to" in res.stderr
    import docx

    comments = [c.text for c in docx.Document(str(dest)).comments]
    assert any("T-BRAND" in c for c in comments)
    with zipfile.ZipFile(dest) as z:
        names = z.namelist()
    assert not any(n.startswith("../") for n in names) and "word/vbaProject.bin" not in names


def test_max_seconds_bounds_the_annotation(base_docx: Path, tmp_path: Path, rules_dir: Path) -> None:
    from ospo_procure.lint import lint_document
    from ospo_procure.report.annotate import annotate_to_file

    result = lint_document(read_document(base_docx), language="en", ruleset=None)
    dest = tmp_path / "annotated.docx"
    line, status = annotate_to_file(base_docx, result, dest, limits=Limits(max_seconds=0))
    assert status == 2 and line.startswith("annotated copy not written:") and "max_seconds" in line
    assert not dest.exists()


def test_annotate_failure_from_python_docx_is_one_line(base_docx: Path, tmp_path: Path, rules_dir: Path) -> None:
    from builders import rewrite_zip

    # A package python-docx cannot use (no main-document relationship) that lint still reads.
    broken = rewrite_zip(base_docx, tmp_path / "norels.docx", {"_rels/.rels": None})
    dest = tmp_path / "a.docx"
    res = CliRunner().invoke(
        main, ["lint", str(broken), "--rules", str(rules_dir), "--lang", "en", "--annotate", str(dest)]
    )
    assert res.exit_code == 2 and "T-BRAND" in res.stdout, res.output
    assert [ln for ln in res.stderr.splitlines() if ln.startswith("annotated copy not written:")]
    assert "Traceback" not in res.output and not dest.exists()


def test_many_findings_in_one_paragraph_are_each_anchored(tmp_path: Path) -> None:
    """The linear splitter: 300 findings in one paragraph of many runs, overlapping ones too."""
    import docx

    from ospo_procure.model import FileResult, Finding, Location
    from ospo_procure.report.annotate import annotate_docx

    d = docx.Document()
    p = d.add_paragraph()
    words = [f"Brand{i:03d}" for i in range(300)]
    for i, w in enumerate(words):
        p.add_run(w[:3])
        p.add_run(w[3:] + (" " if i % 2 else ", "))
    src = tmp_path / "many.docx"
    d.save(str(src))
    text = read_document(src).blocks[0].text
    findings = []
    for w in words:
        start = text.index(w)
        findings.append(
            Finding("R", "brand", "error", "m", w, start, start + len(w), text, Location(paragraph=1), block_index=0)
        )
    s = text.index(words[10])
    e = text.index(words[12]) + len(words[12])
    findings.append(Finding("R2", "brand", "error", "m", text[s:e], s, e, text, Location(paragraph=1)))
    dest = tmp_path / "many.out.docx"
    stats = annotate_docx(src, FileResult(path=str(src), findings=findings), dest)
    assert stats.anchored == 301 and stats.fallback == 0
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_annotate import anchored_texts

    anchored = sorted(anchored_texts(dest).values())
    assert anchored == sorted([*words, text[s:e]])
    assert read_document(dest).blocks[0].text == text  # the text itself is unchanged
