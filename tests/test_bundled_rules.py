"""The bundled rule packs on the traps a real tender sets: ordinary words that are also product
names, exceptions in three languages, and the lock-in they must still catch."""

from __future__ import annotations

import pytest

from ospo_procure.lint import lint_text


def signals(text: str, lang: str, rules) -> set[tuple[str, str]]:
    """(category, match) of every finding at warning level or above."""
    result = lint_text(text, language=lang, ruleset=rules, score=False)
    return {(f.category, f.match) for f in result.findings if f.severity != "info"}


@pytest.mark.parametrize(
    "text",
    [
        "Cleaning services shall include the windows of the building once per quarter.",
        "Offers shall be delivered to the Procurement Office before noon.",
        "The Office of the Inspector General may audit the procedure.",
        "Project teams shall include a data-protection officer.",
        "The monitoring covers forest loss in the Amazon region and the Amazon basin.",
        "The consultant will carry out field surveys in Java and Sumatra.",
        "The test suite shall include a test oracle for each business rule.",
        "Fruit baskets shall contain Apples, pears and bananas.",
        "Each Word of the glossary shall be defined in plain language.",
        "Access to the building is controlled by the security desk.",
        "Notes to the financial statements shall be attached.",
        "Edge cases shall be covered by unit tests.",
        "Maintenance windows shall be announced 48 hours in advance.",
        "The application may be written in Java, Python or any widely used language.",
        "Bids may be submitted as PDF, ODF or Microsoft Word documents.",
        "The platform shall be released under the GNU General Public License version 3 or the Apache License 2.0.",
        "Deliverables shall be saved in OpenDocument format and PDF/A.",
        "Letters may be delivered as .odt or .doc files.",
    ],
)
def test_ordinary_words_and_open_names_are_not_lock_in(bundled_rules, text):
    assert signals(text, "en", bundled_rules) == set()


@pytest.mark.parametrize(
    "text,lang,category,match",
    [
        ("The collaboration platform shall be Microsoft Teams for all staff.", "en", "brand", "Microsoft Teams"),
        ("The database must run on Oracle Database 19c.", "en", "brand", "Oracle Database 19c"),
        ("The solution must be hosted on Amazon Web Services.", "en", "brand", "Amazon Web Services"),
        ("Letters shall be produced as .doc files.", "en", "proprietary_format", ".doc"),
        (
            "La solución deberá desarrollarse sobre Microsoft SharePoint Online.",
            "es",
            "brand",
            "Microsoft SharePoint Online",
        ),
        (
            "O banco de dados deverá ser o Oracle Database 19c Enterprise Edition.",
            "pt",
            "brand",
            "Oracle Database 19c Enterprise Edition",
        ),
        ("Se cotizarán 300 licencias por usuario nominal.", "es", "per_user_licensing", None),
        ("Serão fornecidas licenças por usuário nomeado.", "pt", "per_user_licensing", None),
        ("Le titulaire fournira 300 licences par utilisateur nommé.", "fr", "per_user_licensing", None),
        ("L'application sera développée exclusivement pour iOS.", "fr", "proprietary_technology", None),
        (
            "La solution devra fonctionner sous Microsoft SharePoint Server.",
            "fr",
            "brand",
            "Microsoft SharePoint Server",
        ),
    ],
)
def test_lock_in_is_caught(bundled_rules, text, lang, category, match):
    found = signals(text, lang, bundled_rules)
    assert any(c == category and (match is None or m == match) for c, m in found), found


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Dashboards comparable to Microsoft Power BI or equivalent shall be provided.", "en"),
        ("Se requiere un gestor de base de datos, por ejemplo Oracle Database o equivalente.", "es"),
        ("Será aceito o Microsoft SQL Server ou equivalente.", "pt"),
        ("The new system will replace the legacy Lotus Notes application.", "en"),
        ("Los datos se migrarán desde el actual Microsoft SQL Server 2008.", "es"),
        ("Os dados serão migrados do SQL Server 2008 atualmente em uso.", "pt"),
        ("The price shall not depend on the number of users, devices or processor cores.", "en"),
        ("El precio no dependerá del número de usuarios.", "es"),
        (
            "A direct award is permitted only in the exceptional cases listed in the law and must be duly justified.",
            "en",
        ),
        ("The hardware lot includes 200 desktop computers priced per device, with on-site warranty.", "en"),
        ("For each release, the Contractor shall estimate effort per user story.", "en"),
        ("The bidder shall hold a valid ISO/IEC 27001 certification.", "en"),
    ],
)
def test_exceptions_in_three_languages(bundled_rules, text, lang):
    assert signals(text, lang, bundled_rules) == set()


def test_legacy_product_is_reported_as_info_with_reason(bundled_rules):
    result = lint_text(
        "Migration from the current Oracle Database 11g instance is part of the scope.",
        language="en",
        ruleset=bundled_rules,
        score=False,
    )
    infos = [f for f in result.findings if f.match.startswith("Oracle Database")]
    assert infos and all(f.severity == "info" and "legacy" in f.message for f in infos)


def test_french_is_detected_and_elisions_tokenised(bundled_rules):
    from ospo_procure.matching import compile_rules

    result = lint_text(
        "Le pouvoir adjudicateur exige que l'application soit livrée avec son code source.",
        ruleset=bundled_rules,
        score=False,
    )
    assert result.language == "fr"
    text = "L'administration n'exige qu'une licence."
    tokens = [text[s:e] for s, e in compile_rules(bundled_rules, "fr").tables.tokenizer.tokens(text)]
    assert tokens[:4] == ["L'", "administration", "n'", "exige"]
