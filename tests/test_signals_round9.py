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
