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


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "The contract covers the renewal of VMware licences for the data centre."),
        ("pt", "Contratação de suporte e subscrições VMware por 36 meses."),
    ],
)
def test_a_platform_vendor_named_alone_as_the_object_is_its_platform(bundled_rules, lang, text):
    found = {(f.category, f.rule) for f in reported(text, lang, bundled_rules)}
    assert ("proprietary_technology", "TECH-VENDOR-PLATFORM") in found
    assert ("brand", "BRAND-VENDOR") in found


def test_a_vendor_of_applications_named_alone_is_the_brand_only(bundled_rules):
    found = reported("The contract covers the renewal of Microsoft licences.", "en", bundled_rules)
    assert [f.category for f in found] == ["brand"]


def test_platform_vendors_are_those_whose_products_are_mostly_platforms(bundled_rules):
    platforms = bundled_rules.products.platform_vendors
    assert "VMware" in platforms
    assert not {"Microsoft", "Oracle", "SAP", "IBM"} & platforms
