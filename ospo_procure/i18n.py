"""The message catalogue: every string a reader sees, in en/es/pt/fr.

Source strings are English and marked in code with `_()` (translated now) or `N_()` (marked
for extraction, translated later, e.g. in module-level tables). Translations live in gettext
catalogues that a translator edits with any PO editor:

    ospo_procure/locale/<lang>/LC_MESSAGES/ospo_procure.po

They are read with Babel and compiled in memory on first use (a few milliseconds), so there is
no build step and no compiled .mo file to keep in sync. `python -m ospo_procure.i18n update`
re-extracts the template (`ospo_procure/locale/ospo_procure.pot`) from the code and the Jinja
templates and merges it into each language's catalogue; tests/test_i18n.py fails when a message
lacks a translation.
"""

from __future__ import annotations

import gettext
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "ospo_procure"
SOURCE_LANGUAGE = "en"
TRANSLATED = ("es", "pt", "fr")


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


class _Catalogue(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str | tuple[str, ...]], plural: object) -> None:
        super().__init__()
        self._messages = messages
        self._plural = plural

    def gettext(self, message: str) -> str:
        found = self._messages.get(message)
        return found if isinstance(found, str) and found else message

    def pgettext(self, context: str, message: str) -> str:
        found = self._messages.get(f"{context}\x04{message}")
        return found if isinstance(found, str) and found else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get(msgid1)
        if isinstance(found, tuple):
            index = self._plural(n)  # type: ignore[operator]
            if 0 <= index < len(found) and found[index]:
                return found[index]
        return msgid1 if n == 1 else msgid2


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=8)
def translations(lang: str | None) -> gettext.NullTranslations:
    """The catalogue of `lang`; English (and any language without a catalogue) is the source."""
    path = catalogue_path(lang or SOURCE_LANGUAGE)
    if lang in (None, SOURCE_LANGUAGE) or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    messages: dict[str, str | tuple[str, ...]] = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        prefix = f"{m.context}\x04" if m.context else ""  # GNU gettext's key for a message in a context
        if isinstance(m.id, (tuple, list)):
            messages[prefix + str(m.id[0])] = tuple(str(s) for s in (m.string or ()))
        else:
            messages[prefix + str(m.id)] = str(m.string or "")
    return _Catalogue(messages, catalog.plural_expr and _plural_function(catalog.plural_expr))


def _plural_function(expr: str) -> object:
    return gettext.c2py(expr)


def translator(lang: str | None) -> Callable[[str], str]:
    """`_ = translator("es")` then `_("Scorecard")`."""
    return translations(lang).gettext


def extract() -> Catalog:
    """Every message marked in the code (`_`, `N_`, `ngettext`) and in Jinja templates."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(domain=DOMAIN, project="ospo-procure", msgid_bugs_address="")
    # Python through the syntax tree: Babel's tokenizer does not look inside f-strings,
    # where reporters call `_()` too.
    methods: list[tuple[str, Any]] = [("**.py", _extract_python), ("**/templates/**.html", "jinja2")]
    keywords = {"_": None, "N_": None, "Message": None, "ngettext": (1, 2), "gettext": None, "pgettext": ((1, "c"), 2)}
    package = LOCALE_DIR.parent
    for filename, lineno, message, comments, context in extract_from_dir(
        package, methods, keywords=keywords, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        template.add(message, locations=[(f"ospo_procure/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def _extract_python(
    fileobj: IO[bytes], keywords: Iterable[str], comment_tags: Iterable[str], options: object
) -> Iterator[tuple[int, str, str | tuple[str | None, ...], list[str]]]:
    """Babel extraction method: every call of a keyword (`_("...")`, `_.ngettext(...)`,
    `self(N_("..."))`), wherever it sits, with the `# Translators:` comment just above it."""
    import ast

    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()
    names = set(keywords)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in names:
            continue
        args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args)
        if not any(args):
            continue
        yield node.lineno, name, args if len(args) > 1 else args[0] or "", _comments(lines, node.lineno, comment_tags)


def _comments(lines: list[str], lineno: int, tags: Iterable[str]) -> list[str]:
    """The `# Translators: ...` comment lines right above line `lineno` (1-based)."""
    out: list[str] = []
    i = lineno - 2
    while i >= 0 and lines[i].strip().startswith("#"):
        out.insert(0, lines[i].strip().lstrip("#").strip())
        i -= 1
    tagged = next((k for k, line in enumerate(out) if any(line.startswith(t) for t in tags)), None)
    return out[tagged:] if tagged is not None else []


def update() -> None:
    """Extract messages from the code and templates and merge them into every catalogue."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract()
    LOCALE_DIR.mkdir(exist_ok=True)
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, omit_header=True, sort_output=True)
    for lang in TRANSLATED:
        path = catalogue_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang, domain=DOMAIN)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="ospo-procure")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, omit_header=True, sort_output=True, ignore_obsolete=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        sys.exit("usage: python -m ospo_procure.i18n update")
    update()
