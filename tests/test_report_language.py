"""Reports on Spanish, Portuguese and French tenders are wholly in the tender's language, and
their scorecards add up in every format.

Real tenders of the evaluation corpus (and the bundled Spanish example) are linted through
the library and rendered in every format, plus the annotated Word copy's comments. A word of
a small English stop list in what the reader sees is a string that escaped the catalogue
(tender text quoted in the report, product names and rule ids aside).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from pypdf import PdfReader

from ospo_procure.lint import lint_paths
from ospo_procure.model import LintRun
from ospo_procure.paths import data_dir
from ospo_procure.report import FORMATS, ReportOptions, render, rule_infos
from ospo_procure.rules import load_ruleset
from ospo_procure.rules.lexicons import load_formats, load_products
from ospo_procure.rules.names import load_names
from ospo_procure.service import LintOptions, run_lint

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "benchmarks" / "corpus" / "real" / "docs"
TENDERS = {
    "es": [data_dir("examples") / "tenders" / "pliego_gestion_documental.md", REAL / "es-cl-segpres-licencias.txt"],
    "pt": [REAL / "pt-br-detran-df-etp-licencas-microsoft.txt", REAL / "pt-br-anac-nota-tecnica-suporte-oracle.txt"],
    "fr": [REAL / "fr-be-etnic-csc-licences-microsoft.txt", REAL / "fr-ma-onda-dao-licences-oracle.txt"],
}
# Words that are English and no word of Spanish, Portuguese or French ("note", "page",
# "score", "suggestion", "total", "base", "or", "on" are words there too).
ENGLISH = frozenset(
    [
        "the",
        "and",
        "with",
        "which",
        "must",
        "should",
        "shall",
        "this",
        "that",
        "from",
        "have",
        "has",
        "been",
        "unless",
        "without",
        "where",
        "of",
        "to",
        "by",
        "is",
        "are",
        "not",
        "fix",
        "basis",
        "waived",
        "approved",
        "overall",
        "findings",
        "finding",
        "evidence",
        "criterion",
        "criteria",
        "scored",
        "capped",
        "rounded",
        "within",
        "passage",
        "passages",
        "rules",
        "bundled",
        "line",
        "file",
        "files",
        "could",
        "read",
        "unused",
        "required",
        "role",
        "warning",
        "warnings",
        "errors",
        "item",
        "items",
    ]
)
# Human-readable fields of the JSON and SARIF reports (the others are identifiers).
READABLE_KEYS = {"message", "suggestion", "legal_basis", "reasons", "note", "title", "role_reason", "text"}
READABLE_KEYS |= {"markdown", "justification", "help", "name_of_language", "description"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")
        self.parts += [v or "" for k, v in attrs if k in ("title", "alt", "aria-label")]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _strings(value: object, readable: bool = False) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, readable or k in READABLE_KEYS)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, readable)]
    return [value] if readable and isinstance(value, str) else []


def reader_text(fmt: str, data: bytes) -> str:
    """What a reader sees in a report: the words, not the format's own keys and tags."""
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(data))
        meta = reader.metadata or {}
        return "\n".join([*(p.extract_text() for p in reader.pages), str(meta.get("/Title", ""))])
    if fmt == "html":
        parser = _Visible()
        parser.feed(data.decode("utf-8"))
        return "\n".join(parser.parts)
    if fmt in ("json", "sarif"):
        return "\n".join(_strings(json.loads(data)))
    if fmt == "junit":
        root = ET.fromstring(data)
        parts = [t for el in root.iter() for t in (el.text, el.tail, el.get("message"))]
        parts += [el.get("name") for el in root.iter("testcase")]
        return "\n".join(p for p in parts if p)
    return data.decode("utf-8")


