"""Lexicon names worded per language (`lint_rules/lexicons/names.yaml`).

Most names a message lists as alternatives or standards are proper names, the same in every
language ("PostgreSQL", "ODF (ISO/IEC 26300)"). Some hold ordinary words ("SQL dump",
"OCI (Open Container Initiative) images"): a Spanish report must not show them in English.
names.yaml gives those words per language, once for the whole lexicon, so the product and
format entries keep one short English list each; a language the file does not give keeps the
English name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ospo_procure.rules import schema
from ospo_procure.yamlio import load_yaml, validate

if TYPE_CHECKING:
    from ospo_procure.rules.lexicons import FormatLexicon, Name, ProductLexicon

FILE_NAME = "names.yaml"


def load_names(path: Path, validate_schema: bool = True) -> dict[str, dict[str, str]]:
    """English name -> {language: name}; empty when the rule folder has no names.yaml."""
    if not path.is_file():
        return {}
    data, lines = load_yaml(path)
    if validate_schema:
        validate(data, schema.NAMES_FILE, path, lines)
    return {str(en): {"en": str(en), **words} for en, words in data["names"].items()}


def word_lexicons(products: ProductLexicon, formats: FormatLexicon, names: dict[str, dict[str, str]]) -> None:
    """Give each listed name of the lexicons its words per language (at load time; the entries
    keep their places, which the lexicons' surface indexes point to)."""
    if not names:
        return

    def worded(items: tuple[Name, ...]) -> tuple[Name, ...]:
        return tuple(names.get(n, n) if isinstance(n, str) else n for n in items)

    products.entries[:] = [
        p._replace(alternatives=worded(p.alternatives), standards=worded(p.standards)) for p in products.entries
    ]
    formats.entries[:] = [f._replace(open_alternatives=worded(f.open_alternatives)) for f in formats.entries]
