"""Signals of the ninth round, on sentences written for these tests (not corpus text): a cloud
service imposed is a platform named (brand and proprietary_technology)."""

from __future__ import annotations

import pytest
from rolecheck import reported


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "The event processing shall be implemented with AWS Lambda functions."),
        ("es", "Los datos se almacenarán en Google BigQuery."),
        ("pt", "A solução deverá utilizar o Azure Cosmos DB como banco de dados."),
    ],
)
def test_a_cloud_service_imposed_is_a_brand_and_a_platform(bundled_rules, lang, text):
    found = {f.category for f in reported(text, lang, bundled_rules)}
    assert {"brand", "proprietary_technology"} <= found


@pytest.mark.parametrize(
    "text",
    [
        "Le pouvoir adjudicateur est l'Office de Tourisme de la ville, qui achète un logiciel de billetterie.",
        "Monsieur le Président de l’Office national des forêts signe la version finale du marché.",
    ],
)
def test_a_french_public_office_is_not_the_office_suite(bundled_rules, text):
    assert reported(text, "fr", bundled_rules, "brand") == []


def test_the_office_suite_named_in_french_is_still_the_product(bundled_rules):
    found = reported("Les postes seront équipés de Microsoft Office 2021.", "fr", bundled_rules, "brand")
    assert [f.match for f in found] == ["Microsoft Office 2021"]


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Candidates must have solid Windows programming experience."),
        ("es", "Se valorará la experiencia en programación Windows del equipo propuesto."),
    ],
)
def test_programming_for_an_ordinary_word_product_is_its_product_context(bundled_rules, lang, text):
    assert any(f.match.startswith("Windows") for f in reported(text, lang, bundled_rules, "brand"))


def test_programming_does_not_make_an_ordinary_word_a_product(bundled_rules):
    text = "The maintenance windows for programming changes are agreed with the Office of the Director."
    assert reported(text, "en", bundled_rules, "brand") == []
