"""Offline NLP: tokens, sentences and lookup lemmas per language, and language detection.

No trained model is downloaded or required. Lemmas come from spacy-lookups-data tables,
looked up on the lower-cased token, because the tables are case-sensitive and tenders
write "Licencias POR USUARIO" as often as "licencias por usuario" (../shared/STACK.md).

Everything the linter needs at run time is in `LanguageTables`: spaCy's tokenizer and
sentencizer rules (ospo_procure/tokenizer.py runs them without spaCy) and the lemma table
restricted to the rules' vocabulary. They are built with spaCy once per rule folder and
cached with the compiled rule set (rules/cache.py); `LanguageTables.spacy()` builds the
equivalent spaCy pipeline only for what has no spaCy-free path (token patterns).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure.constants import LANGUAGES
from ospo_procure.tokenizer import Tokenizer, TokenizerRules, export_rules

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
    counts = Counter(_WORD.findall(text[:200_000].lower()))
    if not counts:
        return default
    scores = {lang: sum(counts[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    # Portuguese and Spanish share "de", "que", "em/en": nasal endings separate them.
    scores["pt"] += sum(n for w, n in counts.items() if w.endswith(("ção", "ções", "ão", "ões")))
    scores["es"] += sum(n for w, n in counts.items() if w.endswith(("ción", "ciones")))
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
    so we keep just the word forms whose lemma is one of those: a few hundred entries
    instead of up to 800,000 (computing it reads the full table once, about 1-3 s; the
    result is cached with the compiled rule set).
    """
    table = _full_lemma_table(lang)
    # Lookup tables are not consistent across inflections ("puesto" -> "poner" but
    # "puestos" -> "puesto"), so a text form joins a pattern word's class when its lemma is
    # the pattern word itself or the pattern word's lemma; the class is named by the latter.
    canon = {w: table.get(w, w) for w in sorted(words)}
    classes: dict[str, str] = {}
    for word, lemma in canon.items():
        classes.setdefault(lemma, lemma)
        classes.setdefault(word, lemma)
    restricted = {form: classes[lemma] for form, lemma in table.items() if lemma in classes and form == form.lower()}
    restricted.update(canon)
    return restricted


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


@dataclass
class LanguageTables:
    """What linting one language needs from spaCy, as data: tokenizer and sentencizer
    rules, and lemmas (lower-cased form -> lemma) restricted to the rules' vocabulary."""

    lang: str
    tokenizer_rules: TokenizerRules
    lemmas: dict[str, str]
    _tokenizer: Tokenizer | None = field(default=None, repr=False, compare=False)
    _nlp: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_tokenizer": None, "_nlp": None}  # run-time objects are rebuilt

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = Tokenizer(self.tokenizer_rules)
        return self._tokenizer

    def lemma(self, lower: str) -> str:
        return self.lemmas.get(lower, lower)

    def spacy(self) -> Any:
        """The equivalent spaCy pipeline (sentencizer and the same lemmas): only for token
        patterns, which spaCy's Matcher runs. Imports spaCy on first use."""
        if self._nlp is None:
            self._nlp = _spacy_pipeline(self.lang, self.lemmas)
        return self._nlp


def build_language_tables(lang: str, words: frozenset[str]) -> LanguageTables:
    """Export spaCy's tokenizer rules for `lang` and restrict its lemma table (imports spaCy)."""
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    nlp = _blank(lang)
    nlp.add_pipe("sentencizer")
    return LanguageTables(lang, export_rules(nlp), lemma_map(lang, words) if words else {})


_LEMMA_MAPS: dict[str, dict[int, int]] = {}


def _spacy_pipeline(lang: str, lemmas: dict[str, str]) -> Any:
    """A blank pipeline for `lang`: sentencizer, plus lower-cased lookup lemmas."""
    from spacy.language import Language

    nlp = _blank(lang)
    nlp.add_pipe("sentencizer")
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

    key = f"{lang}:{len(_LEMMA_MAPS)}"
    strings = nlp.vocab.strings
    _LEMMA_MAPS[key] = {strings.add(form): strings.add(lemma) for form, lemma in lemmas.items()}
    nlp.add_pipe("ospo_lookup_lemma", config={"key": key})
    return nlp
