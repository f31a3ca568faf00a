"""Signals of the ninth round, on sentences written for these tests (not corpus text): a product
named by its vendor and a name the lexicon does not list."""

from __future__ import annotations

import pytest
from rolecheck import reported


def _unlisted(text: str, lang: str, rules) -> list[str]:
    return [f.match for f in reported(text, lang, rules, "brand") if f.rule == "BRAND-UNLISTED"]


@pytest.mark.parametrize(
    "lang,text,match",
    [
        ("en", "The contractor shall renew Oracle Premier Support for the finance servers.", "Oracle Premier Support"),
        ("en", "The Department will purchase Microsoft Unified Support for 24 months.", "Microsoft Unified Support"),
        ("es", "Se requiere la renovación de SAP Enterprise Support por tres años.", "SAP Enterprise Support"),
        ("pt", "Aquisição de licenças Esri Workforce Planner para a secretaria.", "Esri Workforce Planner"),
        ("fr", "Le marché porte sur le renouvellement du support IBM Passport Advantage.", "IBM Passport Advantage"),
    ],
)
def test_a_vendor_and_an_unlisted_product_name_bought_is_a_brand(bundled_rules, lang, text, match):
    assert _unlisted(text, lang, bundled_rules) == [match]


@pytest.mark.parametrize(
    "lang,text",
    [
        # a legal form or a country after the vendor: the firm, not a product
        ("en", "Copyright Oracle Corporation; licence terms apply to the documentation."),
        ("pt", "A IBM Brasil apresentou pedido de esclarecimento sobre o suporte exigido."),
        # a partner title: the certification rules read it
        ("en", "The bidder shall be a Microsoft Gold Partner able to provide support."),
        # nothing bought, licensed or supported in the sentence
        ("en", "Questions may be sent through the Google Forms page of the Department."),
        # a heading or an address in capitals
        ("fr", "ANNEXE SAP ANNEXE 5 CONTRAT DE MAINTENANCE"),
        # a product the lexicon lists is the product rule's
        ("en", "The County will renew its Microsoft SQL Server licences."),
    ],
)
def test_a_vendor_before_other_capitalised_words_is_not_an_unlisted_product(bundled_rules, lang, text):
    assert _unlisted(text, lang, bundled_rules) == []


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
