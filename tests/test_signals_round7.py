"""Signals of the seventh round, on sentences written for these tests (not corpus text):
closed-format products and office formats named for deliverables, the general wording of
manufacturer authorisation, licences sized by a count, and what is not a sole source."""

from __future__ import annotations

import pytest
from rolecheck import reported

from ospo_procure.lint import lint_text


def _reported(text: str, lang: str, rules, category: str) -> list[tuple[str, str, str | None]]:
    """(rule, severity, role) of the findings of `category` at error or warning level."""
    return [(f.rule, f.severity, f.role) for f in reported(text, lang, rules, category)]


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "The baseline schedule shall be delivered every month in Microsoft Project."),
        ("en", "Format: MS Visio"),
        ("es", "Los planos de detalle deberán entregarse en AutoCAD."),
        ("pt", "O cronograma físico-financeiro deverá ser entregue em MS Project."),
        ("fr", "Les schémas d'architecture seront livrés sous Visio."),
    ],
)
def test_deliverables_in_a_closed_format_product_are_a_proprietary_format(bundled_rules, lang, text):
    assert any(
        rule == "FMT-PRODUCT-FORMAT" for rule, _, _ in _reported(text, lang, bundled_rules, "proprietary_format")
    )


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "The planning office keeps its old drawings in AutoCAD on a shared drive."),
        ("en", "The Project Manager shall maintain the schedule and the risk register."),
        ("pt", "O gerente de projeto manterá o cronograma atualizado."),
    ],
)
def test_a_product_described_as_the_installed_base_is_not_a_format_requirement(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "proprietary_format") == []


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Monthly progress reports shall be submitted in MS Word format."),
        ("es", "Las actas se entregarán en formato Word."),
        ("pt", "Os indicadores deverão ser entregues em planilhas do Excel."),
        ("fr", "Les rapports devront être fournis en fichiers Word."),
    ],
)
def test_an_office_product_named_as_the_deliverable_format_is_the_brand_required(bundled_rules, lang, text):
    found = _reported(text, lang, bundled_rules, "brand")
    assert ("BRAND-OFFICE-FORMAT", "error", "required") in found, found
    assert _reported(text, lang, bundled_rules, "proprietary_format") == []


def test_the_price_workbook_of_the_bid_is_procedural(bundled_rules):
    text = "Offerors shall return the attached Excel workbook with every unit price completed."
    result = lint_text(text, language="en", ruleset=bundled_rules, score=False)
    office = [f for f in result.findings if f.rule == "BRAND-OFFICE-FORMAT"]
    assert [(f.role, f.severity) for f in office] == [("procedural", "info")]


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Each bid shall include an authorization letter from the OEM for the quoted switches."),
        ("en", "The bidder must hold a valid distribution agreement with the manufacturer."),
        ("en", "Respondents shall be an authorized Contoso Records Solution Provider."),
    ],
)
def test_manufacturer_authorisation_in_rfp_wording(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "vendor_certification")


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "All replacement drives shall be certified by the manufacturer for the storage array."),
        ("es", "Los equipos deberán estar certificados por el fabricante para el sistema operativo ofertado."),
        ("en", "Contoso Systems, a Microsoft Gold Partner, maintains the current platform."),
    ],
)
def test_goods_certified_by_their_maker_or_a_firm_described_are_not_bidder_conditions(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "vendor_certification") == []


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "The quote shall include endpoint protection licenses for 650 workstations."),
        ("pt", "Aquisição de licenças de uso do software de modelagem para 25 usuários."),
        ("pt", "Unidade de fornecimento: licença/usuário."),
        ("es", "Se adquirirán licencias del software estadístico para 30 usuarios."),
    ],
)
def test_licences_sized_by_a_count_of_users_or_devices(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "per_user_licensing")


@pytest.mark.parametrize(
    "lang,text",
    [
        ("pt", "O licenciante concede à CONTRATANTE licença de uso individual e intransferível."),
        ("en", "The subscription includes unlimited user licenses for the whole municipality."),
    ],
)
def test_licence_grants_and_unlimited_use_are_not_per_user(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "per_user_licensing") == []


@pytest.mark.parametrize(
    "lang,text",
    [
        ("pt", "Nas hipóteses de dispensa ou inexigibilidade, o extrato do contrato será publicado no portal."),
        ("pt", "Trata-se de dispensa de licitação em razão do valor, nos termos do art. 75, II, da Lei 14.133/2021."),
        ("pt", "Participação exclusiva de microempresas e empresas de pequeno porte."),
        ("pt", "A manutenção será executada exclusivamente pela contratada, vedada a subcontratação."),
        ("es", "En los supuestos de contratación directa, la entidad publicará el informe técnico."),
        ("en", "In cases of sole source procurement, the justification shall be posted for ten days."),
    ],
)
def test_not_a_sole_source(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "sole_source") == []


@pytest.mark.parametrize(
    "lang,text",
    [
        (
            "pt",
            "A contratação será realizada por inexigibilidade, pois a desenvolvedora é a única autorizada a prestar o suporte.",
        ),
        ("en", "Staff recommend that the Board waive the formal bid process for the permitting software renewal."),
        ("en", "There is no reasonable alternative source for maintenance of the licensed modules."),
    ],
)
def test_a_sole_source(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "sole_source")
