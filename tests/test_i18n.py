"""The message catalogue: every string the code marks for a reader is translated in es/pt/fr,
with the same placeholders, and the catalogues are up to date with the code."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

from ospo_procure.i18n import TRANSLATED, catalogue_path, extract


def _key(m) -> tuple[str | None, str]:
    msgid = m.id[0] if isinstance(m.id, (tuple, list)) else m.id
    return m.context, msgid


@pytest.fixture(scope="module")
def template():
    return {_key(m): m for m in extract() if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_has_a_translation_with_the_same_placeholders(lang: str, template) -> None:
    with catalogue_path(lang).open("rb") as fh:
        catalogue = {_key(m): m for m in read_po(fh, locale=lang) if m.id}
    missing = sorted(k[1] for k in template if k not in catalogue)
    assert not missing, f"{lang}: not in the catalogue (run `python -m ospo_procure.i18n update`): {missing[:10]}"
    for key in template:
        m = catalogue[key]
        ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
        strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
        assert not m.fuzzy and strings and all(strings), f"{lang}: untranslated {key[1]!r}"
        for s in strings:
            assert _fields(s) <= _fields(ids[-1]) | _fields(ids[0]), f"{lang}: {key[1]!r} -> {s!r}"
        # A translation may drop the count in a singular ("un hallazgo") but not a named value.
        assert _fields(ids[0]) - {"n"} <= _fields(strings[-1]), f"{lang}: {key[1]!r} loses a value: {strings[-1]!r}"
