"""Generate a portfolio of tenders for benchmarks and tests (into a folder you choose; never
committed): .docx, .md, .txt and .pdf files of about `words` words each, assembled from the
paragraphs of the development corpus (../shared/corpus/paragraphs.jsonl, when present) and
of the bundled examples, plus a metadata CSV (invented buyers, dates over three years).

Each tender mixes neutral and OSS-friendly paragraphs with 0-6 lock-in paragraphs, so the
shares of tenders with each signal vary as in a real portfolio. The text is assembled from
development material: it is not real tender text.

    python benchmarks/make_portfolio.py OUT_DIR [--tenders 1000] [--words 8000]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "paragraphs.jsonl"
BUYERS = {
    "en": ["Harbour City Council", "Department of Transport", "National Statistics Office", "Ministry of Health"],
    "es": ["Ministerio de Hacienda", "Municipalidad de San Isidro", "Agencia de Gobierno Digital", "Servicio de Salud"],
    "pt": ["Prefeitura de Porto Alegre", "Secretaria de Educação", "Tribunal Regional", "Agência de Dados"],
}
HEADINGS = {"en": "Requirements, part", "es": "Requisitos, parte", "pt": "Requisitos, parte"}


def _paragraphs() -> dict[str, dict[str, list[str]]]:
    """Per language: 'signal' paragraphs (lock-in), 'positive' ones (OSS-friendly) and 'plain' ones."""
    out: dict[str, dict[str, list[str]]] = {lang: {"signal": [], "positive": [], "plain": []} for lang in BUYERS}
    if CORPUS.is_file():
        for line in CORPUS.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["lang"] in out:
                kind = "signal" if row["signals"] else "positive" if row["positive"] else "plain"
                out[row["lang"]][kind].append(row["text"])
    example = (ROOT / "examples" / "tenders" / "pliego_gestion_documental.md").read_text(encoding="utf-8")
    for para in example.split("\n\n"):
        para = para.strip().lstrip("#").strip()
        if len(para.split()) > 6:
            out["es"]["signal"].append(para)
    for lang, groups in out.items():  # without the corpus: a minimal neutral set so every language works
        if not groups["plain"]:
            groups["plain"] = [
                {
                    "en": "The contractor shall deliver the functions described in this section within the agreed milestones.",
                    "es": "El contratista entregará las funciones descritas en esta sección dentro de los hitos acordados.",
                    "pt": "A contratada entregará as funções descritas nesta seção dentro dos marcos acordados.",
                }[lang]
            ]
        if not groups["signal"]:
            groups["signal"] = out["es"]["signal"][:1]
        groups["positive"] = groups["positive"] or groups["plain"]
    return out


def _body(
    rnd: random.Random, lang: str, words: int, paras: dict[str, dict[str, list[str]]], year_bias: float
) -> list[str]:
    """A list of paragraphs: headings every dozen paragraphs, 0-6 lock-in paragraphs spread in."""
    plain, positive, signal = paras[lang]["plain"], paras[lang]["positive"], paras[lang]["signal"]
    out: list[str] = []
    count = 0
    while count < words:
        if len(out) % 13 == 0:
            out.append(f"# {HEADINGS[lang]} {len(out) // 13 + 1}")
        text = rnd.choice(positive if rnd.random() < 0.15 else plain)  # most of a tender is neutral
        out.append(text)
        count += len(text.split())
    n_signals = min(6, int(rnd.expovariate(1.0 / (1.5 + 2 * year_bias))))
    for _ in range(n_signals):
        out.insert(rnd.randrange(1, len(out)), rnd.choice(signal))
    return out


def _write_docx(path: Path, paragraphs: list[str]) -> None:
    from docx import Document

    doc = Document()
    for p in paragraphs:
        if p.startswith("# "):
            doc.add_heading(p[2:], level=1)
        else:
            doc.add_paragraph(p)
    doc.save(str(path))


def _write_pdf(path: Path, paragraphs: list[str]) -> None:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from ospo_procure.report._fonts import register_fonts

    fonts = register_fonts()
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("b", fontName=fonts.regular)
    head = styles["Heading2"].clone("h", fontName=fonts.bold)
    story = [Paragraph(p[2:], head) if p.startswith("# ") else Paragraph(p, body) for p in paragraphs]
    SimpleDocTemplate(str(path), initialFontName=fonts.regular).build(story)


def make_portfolio(
    folder: Path,
    tenders: int = 1000,
    words: int = 8000,
    seed: int = 11,
    formats: tuple[str, ...] = ("docx", "md", "txt", "pdf"),
) -> Path:
    """Write the tenders and metadata.csv into `folder`; return the CSV's path."""
    rnd = random.Random(seed)
    paras = _paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    weights = {"docx": 5, "md": 2, "txt": 2, "pdf": 1}
    rows = []
    for i in range(tenders):
        lang = rnd.choice(["en", "en", "es", "pt"])
        year = 2023 + i * 3 // max(tenders, 1)  # three years, in order
        month = rnd.randint(1, 12)
        bias = 2025 - year  # older tenders carry a little more lock-in
        fmt = rnd.choices(formats, weights=[weights[f] for f in formats])[0]
        path = folder / f"{lang}" / f"tender-{i:04d}.{fmt}"
        path.parent.mkdir(exist_ok=True)
        body = _body(rnd, lang, words, paras, bias / 2)
        if fmt == "docx":
            _write_docx(path, body)
        elif fmt == "pdf":
            _write_pdf(path, body)
        else:
            lines = body if fmt == "md" else [p.lstrip("# ") for p in body]
            path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        rows.append(
            (
                path.relative_to(folder).as_posix(),
                rnd.choice(BUYERS[lang]),
                f"{year}-{month:02d}-{rnd.randint(1, 28):02d}",
            )
        )
    meta = folder / "metadata.csv"
    with meta.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "buyer", "date"])
        w.writerows(rows)
    return meta


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--tenders", type=int, default=1000)
    ap.add_argument("--words", type=int, default=8000)
    args = ap.parse_args()
    print(make_portfolio(args.out, args.tenders, args.words))
    return 0


if __name__ == "__main__":
    sys.exit(main())
