from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import HOSTILE, build_results, run_of

from ospo_procure.model import LintRun
from ospo_procure.report import ReportOptions
from ospo_procure.report import html as html_report


def render(results: LintRun, **kw) -> bytes:
    kw.setdefault("lang", "en")  # the assertions read English words (other languages: test_report_language.py)
    return html_report.render(results, ReportOptions(**kw))


class Collector(HTMLParser):
    """Tags, ids, hrefs, marks and text of a page, plus a check that tags nest properly."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self.mark_text: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"] or "")
        if tag == "mark":
            self.marks.append(a)
            self.mark_text.append("")
            self._in_mark += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-3:]}"
        self.stack.pop()
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_mark:
            self.mark_text[-1] += data


@pytest.fixture()
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintRun:
    monkeypatch.chdir(tmp_path)
    return build_results(tmp_path)


def parse(page: bytes) -> Collector:
    c = Collector()
    c.feed(page.decode("utf-8"))
    c.close()
    assert c.stack == []
    return c


def test_self_contained_and_safe(results: LintRun) -> None:
    page = render(results, tool_version="0.1.0")
    text = page.decode("utf-8")
    c = parse(page)
    assert '<meta charset="utf-8">' in text
    csp = [a["content"] for t, a in c.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "style-src 'unsafe-inline'" in csp[0]
    assert not any(t in ("script", "link", "img", "iframe", "object") for t, _ in c.tags)
    assert "<script" not in text and "http://" not in text and "https://" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    # The hostile sentence survives as text, quotes and ampersand included.
    assert HOSTILE in "".join(c.text)
    assert "ñandú, açúcar, não, ímpetu" in text  # UTF-8, not entities


def test_every_link_has_a_target_and_marks_link_to_findings(results: LintRun) -> None:
    c = parse(render(results))
    ids = c.ids
    assert len(ids) == len(set(ids)), "duplicate ids"
    hrefs = [a["href"] for t, a in c.tags if t == "a" and a.get("href")]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert all(h[1:] in ids for h in hrefs)
    n_findings = sum(len(r.findings) for r in results.files)
    n_evidence = sum(len(r.evidence) for r in results.files)
    for n in range(1, n_findings + 1):
        assert f"f-{n}" in ids and f"m-f-{n}" in ids  # table row and back-link target
    assert f"e-{n_evidence}" in ids
    assert all(m.get("title") for m in c.marks)


def test_spans_highlighted_with_overlaps_split(results: LintRun) -> None:
    c = parse(render(results))
    pairs = list(zip(c.mark_text, c.marks, strict=True))
    # "licencias de " only in the per-user warning; "Microsoft Office 365" in both.
    office = [m for t, m in pairs if t == "Microsoft Office 365"]
    assert office and "sev-error" in office[0]["class"] and "overlap" in office[0]["class"]
    assert "es-per-user" in office[0]["title"] and "es-brand" in office[0]["title"]
    assert any(t == "licencias de " and "sev-warning" in m["class"] for t, m in pairs)
    assert any(t == " por usuario" and "sev-warning" in m["class"] for t, m in pairs)
    assert any(t == "<script>alert(1)</script>" and "sev-info" in m["class"] for t, m in pairs)
    assert any(t == "software libre" and m["class"] == "evidence" for t, m in pairs)
    waived = [m for t, m in pairs if t == "SAP"]
    assert waived and "waived" in waived[0]["class"] and "waived: SAP" in waived[0]["title"]
    assert any(t == "Certificação Oracle" for t, _ in pairs)  # table-cell block of the docx


def test_scorecard_error_and_waiver_details(results: LintRun) -> None:
    page = render(results)
    text = page.decode("utf-8")
    c = parse(page)
    bars = [a for t, a in c.tags if t == "span" and (a.get("class") or "").startswith("fill")]
    assert len(bars) == 18  # nine criteria for each of the two readable files
    assert "fill s0" in {b["class"] for b in bars} and "fill s5" in {b["class"] for b in bars}
    assert "Overall: 2.3/5" in text
    assert "Could not read this file:" in text and "not a valid PDF" in text
    assert "SAP es el sistema del que se migra" in text and "Ana Núñez" in text
    assert "Unused waivers" in text and "es-sole-source (a marker line in body ¶5)" in text
    assert "Waiver files: unused waivers" in text and "es-brand (waivers.yaml:9)</strong>: obsoleto desde" in text
    assert "role: required (“suministrará”)" in text
    rows = [a for t, a in c.tags if t == "tr" and a.get("class") == "waived"]
    assert len(rows) == 2
    # Headings are rendered as headings, located blocks carry their label.
    assert re.search(r"<h4 class=\"blk\"><span class=\"loc\">¶1</span>Termo de Referência</h4>", text)
    assert "table 1 r2c3" in text and "footnote 1 ¶1" in text


def test_without_document_shows_findings_with_context(results: LintRun) -> None:
    fr = replace(results.files[0], blocks=[])
    text = render(run_of(fr)).decode("utf-8")
    parse(text.encode())
    assert "not included in this report" in text
    assert "<mark" not in text
    assert "<strong>Oracle Database</strong>" in text
    assert "&lt;script&gt;" in text


def test_offsets_that_do_not_match_are_not_highlighted(results: LintRun) -> None:
    fr = results.files[1]
    bad = replace(fr.findings[1], start=0, end=5)  # "Certi" != match
    fr = replace(fr, findings=[bad])
    c = parse(render(run_of(fr)))
    assert "Certificação Oracle" not in c.mark_text
    assert any(a.get("href") == "#f-1" for t, a in c.tags if t == "a")


def test_scorecard_links_survive_copied_findings(results: LintRun) -> None:
    fr = results.files[1]
    card = fr.scorecard
    copied = {n: replace(c, findings=tuple(replace(f) for f in c.findings)) for n, c in card.criteria.items()}
    # No document text: the only links to findings are the scorecard's.
    fr = replace(fr, scorecard=replace(card, criteria=copied), blocks=[])
    c = parse(render(run_of(fr)))
    hrefs = {a["href"] for t, a in c.tags if t == "a" and a.get("href")}
    assert {"#f-1", "#f-2", "#f-3"} <= hrefs


def test_numbers_of_spans_ending_together_stay_apart(results: LintRun) -> None:
    """Two findings on the same words end at the same place: their numbers read "1,2", not "12"."""
    fr = results.files[0]
    office = [f for f in fr.findings if f.match == "Microsoft Office 365"]
    twin = office[0].evolve(rule="es-brand-twin")
    text = render(run_of(replace(fr, findings=[*fr.findings, twin]))).decode("utf-8")
    assert re.search(
        r'<sup class="ref"><a id="m-f-1" href="#f-1">1</a>,<a id="m-f-\d+" href="#f-\d+">\d+</a></sup>', text
    )
