"""Signals of the eighth round, on sentences written for these tests (not corpus text):
ordinary-word product names inside proper names, Windows named as the operating system,
the winning party keeping its IP, the cost of changing as a continuity argument, and a
new tender declared pointless."""

from __future__ import annotations

import pytest
from rolecheck import reported


def _reported(text: str, lang: str, rules, category: str | None = None) -> list[tuple[str, str, str]]:
    """(category, rule, match) of the findings at error or warning level."""
    return [(f.category, f.rule, f.match) for f in reported(text, lang, rules, category)]


@pytest.mark.parametrize(
    "lang,text",
    [
        # a word of a proper name: a programme, a regulator, a newspaper, a unit's acronym
        ("en", "The Ministry received a loan for the Digital Inclusion Project and will use part of it for software."),
        ("en", "Bidders shall be registered with the Securities and Exchange Commission and hold a valid licence."),
        ("fr", "L'avis a été publié dans le quotidien Horizon et sur le site de l'application des marchés."),
        ("fr", "Le Service des affaires juridiques (SAJ) utilisera le logiciel de gestion des contrats."),
        # a job title and a piece of hardware, not the ITSM product or the hypervisor
        ("en", "The Service Manager shall attend the monthly planning meetings with the software team."),
        ("en", "Workstation and laptop encryption shall be enabled on every device."),
        # flash memory in a hardware specification
        ("pt", "A BIOS deverá ser gravada em memória Flash, atualizável pelo próprio equipamento."),
        ("es", "El equipo incluirá almacenamiento Flash de 256 GB y el sistema operativo instalado."),
    ],
)
def test_an_ordinary_word_inside_a_name_is_not_the_product(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules) == []


def test_an_assistant_bought_with_office_licences_is_a_brand_not_a_platform(bundled_rules):
    found = _reported("The Council will buy 300 Microsoft 365 Copilot licences.", "en", bundled_rules)
    assert any(c == "brand" for c, _, _ in found)
    assert not any(c == "proprietary_technology" for c, _, _ in found)


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Knowledge of Windows operating systems is required for the support technicians."),
        ("en", "Application servers shall run Microsoft OS, version 2022 or later."),
        ("es", "Los puestos deberán operar con sistema operativo Windows en su versión más reciente."),
    ],
)
def test_windows_named_as_the_operating_system_is_the_product(bundled_rules, lang, text):
    assert any(c == "proprietary_technology" for c, _, _ in _reported(text, lang, bundled_rules))


@pytest.mark.parametrize(
    "lang,text",
    [
        ("pt", "O contrato prevê a cessão de direito de uso não exclusivo do sistema desenvolvido."),
        ("es", "La entidad recibirá un derecho de uso no exclusivo sobre los módulos desarrollados."),
        ("pt", "O software dos componentes empregados é de titularidade da parte vencedora."),
    ],
)
def test_a_use_right_only_or_the_winner_keeping_ip_is_reported(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "ip_retained_by_vendor")


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Migrating the finance system to another product would be prohibitively expensive."),
        ("en", "Switching the 900 terminals to a different platform would cost several million dollars."),
        ("es", "Reemplazar el motor de base de datos resultaría demasiado oneroso para la entidad."),
        ("pt", "Substituir a plataforma instalada seria excessivamente custoso para o órgão."),
        ("fr", "Remplacer le logiciel actuel serait trop onéreux pour la collectivité."),
        ("pt", "Os órgãos continuam utilizando a mesma plataforma adotada pelo comitê gestor."),
    ],
)
def test_the_cost_of_changing_is_a_continuity_argument(bundled_rules, lang, text):
    assert any(rule == "BRAND-CONTINUITY" for _, rule, _ in _reported(text, lang, bundled_rules, "brand"))


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Moving the archive to another building would be too costly this year."),
        ("en", "Staff will continue to use the current platform until the new system goes live."),
        ("pt", "A contratada garantirá a continuidade dos serviços durante a migração para a nova plataforma."),
    ],
)
def test_a_migration_or_a_plain_account_is_not_a_continuity_argument(bundled_rules, lang, text):
    assert not any(rule == "BRAND-CONTINUITY" for _, rule, _ in _reported(text, lang, bundled_rules, "brand"))


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "A fresh procurement exercise is unlikely to deliver a better outcome than the current arrangement."),
        (
            "en",
            "The Board approves a licence renewal with Acme Systems Ltd., the sole provider of the permit software.",
        ),
        ("es", "Un nuevo proceso de licitación no produciría un resultado distinto al actual."),
        ("pt", "Um novo certame não resultaria em resultado diferente do já obtido."),
        ("fr", "Une nouvelle consultation ne donnerait pas un résultat meilleur."),
    ],
)
def test_a_new_tender_declared_pointless_or_a_sole_provider_in_apposition_is_a_sole_source(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "sole_source")


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Implementation of a SharePoint intranet for the municipal departments."),
        ("fr", "Les formulaires devront être développés sur une plateforme SharePoint 2019."),
    ],
)
def test_sharepoint_named_as_the_platform_to_build_on_is_a_proprietary_technology(bundled_rules, lang, text):
    assert _reported(text, lang, bundled_rules, "proprietary_technology")


def test_sharepoint_used_for_its_functions_is_the_brand_only(bundled_rules):
    text = "Document libraries shall be migrated from the SharePoint Server 2016 farm to the new system."
    assert not _reported(text, "en", bundled_rules, "proprietary_technology")