def comments_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/comments.xml"))
    return "\n".join(t.text or "" for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


@pytest.fixture(scope="module")
def names() -> list[str]:
    """Product, vendor and format names as the lexicons write them (proper names, longest first),
    but for those lexicons/names.yaml words per language."""
    rs = load_ruleset()
    folder = rs.directory / "lexicons"
    out: set[str] = set()
    for p in load_products(folder / "products.yaml").entries:
        out |= {p.name, p.vendor, p.full_name, *(n for n in (*p.alternatives, *p.standards) if isinstance(n, str))}
    for f in load_formats(folder / "formats.yaml").entries:
        out |= {*f.names, *(n for n in f.open_alternatives if isinstance(n, str))}
    worded = set(load_names(folder / "names.yaml"))  # those must appear in the report's language
    return sorted((n for n in out if n and n not in worded), key=len, reverse=True)


def english_words(text: str, tender: str, names: list[str]) -> dict[str, str]:
    """Stop-list words in `text` that the tender does not itself contain (quoted tender text),
    each with the words around its first occurrence."""
    text = re.sub(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b", " ", text)  # rule ids
    text = re.sub(r"\S*/\S*", " ", text)  # file paths (the rule's YAML file, the tender's)
    for name in names:
        if name in text:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    allowed = set(re.findall(r"\w+", tender.casefold()))
    found = {}
    for m in re.finditer(r"[^\W\d_]+", text):
        word = m[0].casefold()
        if word in ENGLISH and word not in allowed:
            found.setdefault(word, text[max(0, m.start() - 60) : m.end() + 60])
    return found


@pytest.fixture(scope="module")
def linted() -> dict[str, LintRun]:
    rs = load_ruleset()
    return {lang: LintRun(lint_paths(paths, ruleset=rs), []) for lang, paths in TENDERS.items()}


def _tender_text(lang: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in TENDERS[lang])


@pytest.mark.parametrize("lang", TENDERS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_speak_the_tenders_language(lang: str, fmt: str, linted, names) -> None:
    run = linted[lang]
    assert all(fr.language == lang and fr.findings for fr in run.files), [fr.path for fr in run.files]
    options = ReportOptions(rules=rule_infos(load_ruleset(), lang), tool_version="0.1.0", verbose=True)
    text = reader_text(fmt, render(fmt, run, options))
    assert len(text) > 500, text
    found = english_words(text, _tender_text(lang), names)
    assert not found, f"{fmt}/{lang}: English words {found}"


@pytest.mark.parametrize("lang", TENDERS)
def test_annotated_word_comments_speak_the_tenders_language(lang: str, tmp_path: Path, names) -> None:
    """The real tender text in a .docx (the container made here), annotated with comments."""
    source = TENDERS[lang][-1]
    tender = tmp_path / "tender.docx"
    document = docx.Document()
    for line in source.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(str(tender))
    out = run_lint([tender], LintOptions(fmt="json", annotate=tmp_path / "annotated.docx"))
    assert out.results[0].language == lang and out.results[0].findings
    comments = comments_text(tmp_path / "annotated.docx")
    assert len(comments) > 200
    found = english_words(comments, source.read_text(encoding="utf-8"), names)
    assert not found, f"annotated/{lang}: English words {found}"


def test_report_lang_overrides_the_document_language(linted, names) -> None:
    """--report-lang: a Portuguese tender reported in French (its findings worded again)."""
    out = run_lint(TENDERS["pt"][:1], LintOptions(fmt="text", report_lang="fr", verbose=True))
    assert out.report is not None
    assert "Score de la liste de contrôle" in out.report or "liste de contrôle" in out.report
    assert "correction :" in out.report or "fondement" in out.report
    assert "Pontuação" not in out.report and "fundamento:" not in out.report
    english = run_lint(TENDERS["pt"][:1], LintOptions(fmt="text", report_lang="en", verbose=True)).report
    assert english is not None and "Checklist score for" in english and "basis: " in english


# -- scorecards add up: base + terms = total, in every format


_NUM = r"[+-−]?\d+(?:[.,]\d+)?"
# The words before a score that replaces base + terms: a cap, or a fact's ceiling or floor.
_REASONS = {
    "es": (r"base", r"por", r"total", r"(?:limitad[ao] a|mantenid[ao] en|elevad[ao] a)"),
    "pt": (r"base", r"por", r"total", r"(?:limitad[ao] a|mantid[ao] em|elevad[ao] a)"),
    "fr": (r"base", r"pour", r"total", r"(?:plafonnée? à|maintenue? à|relevée? à)"),
}


def _num(text: str) -> float:
    return float(text.replace("−", "-").replace(",", "."))


def scorecards(text: str, lang: str) -> list[tuple[float, list[float], float | None, float]]:
    """(base, term points, cap, total) of each criterion a report shows, read from its words."""
    base, per, total, cap = _REASONS[lang]
    text = re.sub(r"\s+", " ", text)
    out = []
    pattern = rf"\b{base} ({_NUM})(.*?)\b{total} ({_NUM})"
    for m in re.finditer(pattern, text):
        terms = [_num(t) for t in re.findall(rf"({_NUM}) {per}\b", m[2])]
        capped = re.search(rf"{cap} ({_NUM})", m[2])
        out.append((_num(m[1]), terms, _num(capped[1]) if capped else None, _num(m[3])))
    return out


@pytest.mark.parametrize("lang", TENDERS)
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "sarif"])
def test_every_scorecard_adds_up(lang: str, fmt: str, linted) -> None:
    """Each format shows the base, each term and the total of all nine criteria of each file,
    and the base plus the terms is the total (or the cap or a fact's bound, when one applies)."""
    run = linted[lang]
    text = reader_text(fmt, render(fmt, run, ReportOptions(tool_version="0.1.0")))
    cards = scorecards(text, lang)
    assert len(cards) == 9 * len(run.files), (fmt, len(cards))
    assert any(terms for _, terms, _, _ in cards)  # the tenders' findings moved some scores
    for base, terms, cap, total in cards:
        expected = cap if cap is not None else base + sum(terms)
        assert total == pytest.approx(expected, abs=0.011), (fmt, base, terms, cap, total)


@pytest.mark.parametrize("lang", TENDERS)
def test_the_portfolio_dashboard_speaks_the_tenders_language(lang: str, tmp_path: Path, names) -> None:
    """The OSPO's page of a portfolio of tenders in one language: its KPIs and the worst
    tenders' findings (severities, places) in that language, as HTML and as PDF."""
    from ospo_procure.portfolio.dashboard import render_dashboard
    from ospo_procure.portfolio.scan import ScanOptions, scan

    store = tmp_path / "store.sqlite"
    scan(TENDERS[lang], ScanOptions(store=store))
    for suffix in ("html", "pdf"):
        out = render_dashboard(store, tmp_path / f"kpis.{suffix}")
        text = reader_text(suffix, out.read_bytes())
        assert len(text) > 500
        found = english_words(text, _tender_text(lang), names)
        assert not found, f"dashboard {suffix}/{lang}: English words {found}"


def test_lexicon_names_with_ordinary_words_are_worded_in_the_tenders_language() -> None:
    """lexicons/names.yaml: 'GeoPackage or GML ... for georeferenced plans' in a Spanish message."""
    from ospo_procure.lint import lint_text

    result = lint_text("Los planos catastrales se entregarán en formato .dwg.", language="es")
    (fmt,) = [f for f in result.findings if f.rule == "FMT-PROPRIETARY"]
    assert "para planos georreferenciados" in fmt.message and "georeferenced" not in fmt.message
    english = lint_text("The cadastral plans shall be delivered in .dwg format.", language="en")
    assert any("for georeferenced plans" in f.message for f in english.findings)


def test_every_worded_name_is_one_a_lexicon_uses() -> None:
    """A key of names.yaml that no lexicon writes (a renamed alternative) would do nothing."""
    import yaml

    folder = data_dir("lint_rules") / "lexicons"
    names = yaml.safe_load((folder / "names.yaml").read_text("utf-8"))["names"]
    used: set[object] = set()  # the lexicons as written (load_products alone leaves the names in English)
    for product in load_products(folder / "products.yaml").entries:
        used |= {*product.alternatives, *product.standards}
    for fmt in load_formats(folder / "formats.yaml").entries:
        used |= set(fmt.open_alternatives)
    assert set(names) <= used, sorted(set(names) - used)


# -- file warnings and read errors: said where they arise, worded in the report's language

_ES_TENDER = (
    "Pliego de prescripciones técnicas para la gestión documental del ministerio.",
    "La base de datos deberá funcionar sobre Microsoft SQL Server 2019 durante toda la vigencia del contrato.",
    "El adjudicatario entregará la documentación técnica completa en formato abierto.",
)


def _warned_files(tmp_path: Path) -> list[Path]:
    """Tenders that each give the reader a file warning or a read error: a Spanish .docx that
    claims an in-document waiver (an untrusted comment), a Spanish PDF with a page without a
    text layer, an image-only PDF, a damaged PDF and a file that is no PDF at all."""
    from tests.builders import make_pdf, pdf_bytes_corrupt

    document = docx.Document()
    first = document.add_paragraph(_ES_TENDER[0])
    for line in _ES_TENDER[1:]:
        document.add_paragraph(line)
    document.add_comment(
        first.runs, text="ospo-procure: allow BRAND-PRODUCT because el sistema actual lo exige", author="Ana Pereira"
    )
    claimed = tmp_path / "pliego.docx"
    document.save(str(claimed))
    partly_scanned = make_pdf(tmp_path, ["\n\n".join(_ES_TENDER), None], name="pliego-escaneado.pdf")
    scanned = make_pdf(tmp_path, [None, None], name="solo-imagen.pdf")
    corrupt = tmp_path / "danado.pdf"
    corrupt.write_bytes(pdf_bytes_corrupt())
    not_pdf = tmp_path / "no-es-pdf.pdf"
    not_pdf.write_text("esto no es un PDF\n", encoding="utf-8")
    return [claimed, partly_scanned, scanned, corrupt, not_pdf]


@pytest.fixture(scope="module")
def warned_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _warned_files(tmp_path_factory.mktemp("warned"))


_WARNED_RUNS: dict[str | None, LintRun] = {}


def _warned_run(files: list[Path], lang: str | None) -> LintRun:
    """The files linted with `lang` as the report language (--report-lang), once per language."""
    if lang not in _WARNED_RUNS:
        _WARNED_RUNS[lang] = LintRun(lint_paths(files, ruleset=load_ruleset(), report_language=lang), [])
    return _WARNED_RUNS[lang]


@pytest.fixture(scope="module")
def warned(warned_files: list[Path]) -> LintRun:
    return _warned_run(warned_files, None)


def test_warnings_and_read_errors_are_english_until_a_report_words_them(warned) -> None:
    """Logs, tests and the CLI's status lines read the English text, unchanged."""
    claimed, partly, scanned, corrupt, not_pdf = warned.files
    assert any(
        "claims a waiver of BRAND-PRODUCT" in w and "Word comment by 'Ana Pereira'" in w for w in claimed.warnings
    )
    assert "page 2 has no text layer (scanned image?): run OCR to lint it" in partly.warnings
    assert any("no page has a text layer" in w for w in scanned.warnings)
    assert corrupt.error and corrupt.error.startswith("corrupt PDF")
    assert not_pdf.error and "not a valid PDF" in not_pdf.error


def test_warnings_and_read_errors_survive_pickling(warned) -> None:
    """Portfolio workers send results between processes: a warning is still worded there."""
    import pickle

    from ospo_procure.report.words import words

    again = pickle.loads(pickle.dumps(warned))
    for before, after in zip(warned.files, again.files, strict=True):
        assert after.warnings == before.warnings and after.error == before.error
        spanish = [words("es").text(w) for w in [*after.warnings, after.error] if w]
        assert spanish == [words("es").text(w) for w in [*before.warnings, before.error] if w]
    assert "la página 2 no tiene capa de texto" in words("es").text(again.files[1].warnings[0])


_WORDED = {
    "es": ("excepción para BRAND-PRODUCT", "la página 2 no tiene capa de texto", "PDF dañado", "no es un PDF válido"),
    "pt": ("exceção para BRAND-PRODUCT", "a página 2 não tem camada de texto", "PDF corrompido", "não é um PDF válido"),
    "fr": ("exception pour BRAND-PRODUCT", "la page 2 n’a pas de couche texte", "PDF endommagé", "PDF non valide"),
}


@pytest.mark.parametrize("lang", _WORDED)
@pytest.mark.parametrize("fmt", FORMATS)
def test_warnings_and_read_errors_speak_the_report_language(lang: str, fmt: str, warned_files, names) -> None:
    """--report-lang: each file's warnings (claimed waivers, pages without text, scanned PDFs)
    and read errors (damaged file, not a PDF) in the report's language, in every format."""
    warned = _warned_run(warned_files, lang)
    options = ReportOptions(rules=rule_infos(load_ruleset(), lang), tool_version="0.1.0", verbose=True, lang=lang)
    text = reader_text(fmt, render(fmt, warned, options))
    flat = " ".join(text.split())
    if fmt in ("json", "sarif"):  # the readable fields only: also the files' warnings and errors
        data = json.loads(render(fmt, warned, options))
        flat = " ".join(" ".join(_all_strings(data)).split())
    for expected in _WORDED[lang]:
        assert expected in flat, (fmt, lang, expected)
    quoted = "\n".join(_ES_TENDER) + " Ana Pereira el sistema actual lo exige"
    found = english_words(text, quoted + (" passage" if lang == "fr" else ""), names)  # a French word too
    assert not found, f"{fmt}/{lang}: English words {found}"


def _all_strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _all_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _all_strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_portfolio_dashboard_words_read_errors_in_its_language(tmp_path: Path, names) -> None:
    """A damaged PDF and a file that is no PDF among Spanish tenders: the dashboard's list of
    unread files says why in Spanish (the error is stored as its message and values)."""
    from ospo_procure.portfolio.dashboard import render_dashboard
    from ospo_procure.portfolio.scan import ScanOptions, scan
    from tests.builders import pdf_bytes_corrupt

    corrupt = tmp_path / "danado.pdf"
    corrupt.write_bytes(pdf_bytes_corrupt())
    not_pdf = tmp_path / "no-es-pdf.pdf"
    not_pdf.write_text("esto no es un PDF\n", encoding="utf-8")
    store = tmp_path / "store.sqlite"
    scan([*TENDERS["es"], corrupt, not_pdf], ScanOptions(store=store))
    for suffix in ("html", "pdf"):
        out = render_dashboard(store, tmp_path / f"kpis.{suffix}")
        flat = " ".join(reader_text(suffix, out.read_bytes()).split())
        assert "PDF dañado: no se puede abrir (su estructura está dañada)" in flat, suffix
        assert "no es un PDF válido" in flat, suffix
        found = english_words(flat, _tender_text("es"), names)
        assert not found, f"dashboard {suffix}: English words {found}"
    english = render_dashboard(store, tmp_path / "kpis-en.html", lang="en")
    assert "corrupt PDF: cannot be opened" in reader_text("html", english.read_bytes())


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "por encima del límite max_part_bytes"),
        ("pt", "acima do limite max_part_bytes"),
        ("fr", "au-delà de la limite max_part_bytes"),
    ],
)
def test_safety_limits_speak_the_report_language(lang: str, expected: str, tmp_path: Path) -> None:
    """A refusal by a safety limit (here a .docx part over max_part_bytes) is a Message too:
    English as raised, worded in the report's language by a reporter."""
    from ospo_procure.errors import LimitExceeded
    from ospo_procure.limits import Limits
    from ospo_procure.readers import read_document
    from ospo_procure.report.words import words

    document = docx.Document()
    for line in _ES_TENDER:
        document.add_paragraph(line)
    path = tmp_path / "pliego.docx"
    document.save(str(path))
    with pytest.raises(LimitExceeded) as caught:
        read_document(path, Limits(max_part_bytes=1_000))
    message = caught.value.message
    assert "over the max_part_bytes limit of 1,000" in message
    worded = words(lang).text(message)
    assert expected in worded and "over the" not in worded
