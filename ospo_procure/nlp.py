"""Offline NLP: spaCy blank pipelines with lookup lemmas and a sentencizer, and language detection.

No trained model is downloaded or required. Lemmas come from spacy-lookups-data tables,
looked up on the lower-cased token, because the tables are case-sensitive and tenders
write "Licencias POR USUARIO" as often as "licencias por usuario" (../shared/STACK.md).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from ospo_procure.constants import LANGUAGES
from ospo_procure.paths import cache_dir

SUPPORTED_LANGUAGES = LANGUAGES

# Frequent function words per language, for detection. Short and distinctive on purpose.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "shall",
            "be",
            "is",
            "for",
            "with",
            "that",
            "by",
            "on",
            "this",
            "are",
            "or",
            "as",
            "will",
            "from",
            "an",
            "which",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "del",
            "y",
            "en",
            "que",
            "por",
            "con",
            "para",
            "una",
            "se",
            "al",
            "su",
            "lo",
            "como",
            "más",
            "deberá",
            "será",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "os",
            "as",
            "de",
            "do",
            "da",
            "dos",
            "das",
            "e",
            "em",
            "que",
            "por",
            "com",
            "para",
            "uma",
            "ao",
            "se",
            "não",
            "ser",
            "deverá",
            "será",
            "pela",
            "pelo",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "et",
            "en",
            "que",
            "pour",
            "avec",
            "une",
            "au",
            "aux",
            "sur",
            "est",
            "sont",
            "par",
            "doit",
            "être",
            "dans",
            "ce",
        ]
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, default: str = "en") -> str:
    """Pick the language whose function words are most frequent in (a sample of) the text."""
    words = _WORD.findall(text[:200_000].lower())
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    # Portuguese and Spanish share "de", "que", "em/en": nasal endings separate them.
    scores["pt"] += sum(1 for w in words if w.endswith(("ção", "ções", "ão", "ões")))
    scores["es"] += sum(1 for w in words if w.endswith(("ción", "ciones")))
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else default


def _full_lemma_table(lang: str) -> dict[str, str]:
    """The whole lookup table of spacy-lookups-data for `lang` (hundreds of thousands of forms)."""
    import gzip
    import json

    try:
        import spacy_lookups_data
    except ImportError:  # lemmas then fall back to lower-case forms
        return {}
    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{lang}_lemma_lookup.json.gz"
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    # Some tables (French) give a list of candidate lemmas: keep the first.
    return {form: (lemma[0] if isinstance(lemma, list) else lemma) for form, lemma in raw.items() if lemma}


def lemma_map(lang: str, words: frozenset[str]) -> dict[str, str]:
    """Lemmas restricted to what the rules can use.

    Only the lemmas of words that occur in phrase and token patterns matter for matching,
    so we keep just the word forms whose lemma is one of those: a few thousand entries
    instead of up to 800,000, which loads in milliseconds. The restricted map is cached on
    disk per rule vocabulary (computing it reads the full table once, about 1-3 s).
    """
    import hashlib
    import json

    try:
        from importlib.metadata import version

        data_version = version("spacy-lookups-data")
    except Exception:
        data_version = "none"
    digest = hashlib.sha256("\n".join(["v2", lang, data_version, *sorted(words)]).encode()).hexdigest()[:20]
    cache = cache_dir() / f"lemmas-{lang}-{digest}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    table = _full_lemma_table(lang)
    # Lookup tables are not consistent across inflections ("puesto" -> "poner" but
    # "puestos" -> "puesto"), so a text form joins a pattern word's class when its lemma is
    # the pattern word itself or the pattern word's lemma; the class is named by the latter.
    canon = {w: table.get(w, w) for w in words}
    classes: dict[str, str] = {}
    for word, lemma in canon.items():
        classes.setdefault(lemma, lemma)
        classes.setdefault(word, lemma)
    restricted = {form: classes[lemma] for form, lemma in table.items() if lemma in classes and form == form.lower()}
    restricted.update(canon)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(restricted, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home only costs the recomputation next time
    return restricted


_LEMMA_MAPS: dict[str, dict[int, int]] = {}
# French elisions split off as prefixes: "l'utilisateur" -> "l'" + "utilisateur".
_FRENCH_ELISION = r"(?i:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]"


def _blank(lang: str) -> Any:
    """spacy.blank(lang), except French: importing spaCy's French defaults compiles a huge
    tokenizer-exception regex (about 4 s on this machine, every process). The rules match
    French on raw text, phrases and lemmas, so the multi-language tokenizer plus elision
    prefixes tokenises it as well for our purposes, in milliseconds."""
    import spacy

    if lang != "fr":
        return spacy.blank(lang)
    from spacy.util import compile_prefix_regex

    nlp: Any = spacy.blank("xx")
    prefixes = [_FRENCH_ELISION, *nlp.Defaults.prefixes]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    return nlp


@cache
def get_pipeline(lang: str, words: frozenset[str] = frozenset()) -> Any:
    """A blank pipeline for `lang`: sentencizer, plus lower-cased lookup lemmas when the
    rules use lemmas (`words` = the pattern words); cached per process."""
    from spacy.language import Language

    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    nlp = _blank(lang)
    nlp.add_pipe("sentencizer")
    if not words:
        return nlp  # no rule matches on lemmas in this language: skip the work
    if "ospo_lookup_lemma" not in Language.factories:

        @Language.factory("ospo_lookup_lemma", default_config={"key": ""})
        def _make_lemmatizer(nlp: Any, name: str, key: str) -> Any:
            from spacy.attrs import LEMMA, LOWER

            table = _LEMMA_MAPS.get(key, {})

            def lemmatize(doc: Any) -> Any:
                # Work on hash arrays, not Token objects: about 5x faster on long documents.
                lowers = doc.to_array([LOWER])
                lemmas = lowers.copy()
                for i, h in enumerate(lowers.tolist()):
                    lemma = table.get(h)
                    if lemma is not None:
                        lemmas[i] = lemma
                doc.from_array([LEMMA], lemmas.reshape(-1, 1))
                return doc

            return lemmatize

    key = f"{lang}:{hash(words)}"
    strings = nlp.vocab.strings
    _LEMMA_MAPS[key] = {strings.add(form): strings.add(lemma) for form, lemma in lemma_map(lang, words).items()}
    nlp.add_pipe("ospo_lookup_lemma", config={"key": key})
    return nlp
