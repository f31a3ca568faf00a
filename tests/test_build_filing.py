"""Built tenders fit to file: real list numbering, language, paper, page X of Y, title page,
table of contents, restrained styles, the agency's own template, and a bounded build.

The .docx checks read the package XML itself (what Word and LibreOffice read); the
LibreOffice round trip is in test_build_libreoffice.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from ospo_procure.cli_tender import build_cmd
from ospo_procure.errors import DataError, LimitExceeded
from ospo_procure.paths import data_dir
from ospo_procure.tender import build_tender
from ospo_procure.tender.assemble import STAGING_PREFIX
from ospo_procure.tender.content import clause_paragraphs, marker_problems, number_paragraphs

EXAMPLES = data_dir("examples") / "specs"
TEMPLATES = data_dir("templates")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LOCALES = {
    "en-grants-platform": "en-JM",
    "es-gestion-documental": "es-UY",
    "fr-abonnement-visio": "fr-FR",
    "pt-sustentacao-protocolo": "pt-BR",
}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def part(docx_path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx_path) as zf:
        return etree.fromstring(zf.read(name))


def parts(docx_path: Path, prefix: str) -> list[etree._Element]:
    with zipfile.ZipFile(docx_path) as zf:
        return [etree.fromstring(zf.read(n)) for n in zf.namelist() if n.startswith(prefix) and n.endswith(".xml")]


def text(p: etree._Element) -> str:
    return "".join(p.itertext(_w("t")))


def style_ids(docx_path: Path) -> dict[str, str]:
    """style name (lower case) -> style id."""
    root = part(docx_path, "word/styles.xml")
    return {
        s.find("w:name", NS).get(_w("val")).lower(): s.get(_w("styleId"))
        for s in root.iterfind("w:style", NS)
        if s.find("w:name", NS) is not None
    }


def paragraphs(docx_path: Path, style_name: str) -> list[etree._Element]:
    sid = style_ids(docx_path)[style_name.lower()]
    body = part(docx_path, "word/document.xml")
    return [
        p
        for p in body.iter(_w("p"))
        if p.find("w:pPr/w:pStyle", NS) is not None and p.find("w:pPr/w:pStyle", NS).get(_w("val")) == sid
    ]


def letter_spec(tmp: Path) -> Path:
    """The Spanish example as if filed in Mexico, a Letter country."""
    spec = tmp / "es-mx.yaml"
    source = (EXAMPLES / "es-gestion-documental.yaml").read_text(encoding="utf-8")
    spec.write_text(source.replace("country: Uruguay", "country: México"), encoding="utf-8")
    return spec


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object]]:
    """Every example plus a Letter-size variant, built once (docx + PDF, no self-lint)."""
    tmp = tmp_path_factory.mktemp("built")
    out: dict[str, tuple[Path, object]] = {}
    for spec in [*sorted(EXAMPLES.glob("*.yaml")), letter_spec(tmp)]:
        result = build_tender(spec, tmp / spec.stem, pdf=True, lint=False)
        out[spec.stem] = (tmp / spec.stem, result)
    return out


# ------------------------------------------------------------------ numbering


def test_sub_clauses_are_separate_paragraphs_numbered_by_one_list(built: dict) -> None:
    folder, result = built["es-gestion-documental"]
    tor = folder / "terms_of_reference.docx"
    exit_plan = next(c for s in result.docs["tor"].sections for c in s.clauses if c.id == "exit-plan")
    subs = [p for p in exit_plan.paragraphs if p.kind == "clause"]
    assert [p.number for p in subs] == [f"{exit_plan.number}.{n}" for n in (1, 2, 3)]
    shown = [text(p) for p in paragraphs(tor, "Clause Paragraph")]
    for p in subs:  # one paragraph each, without the typed "1." (the list numbers it)
        assert p.text in shown and not re.match(r"\d+\.\s", p.text)
    assert not any(re.search(r"\s2\.\s.*\s3\.\s", t) for t in shown)  # nothing run together
    items = [text(p) for p in paragraphs(tor, "Clause Item")]
    assert any(t.startswith("obtener una solución") for t in items)  # background-objectives (a)

    numbering = part(tor, "word/numbering.xml")
    sids = style_ids(tor)
    levels = {}
    for lvl in numbering.find("w:abstractNum", NS).iterfind("w:lvl", NS):
        ps = lvl.find("w:pStyle", NS)
        if ps is not None:
            levels[ps.get(_w("val"))] = (lvl.get(_w("ilvl")), lvl.find("w:lvlText", NS).get(_w("val")))
    assert levels == {
        sids["heading 1"]: ("0", "%1."),
        sids["heading 2"]: ("1", "%1.%2"),
        sids["clause paragraph"]: ("2", "%1.%2.%3"),
        sids["clause item"]: ("3", "(%4)"),
        sids["clause subitem"]: ("4", "(%5)"),
    }


def test_word_numbering_and_computed_numbers_agree(built: dict) -> None:
    """The TOC entries are labelled by counting the .docx's own list paragraphs the way Word
    does; they must equal the numbers the PDF, the annex and the manifest use."""
    for name, (folder, result) in built.items():
        tor = folder / "terms_of_reference.docx"
        entries = []
        for p in part(tor, "word/document.xml").iter(_w("p")):
            link = p.find("w:hyperlink", NS)
            if link is not None and link.get(_w("anchor"), "").startswith("_Toc"):
                runs = [text(r) for r in link.iterfind("w:r", NS) if r.find("w:t", NS) is not None]
                entries.append(tuple(runs))
        expected = [(number, title) for _level, number, title in result.docs["tor"].headings()]
        assert entries[: len(expected)] == expected, name
        assert entries[len(expected) :] == [(result.docs["tor"].labels["sources"],)]


def test_clause_text_lines_and_markers() -> None:
    paras = clause_paragraphs(
        "1. First obligation:\n(a) one;\n(b) two, with\n(i) a sub-item;\n(ii) another;\n"
        "(c) three.\nA closing sentence.\n2. Second obligation.\n- a bullet\n"
    )
    number_paragraphs(paras, "4.2")
    assert [(p.kind, p.number) for p in paras] == [
        ("clause", "4.2.1"),
        ("item", "(a)"),
        ("item", "(b)"),
        ("subitem", "(i)"),
        ("subitem", "(ii)"),
        ("item", "(c)"),
        ("body", ""),
        ("clause", "4.2.2"),
        ("bullet", ""),
    ]
    assert marker_problems(paras) == []
    # "(i)" after "(h)" is the ninth letter, not a roman numeral
    letters = clause_paragraphs("\n".join(f"({c}) x" for c in "abcdefghij"))
    assert {p.kind for p in letters} == {"item"}
    skipped = clause_paragraphs("1. a\n3. b\n(a) c\n(c) d")
    number_paragraphs(skipped, "1.1")
    assert len(marker_problems(skipped)) == 2


def test_clauses_validate_reports_numbering_that_would_change(tmp_path: Path) -> None:
    from ospo_procure.tender.validation import validate_library

    lib = tmp_path / "lib"
    shutil.copytree(Path(__file__).parent / "data" / "clauses", lib)
    text = '"1. The Contractor reports monthly.\\n3. The Contracting Authority may audit."'
    (lib / "reporting.yaml").write_text(
        "id: reporting\nversion: 1.0.0\nstatus: approved\ncategory: governance\nsection: services\n"
        "document: tor\ncriteria: [9]\nvariables: []\ntitle: {en: Reporting, es: Informes, pt: Relatórios}\n"
        f"text: {{en: {text}, es: {text}, pt: {text}}}\n",
        encoding="utf-8",
    )
    problems = validate_library(lib, lint=False).problems
    assert any("reporting.yaml" in p and "'3.' would be numbered '2'" in p for p in problems), problems


# ------------------------------------------------------------------ language, paper, page numbers


@pytest.mark.parametrize("name", sorted(LOCALES))
def test_language_on_every_run_and_style(built: dict, name: str) -> None:
    folder, _ = built[name]
    locale = LOCALES[name]
    for doc in ("terms_of_reference.docx", "contract_annex.docx", "evaluation_grid.docx"):
        path = folder / doc
        styles = part(path, "word/styles.xml")
        assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(_w("val")) == locale
        for s in styles.iterfind("w:style", NS):
            assert s.find("w:rPr/w:lang", NS).get(_w("val")) == locale, s.get(_w("styleId"))
        runs = [
            r
            for root in [part(path, "word/document.xml"), *parts(path, "word/footer"), *parts(path, "word/header")]
            for r in root.iter(_w("r"))
        ]
        assert runs and all(r.find("w:rPr/w:lang", NS).get(_w("val")) == locale for r in runs)
        settings = part(path, "word/settings.xml")
        assert settings.find("w:themeFontLang", NS).get(_w("val")) == locale
        assert locale in zipfile.ZipFile(path).read("docProps/core.xml").decode()


@pytest.mark.parametrize(
    ("name", "size", "margin", "points"),
    [
        ("es-gestion-documental", (11906, 16838), 1417, (595.28, 841.89)),
        ("es-mx", (12240, 15840), 1440, (612.0, 792.0)),
    ],
)
def test_paper_size_and_margins_by_country(built: dict, name: str, size: tuple, margin: int, points: tuple) -> None:
    import pypdf

    folder, _ = built[name]
    for doc in ("terms_of_reference.docx", "contract_annex.docx", "evaluation_grid.docx"):
        body = part(folder / doc, "word/document.xml")
        sect = body.find("w:body/w:sectPr", NS)
        assert (int(sect.find("w:pgSz", NS).get(_w("w"))), int(sect.find("w:pgSz", NS).get(_w("h")))) == size
        assert {sect.find("w:pgMar", NS).get(_w(side)) for side in ("top", "left", "bottom", "right")} == {str(margin)}
        text_width = size[0] - 2 * margin
        for tbl in body.iter(_w("tbl")):  # tables follow the text width
            widths = sum(int(g.get(_w("w"))) for g in tbl.iterfind("w:tblGrid/w:gridCol", NS))
            assert abs(widths - text_width) <= 5, (doc, widths, text_width)
    pdf = pypdf.PdfReader(str(folder / "terms_of_reference.pdf"))
    assert {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pdf.pages} == {points}


def test_footer_says_page_x_of_y_in_the_language(built: dict) -> None:
    words = {"es-gestion-documental": ("Página", "de"), "fr-abonnement-visio": ("Page", "sur")}
    for name, (page, of) in words.items():
        folder, _ = built[name]
        tor = folder / "terms_of_reference.docx"
        footer = next(f for f in parts(tor, "word/footer") if "PAGE" in "".join(f.itertext(_w("instrText"))))
        instr = [t.strip() for t in footer.itertext(_w("instrText"))]
        assert instr == ["PAGE", "NUMPAGES"]
        shown = "".join(footer.itertext(_w("t")))
        assert f"{page} 1 {of} 1" in shown  # cached values; the word processor fills the real ones
        sect = part(tor, "word/document.xml").find("w:body/w:sectPr", NS)
        assert sect.find("w:titlePg", NS) is not None  # no header or footer on the title page


def test_title_page_names_agency_reference_date_and_version(built: dict) -> None:
    folder, _ = built["es-gestion-documental"]
    body = part(folder / "terms_of_reference.docx", "word/document.xml").find("w:body", NS)
    first = [text(p) for p in body.iterfind("w:p", NS)][:3]
    assert first == [
        "Agencia de Gobierno Electrónico y Sociedad de la Información",
        "Términos de Referencia",
        "Implantación de un sistema de gestión documental y expediente electrónico",
    ]
    meta = body.find("w:tbl", NS)
    rows = {text(tr.findall("w:tc", NS)[0]): text(tr.findall("w:tc", NS)[1]) for tr in meta.iterfind("w:tr", NS)}
    assert rows["Referencia"] == "AGESIC-LP-2026-07"
    assert rows["Versión"] == "1.0" and rows["Fecha"] == "16 de febrero de 2026"
    folder, _ = built["en-grants-platform"]
    body = part(folder / "terms_of_reference.docx", "word/document.xml")
    assert "2 March 2026" in "".join(body.itertext(_w("t")))  # en-JM: day month year


def test_toc_field_links_every_heading_and_word_updates_it(built: dict) -> None:
    folder, result = built["pt-sustentacao-protocolo"]
    tor = folder / "terms_of_reference.docx"
    body = part(tor, "word/document.xml")
    instr = [t.strip() for t in body.itertext(_w("instrText"))]
    assert instr[0] == 'TOC \\o "1-2" \\h \\z \\u'
    anchors = [h.get(_w("anchor")) for h in body.iter(_w("hyperlink"))]
    marks = {b.get(_w("name")): b.getparent() for b in body.iter(_w("bookmarkStart"))}
    assert len(anchors) == len(result.docs["tor"].headings()) + 1
    for anchor in anchors:
        heading = marks[anchor]
        assert heading.find("w:pPr/w:pStyle", NS).get(_w("val")) in {"Heading1", "Heading2", "AnnexHeading"}
    assert part(tor, "word/settings.xml").find("w:updateFields", NS).get(_w("val")) == "true"
    grid = part(folder / "evaluation_grid.docx", "word/document.xml")
    assert not any(t.strip().startswith("TOC") for t in grid.itertext(_w("instrText")))


def test_sources_annex_cross_refers_to_the_clause_headings(built: dict) -> None:
    folder, result = built["en-grants-platform"]
    body = part(folder / "contract_annex.docx", "word/document.xml")
    marks = {b.get(_w("name")): text(b.getparent()) for b in body.iter(_w("bookmarkStart"))}
    refs = [t.split()[1] for t in body.itertext(_w("instrText")) if t.strip().startswith("REF")]
    sources = result.docs["contract"].sources
    assert refs == [r["bookmark"] for r in sources] and refs
    assert [marks[r["bookmark"]] for r in sources] == [r["title"] for r in sources]


def test_styles_are_restrained_and_accessible(built: dict) -> None:
    folder, _ = built["fr-abonnement-visio"]
    tor = folder / "terms_of_reference.docx"
    styles = part(tor, "word/styles.xml")
    by_name = {s.find("w:name", NS).get(_w("val")): s for s in styles.iterfind("w:style", NS)}
    for name, level in (("heading 1", "0"), ("heading 2", "1"), ("Annex Heading", "0")):
        ppr = by_name[name].find("w:pPr", NS)
        assert ppr.find("w:outlineLvl", NS).get(_w("val")) == level
        assert ppr.find("w:keepNext", NS) is not None  # never alone at the foot of a page
    colours = {c.get(_w("val")) for c in styles.iter(_w("color"))}
    assert colours <= {"595959"}  # black text; grey header and footer only
    assert not any(a.endswith("Theme") for e in styles.iter() for a in e.attrib)  # no theme fonts/colours
    body = part(tor, "word/document.xml")
    tables = list(body.iter(_w("tbl")))
    assert len(tables) == 3  # title-page particulars, award criteria, clause sources
    for tbl in tables[1:]:
        first = tbl.find("w:tr", NS)
        assert first.find("w:trPr/w:tblHeader", NS) is not None  # header row repeats on each page
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(_w("type")) == "fixed"


def _header_widths() -> dict[str, list[tuple[str, int]]]:
    """(label key, column width in twips) of every table header of the templates."""
    sys.path.insert(0, str(TEMPLATES))
    try:
        import make_templates as mt
    finally:
        sys.path.pop(0)
    return {
        "award": list(zip(("criterion", "weight", "description"), mt.AWARD_WIDTHS, strict=True)),
        "grid": list(zip(("criterion", "weight", "description", "score", "weighted"), mt.GRID_WIDTHS, strict=True)),
        "sources": list(zip(("section", "clause", "clause_id", "version"), mt.SOURCE_WIDTHS, strict=True)),
    }


def test_column_headers_never_break_inside_a_word() -> None:
    """Every word of every header label fits its column ('Ponderación (%)' may wrap at the
    space, never inside 'Ponderación'), measured with Arial-compatible metrics."""
    from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
    from reportlab.pdfbase.ttfonts import TTFont

    from ospo_procure.tender.labels import LABELS

    candidates = [
        Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ]
    font = next((p for p in candidates if p.is_file()), None)
    if font is None:
        pytest.skip("Liberation Sans (Arial metrics) not installed")
    registerFont(TTFont("ArialMetricsBold", str(font)))
    padding = 2 * 85 / 20  # cell margins, points
    for table, columns in _header_widths().items():
        for lang, labels in LABELS.items():
            for key, width in columns:
                room = width / 20 - padding
                for word in labels[key].split():
                    assert stringWidth(word, "ArialMetricsBold", 9.5) <= room, (table, lang, word, room)


# ------------------------------------------------------------------ spec fields


def test_spec_can_choose_paper_and_locale_and_unknown_countries_warn(tmp_path: Path) -> None:
    source = (Path(__file__).parent / "data" / "specs" / "minimal-en.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(source.replace("country: Uruguay", "country: Atlantis"), encoding="utf-8")
    clauses = Path(__file__).parent / "data" / "clauses"
    result = build_tender(spec, tmp_path / "a", clause_dir=clauses, lint=False)
    assert any("'Atlantis' is not in the country table" in w for w in result.warnings)
    spec.write_text(
        source.replace("country: Uruguay", "country: Atlantis\npaper: Letter\nlocale: en-GB"), encoding="utf-8"
    )
    result = build_tender(spec, tmp_path / "b", clause_dir=clauses, lint=False)
    assert result.warnings == []
    body = part(tmp_path / "b" / "terms_of_reference.docx", "word/document.xml")
    assert body.find("w:body/w:sectPr/w:pgSz", NS).get(_w("w")) == "12240"
    assert body.find(".//w:lang", NS).get(_w("val")) == "en-GB"
    spec.write_text(source.replace("country: Uruguay", "country: Uruguay\nlocale: es-UY"), encoding="utf-8")
    with pytest.raises(DataError, match=r"spec.yaml:\d+: locale: 'es-UY' is not a variant of the spec language 'en'"):
        build_tender(spec, tmp_path / "c", clause_dir=clauses, lint=False)


# ------------------------------------------------------------------ the agency's own template


def _edit_template(folder: Path, name: str, member: str, old: str, new: str) -> None:
    path = folder / name
    with zipfile.ZipFile(path) as zf:
        items = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = items[member].decode()
    assert old in xml, old
    items[member] = xml.replace(old, new).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in items.items():
            zf.writestr(n, data)


@pytest.mark.parametrize(
    ("name", "member", "old", "new", "message"),
    [
        (
            "terms_of_reference.docx",
            "word/styles.xml",
            '<w:name w:val="Clause Item"/>',
            '<w:name w:val="Lettered"/>',
            "lacks the paragraph style 'Clause Item', which numbers items ((a))",
        ),
        (
            "contract_annex.docx",
            "word/styles.xml",
            '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>',
            "",
            "style 'Heading 2' has no list numbering; link it to level 2 of one list",
        ),
        ("evaluation_grid.docx", "word/footer1.xml", "NUMPAGES", "SECTIONPAGES", "no NUMPAGES field"),
        (
            "terms_of_reference.docx",
            "word/document.xml",
            'TOC \\o "1-2"',
            'INDEX \\o "1-2"',
            "no table-of-contents (TOC) field",
        ),
        (
            "contract_annex.docx",
            "word/document.xml",
            "{{ c.title }}",
            "{{ c.id }}",
            "does not show the clause heading",
        ),
    ],
)
def test_template_check_names_what_is_missing(
    tmp_path: Path, name: str, member: str, old: str, new: str, message: str
) -> None:
    folder = Path(shutil.copytree(TEMPLATES, tmp_path / "tpl"))
    _edit_template(folder, name, member, old, new)
    spec = EXAMPLES / "en-grants-platform.yaml"
    res = CliRunner().invoke(
        build_cmd, [str(spec), "-o", str(tmp_path / "out"), "--template", str(folder), "--no-lint"]
    )
    assert res.exit_code == 2, res.output
    line = res.stderr.strip()
    assert len(line.splitlines()) == 1 and line.startswith(f"ospo-procure: {folder / name}: "), line
    assert message in line and "docs/tender-spec.md" in line
    assert not (tmp_path / "out").exists()


def test_an_agency_template_with_its_own_look_builds(tmp_path: Path) -> None:
    """Restyled fonts, letterhead text and a renamed style id still build, and keep their look."""
    folder = Path(shutil.copytree(TEMPLATES, tmp_path / "tpl"))
    for name in ("terms_of_reference.docx", "contract_annex.docx", "evaluation_grid.docx"):
        _edit_template(folder, name, "word/styles.xml", 'w:ascii="Arial"', 'w:ascii="Times New Roman"')
        _edit_template(folder, name, "word/header1.xml", "{{ doc.agency }}", "Letterhead · {{ doc.agency }}")
    # Word in Spanish writes localised style ids ("Ttulo1") with the English built-in name.
    _edit_template(folder, "terms_of_reference.docx", "word/styles.xml", 'w:styleId="Heading1"', 'w:styleId="Ttulo1"')
    for member in ("word/styles.xml", "word/numbering.xml", "word/document.xml"):
        _edit_template(folder, "terms_of_reference.docx", member, '"Heading1"', '"Ttulo1"')
    out = tmp_path / "out"
    result = build_tender(EXAMPLES / "es-gestion-documental.yaml", out, template_dir=folder, lint=False)
    tor = out / "terms_of_reference.docx"
    assert 'w:ascii="Times New Roman"' in zipfile.ZipFile(tor).read("word/styles.xml").decode()
    header = "".join(t for h in parts(tor, "word/header") for t in h.itertext(_w("t")))
    assert "Letterhead · Agencia de Gobierno Electrónico" in header
    assert [text(p) for p in paragraphs(tor, "heading 1")] == [s.title for s in result.docs["tor"].sections]


# ------------------------------------------------------------------ bounded build


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_builds_staging_folder_is_cleaned_by_the_next_build(tmp_path: Path) -> None:
    import socket

    host = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24] or "host"
    prefix = STAGING_PREFIX.format(name="out")
    dead = tmp_path / f"{prefix}{host}-{_dead_pid()}-abc123"
    dead.mkdir()
    (dead / "terms_of_reference.docx").write_bytes(b"half")
    live = tmp_path / f"{prefix}{host}-{os.getpid()}-def456"  # a concurrent build (this process)
    live.mkdir()
    foreign = tmp_path / f"{prefix}{host}-{_dead_pid()}-ghi789"  # holds something not ours: keep
    foreign.mkdir()
    (foreign / "thesis.odt").write_bytes(b"precious")
    other_host = tmp_path / f"{prefix}otherhost-{_dead_pid()}-jkl012"
    other_host.mkdir()
    spec = Path(__file__).parent / "data" / "specs" / "minimal-en.yaml"
    build_tender(spec, tmp_path / "out", clause_dir=Path(__file__).parent / "data" / "clauses", lint=False)
    assert not dead.exists()
    assert live.exists() and foreign.exists() and other_host.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.build-")) == sorted(
        [live.name, foreign.name, other_host.name]
    )


def test_a_paragraph_self_lint_would_refuse_is_reported_on_the_spec_line(tmp_path: Path) -> None:
    source = (EXAMPLES / "en-grants-platform.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        source.replace("background: |\n", "background: |\n  " + "word " * 50_001 + "\n\n", 1), encoding="utf-8"
    )
    res = CliRunner().invoke(build_cmd, [str(spec), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2
    line_no = source.splitlines().index("background: |") + 1
    assert res.stderr.startswith(f"ospo-procure: {spec}:{line_no}: background: a paragraph of 250,004 characters"), (
        res.stderr
    )
    assert "--no-lint" in res.stderr and ".build-" not in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


def test_a_self_lint_refusal_names_the_spec_not_the_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ospo_procure.lint as lint_mod

    def refuse(*_args: object, **_kw: object) -> object:
        raise LimitExceeded("the document is over a limit", path=tmp_path / ".out.build-x" / "terms_of_reference.docx")

    monkeypatch.setattr(lint_mod, "lint_document", refuse)
    spec = Path(__file__).parent / "data" / "specs" / "minimal-en.yaml"
    with pytest.raises(DataError) as exc:
        build_tender(spec, tmp_path / "out", clause_dir=Path(__file__).parent / "data" / "clauses")
    message = str(exc.value)
    assert message.startswith(
        f"{spec}: self-lint refused the generated terms_of_reference.docx: the document is over a limit"
    )
    assert ".build-" not in message
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


def test_long_paragraphs_reach_the_pdf_whole(tmp_path: Path) -> None:
    import pypdf

    from ospo_procure.tender.pdf import CHUNK_CHARS, chunks

    sentence = "The platform records every zyxwv decision with its reasons. "
    long_text = sentence * 1500 + "Final words here."
    pieces = chunks(long_text)
    assert " ".join(pieces).split() == long_text.split()
    assert all(len(p) <= CHUNK_CHARS for p in pieces) and len(pieces) > 20
    source = (EXAMPLES / "en-grants-platform.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(source.replace("background: |\n", "background: |\n  " + long_text + "\n\n", 1), encoding="utf-8")
    build_tender(spec, tmp_path / "out", pdf=True, lint=False)
    reader = pypdf.PdfReader(str(tmp_path / "out" / "terms_of_reference.pdf"))
    words = " ".join(p.extract_text() for p in reader.pages).split()
    assert words.count("zyxwv") == 1500 and words[words.index("Final") + 1] == "words"


def test_committed_templates_are_what_make_templates_writes(tmp_path: Path) -> None:
    sys.path.insert(0, str(TEMPLATES))
    try:
        import make_templates
    finally:
        sys.path.pop(0)
    make_templates.main(tmp_path)
    for name in ("terms_of_reference.docx", "contract_annex.docx", "evaluation_grid.docx"):
        assert (tmp_path / name).read_bytes() == (TEMPLATES / name).read_bytes(), (
            f"run templates/make_templates.py ({name})"
        )


def test_terminated_and_killed_builds_leave_no_staging_folder(tmp_path: Path) -> None:
    """SIGTERM: the build removes its own staging folder. SIGKILL cannot be caught: the next
    build of the same output folder removes what the dead one left."""
    import signal
    import time

    source = (EXAMPLES / "en-grants-platform.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    paragraph = "The platform records each grant decision with its reasons. " * 5000
    spec.write_text(source.replace("background: |\n", "background: |\n  " + paragraph + "\n\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ospo_procure", "build", str(spec), "-o", str(out), "--pdf", "--no-lint"]

    def staging() -> list[Path]:
        return [p for p in tmp_path.iterdir() if p.name.startswith(".out.build-")]

    for sig in (signal.SIGTERM, signal.SIGKILL):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not staging() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert staging(), "the build ended before its staging folder could be seen"
        proc.send_signal(sig)
        proc.wait(timeout=60)
        assert not out.exists()
        if sig == signal.SIGTERM:
            assert proc.returncode == 128 + signal.SIGTERM and staging() == []
        else:
            assert len(staging()) == 1  # left behind by the killed process
    build_tender(spec, out, lint=False)
    assert staging() == [] and (out / "terms_of_reference.docx").is_file()


def test_french_documents_never_start_a_line_with_a_colon(built: dict) -> None:
    """French spacing: the space before : ; ! ? » (and after «) is a no-break space."""
    folder, _ = built["fr-abonnement-visio"]
    shown = "".join(part(folder / "contract_annex.docx", "word/document.xml").itertext(_w("t")))
    assert "Annexe au contrat\u00a0: conditions particulières" in shown
    assert not re.search(r" [:;!?»]|« ", shown)
    assert "Annex: clause sources" in built["en-grants-platform"][1].docs["tor"].labels["sources"]
