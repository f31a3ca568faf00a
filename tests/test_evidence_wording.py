"""Evidence where the commitment is written the way tenders lay it out, and the neighbouring words
that must stay quiet (round 9 of the real-tender work, docs/rules.md "Evidence rules").

Sentences written for this repository from the general language of procurement in each
language, never from a tender: the source code as an item of a deliverables list (not a glossary
entry or a section title), the public estate of property law (not a public-domain dedication),
several years of maintenance that are a contract's term rather than a priced or evaluated cost,
and a worked example of the scoring formula."""

from __future__ import annotations

import pytest

from ospo_procure.lint import lint_text


def _categories(text: str, lang: str, rules) -> set[str]:
    return {e.category for e in lint_text(text, language=lang, ruleset=rules, score=False).evidence}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "- Códigos fuentes de la aplicación móvil, debidamente documentados."),
        ("es", "d) Código fuente y scripts de creación de la base de datos."),
        ("pt", "- Código-fonte de todos os serviços desenvolvidos;"),
        ("pt", "c) Códigos-fonte comentados e instruções de compilação."),
        ("fr", "- Le code source du module de paiement et sa documentation ;"),
        ("fr", "Codes sources complets des développements spécifiques."),
    ],
)
def test_source_code_as_a_deliverables_item(bundled_rules, lang, text):
    assert "source_code_access" in _categories(text, lang, bundled_rules)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Código fuente: instrucciones de un programa escritas en un lenguaje legible."),
        ("es", "7.2 Código fuente y documentación"),
        ("pt", "Código-fonte: texto de um programa antes de sua compilação."),
        ("fr", "Sources de financement du projet"),
        ("fr", "Code source"),
    ],
)
def test_a_glossary_entry_or_a_title_is_not_source_code_access(bundled_rules, lang, text):
    assert "source_code_access" not in _categories(text, lang, bundled_rules)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Toute occupation temporaire du domaine public routier donne lieu à redevance.", False),
        ("fr", "Le service gère le domaine public maritime de la commune.", False),
        ("es", "Las concesiones de dominio público se otorgan por el ayuntamiento.", False),
        ("es", "El dominio público hidráulico queda fuera del ámbito del contrato.", False),
        ("pt", "A ocupação de domínio público municipal exige licença.", False),
        ("fr", "Les développements réalisés sont versés dans le domaine public.", True),
        ("es", "Los desarrollos realizados se liberarán al dominio público.", True),
    ],
)
def test_public_estate_is_not_a_dedication(bundled_rules, lang, text, expected):
    assert ("open_license_of_deliverables" in _categories(text, lang, bundled_rules)) is expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "The council will extend the current maintenance agreements for a three-year period.", False),
        ("en", "Servers under maintenance agreement are refreshed every four years, with their costs reported.", False),
        ("en", "Offers shall include five years of maintenance and support in the quoted price.", True),
        ("es", "El contrato de mantenimiento tendrá una duración de tres años.", False),
        ("es", "La oferta económica incluirá cuatro años de soporte.", True),
        ("pt", "O estudo considerou os custos de manutenção ao longo de cinco anos.", True),
    ],
)
def test_multiyear_maintenance_counts_only_in_the_price(bundled_rules, lang, text, expected):
    assert ("tco" in _categories(text, lang, bundled_rules)) is expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Ejemplo: una oferta de 90 frente a una más baja de 60 recibe 20 puntos."),
        ("en", "Example: a bid of 90 against a lowest bid of 60 receives 20 points."),
    ],
)
def test_a_worked_example_is_not_a_weight(bundled_rules, lang, text):
    assert "weighted_award_criteria" not in _categories(text, lang, bundled_rules)
