"""The role stage (ospo_procure/roles.py, lint_rules/roles.yaml): every role in every language,
sections, the stated object, and role data that drives what is reported.

Every sentence here was written for these tests from the general language of procurement;
none is taken from a real tender or from the development corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.errors import DataError
from ospo_procure.lint import lint_document, lint_text
from ospo_procure.model import Block, Document, Location
from ospo_procure.roles import UNDECIDED
from ospo_procure.rules import load_ruleset

EXPECTED_SEVERITY = {"required": "error", "object": "error", "continuity": "warning"}

# (language, sentence, rule, matched text, role, words of the role reason)
ROLE_CASES = [
    # required: imposed on the bidder or the solution
    (
        "en",
        "The document management system shall be deployed on Microsoft SharePoint Server.",
        "BRAND-PRODUCT",
        "Microsoft SharePoint Server",
        "required",
        "shall be deployed on",
    ),
    (
        "es",
        "El sistema de gestión documental deberá implementarse sobre Microsoft SharePoint Server.",
        "BRAND-PRODUCT",
        "Microsoft SharePoint Server",
        "required",
        "deberá",
    ),
    (
        "pt",
        "O sistema de gestão documental deverá ser implantado em Microsoft SharePoint Server.",
        "BRAND-PRODUCT",
        "Microsoft SharePoint Server",
        "required",
        "deverá",
    ),
    (
        "fr",
        "Le système de gestion documentaire devra être déployé sur Microsoft SharePoint Server.",
        "BRAND-PRODUCT",
        "Microsoft SharePoint Server",
        "required",
        "devra",
    ),
    # object: what is bought is the vendor's product (a vendor named on its own counts here)
    (
        "en",
        "This procurement is for the renewal of licences of Microsoft for the central administration.",
        "BRAND-VENDOR",
        "Microsoft",
        "object",
        "licences of",
    ),
    (
        "es",
        "Se contratará el soporte de Oracle para las bases de datos institucionales.",
        "BRAND-VENDOR",
        "Oracle",
        "object",
        "soporte de",
    ),
    (
        "pt",
        "Aquisição de licenças Microsoft para as unidades do órgão.",
        "BRAND-VENDOR",
        "Microsoft",
        "object",
        "licenças",
    ),
    (
        "fr",
        "Le marché porte sur la fourniture de licences Microsoft pour les services municipaux.",
        "BRAND-VENDOR",
        "Microsoft",
        "object",
        "licences",
    ),
    # continuity: more of a brand because it is installed (a warning of its own)
    (
        "en",
        "Additional licences of VMware vSphere are needed to expand the existing installation.",
        "BRAND-PRODUCT",
        "VMware vSphere",
        "continuity",
        "existing",
    ),
    (
        "es",
        "Se requiere la ampliación de licencias de VMware vSphere para la infraestructura existente.",
        "BRAND-PRODUCT",
        "VMware vSphere",
        "continuity",
        "ampliación",
    ),
    (
        "pt",
        "A contratação visa a padronização do parque instalado, com novas licenças de VMware vSphere.",
        "BRAND-PRODUCT",
        "VMware vSphere",
        "continuity",
        "padronização",
    ),
    (
        "fr",
        "L'extension du parc de licences VMware vSphere existant est nécessaire.",
        "BRAND-PRODUCT",
        "VMware vSphere",
        "continuity",
        "extension",
    ),
    # example: "such as", "e.g.", "or equivalent"
    (
        "en",
        "The portal may integrate a content management system such as Adobe Experience Manager.",
        "BRAND-PRODUCT",
        "Adobe Experience Manager",
        "example",
        "such as",
    ),
    (
        "es",
        "Se requiere un motor de base de datos relacional, por ejemplo Oracle Database.",
        "BRAND-PRODUCT",
        "Oracle Database",
        "example",
        "por ejemplo",
    ),
    (
        "pt",
        "O módulo de relatórios poderá utilizar ferramentas como, por exemplo, Microsoft Power BI.",
        "BRAND-PRODUCT",
        "Microsoft Power BI",
        "example",
        "por exemplo",
    ),
    (
        "fr",
        "Un outil de tableaux de bord comme Microsoft Power BI ou équivalent pourra être proposé.",
        "BRAND-PRODUCT",
        "Microsoft Power BI",
        "example",
        "ou équivalent",
    ),
    # existing: the buyer's current environment, a system to migrate from or integrate with
    (
        "en",
        "Data will be migrated from the Lotus Notes databases that the Agency uses today.",
        "BRAND-PRODUCT",
        "Lotus Notes",
        "existing",
        "migrated from",
    ),
    (
        "es",
        "La entidad utiliza actualmente Microsoft Exchange Server para el correo institucional.",
        "BRAND-PRODUCT",
        "Microsoft Exchange Server",
        "existing",
        "actualmente",
    ),
    (
        "pt",
        "Os dados serão migrados do Oracle Database atualmente em uso no órgão.",
        "BRAND-PRODUCT",
        "Oracle Database",
        "existing",
        "migrados do",
    ),
    (
        "fr",
        "Les données de l'application Lotus Notes existante seront reprises dans la nouvelle solution.",
        "BRAND-PRODUCT",
        "Lotus Notes",
        "existing",
        "existante",
    ),
    # procedural: a channel for questions, submissions, meetings or team chat
    (
        "en",
        "Questions about this request for proposals shall be submitted via GitHub issues.",
        "BRAND-PRODUCT",
        "GitHub",
        "procedural",
        "via",
    ),
    (
        "es",
        "Las reuniones de seguimiento se realizarán por Zoom Meetings.",
        "BRAND-PRODUCT",
        "Zoom Meetings",
        "procedural",
        "reuniones",
    ),
    (
        "pt",
        "As reuniões de acompanhamento serão realizadas via Microsoft Teams.",
        "BRAND-PRODUCT",
        "Microsoft Teams",
        "procedural",
        "reuniões",
    ),
    (
        "fr",
        "Les réunions de suivi se tiendront via Microsoft Teams.",
        "BRAND-PRODUCT",
        "Microsoft Teams",
        "procedural",
        "réunions",
    ),
    # excluded: prohibited or out of scope, lists of excluded manufacturers
    ("en", "Solutions based on Adobe Flash are prohibited.", "TECH-PLATFORM", "Adobe Flash", "excluded", "prohibited"),
    (
        "es",
        "Quedan excluidas las soluciones basadas en Adobe Flash.",
        "TECH-PLATFORM",
        "Adobe Flash",
        "excluded",
        "excluidas",
    ),
    ("pt", "É vedada a utilização de Adobe Flash na solução.", "TECH-PLATFORM", "Adobe Flash", "excluded", "vedada"),
    ("fr", "L'utilisation d'Adobe Flash est interdite.", "TECH-PLATFORM", "Adobe Flash", "excluded", "interdite"),
    # commentary: a law, ruling or guidance quoted about it
    (
        "en",
        "The Court held that requiring Microsoft Office by name was discriminatory.",
        "BRAND-PRODUCT",
        "Microsoft Office",
        "commentary",
        "Court held",
    ),
    (
        "es",
        "El Tribunal resolvió que exigir Microsoft Office por su nombre es contrario a la ley.",
        "BRAND-PRODUCT",
        "Microsoft Office",
        "commentary",
        "Tribunal resolvió",
    ),
    (
        "pt",
        "O TCU entendeu que a exigência da marca Microsoft Office restringe a competitividade.",
        "BRAND-PRODUCT",
        "Microsoft Office",
        "commentary",
        "TCU entendeu",
    ),
    (
        "fr",
        "Le Conseil d'État a jugé que l'exigence de Microsoft Office sans mention d'équivalence était illégale.",
        "BRAND-PRODUCT",
        "Microsoft Office",
        "commentary",
        "a jugé",
    ),
    # history: past contracts and events
    (
        "en",
        "Under a previous contract, the Agency bought Oracle Database licences for its data centre.",
        "BRAND-PRODUCT",
        "Oracle Database",
        "history",
        "previous contract",
    ),
    (
        "es",
        "En el contrato anterior se adquirieron licencias de Oracle Database para el centro de datos.",
        "BRAND-PRODUCT",
        "Oracle Database",
        "history",
        "contrato anterior",
    ),
    (
        "pt",
        "No contrato anterior, foram adquiridas licenças do Oracle Database para o datacenter.",
        "BRAND-PRODUCT",
        "Oracle Database",
        "history",
        "contrato anterior",
    ),
    (
        "fr",
        "Lors du précédent marché, la commune a acquis des licences Oracle Database.",
        "BRAND-PRODUCT",
        "Oracle Database",
        "history",
        "précédent marché",
    ),
    # roles of terms and formats, not only of products
    (
        "en",
        "Under the previous contract, support was awarded directly to the original developer.",
        "SOLE-DIRECT-AWARD",
        None,
        "history",
        "previous contract",
    ),
    (
        "es",
        "Toda contratación directa deberá justificarse por escrito y publicarse.",
        "SOLE-DIRECT-AWARD",
        None,
        "commentary",
        "contratación directa",
    ),
    (
        "pt",
        "Os relatórios serão entregues em planilhas no formato .xls ou similar.",
        "FMT-PROPRIETARY",
        ".xls",
        "example",
        "ou similar",
    ),
    (
        "fr",
        "Les courriers existants au format .doc seront convertis en ODF.",
        "FMT-PROPRIETARY",
        ".doc",
        "existing",
        "convert",
    ),
]

# negated: nothing is reported at all
NEGATED_CASES = [
    ("en", "The solution shall not depend on Microsoft Windows.", "Microsoft Windows"),
    ("es", "La solución no deberá depender de Microsoft Windows.", "Microsoft Windows"),
    ("pt", "A solução não poderá depender do Microsoft Windows.", "Microsoft Windows"),
    ("fr", "La solution ne devra pas dépendre de Microsoft Windows.", "Microsoft Windows"),
    ("en", "Licences shall not be priced per named user.", "per named user"),
    ("es", "El precio de las licencias no dependerá del número de usuarios nominales.", "usuarios nominales"),
]


@pytest.mark.parametrize("lang,text,rule,match,role,reason", ROLE_CASES)
def test_each_role_in_each_language(bundled_rules, lang, text, rule, match, role, reason):
    result = lint_text(text, language=lang, ruleset=bundled_rules, score=False)
    hits = [f for f in result.findings if f.rule == rule]
    assert hits, [(f.rule, f.match, f.role) for f in result.findings]
    f = hits[0]
    if match is not None:
        assert f.match == match
    assert f.role == role, (f.role, f.role_reason)
    assert reason.lower() in f.role_reason.lower(), f.role_reason
    assert f.severity == EXPECTED_SEVERITY.get(role, "info")
    if f.severity == "info":  # the message says why it is not a finding
        assert f.note and f.message.lower().startswith(f.note[:20].lower())


@pytest.mark.parametrize("lang,text,match", NEGATED_CASES)
def test_negated_mentions_report_nothing(bundled_rules, lang, text, match):
    result = lint_text(text, language=lang, ruleset=bundled_rules, score=False)
    assert not [f for f in result.findings if match.lower() in f.match.lower()], result.findings


@pytest.mark.parametrize(
    "text",
    [
        "Copyright 2025 Microsoft Corporation. All rights reserved.",
        "Microsoft Corporation, One Microsoft Way, Redmond.",
        "Representatives of IBM, Oracle and SAP attended the market consultation.",
        "The Ministry signed a memorandum of understanding with Google on digital skills.",
    ],
)
def test_vendor_names_that_buy_nothing_are_silent(bundled_rules, text):
    result = lint_text(text, language="en", ruleset=bundled_rules, score=False)
    assert [f for f in result.findings if f.rule == "BRAND-VENDOR"] == []


def test_vendor_as_certifying_party_belongs_to_the_certification_finding(bundled_rules):
    result = lint_text(
        "The bidder must be an authorised reseller of Microsoft in the country.",
        language="en",
        ruleset=bundled_rules,
        score=False,
    )
    assert {f.category for f in result.findings} == {"vendor_certification"}


def _doc(*blocks: tuple[str, str | None, str]) -> Document:
    """Blocks as (text, heading path, kind)."""
    return Document(
        path="t.txt",
        format="txt",
        blocks=[Block(t, Location(paragraph=i + 1, heading=h), kind=k) for i, (t, h, k) in enumerate(blocks)],
    )


def _roles(result, match: str) -> list[tuple[str | None, str]]:
    return [(f.role, f.role_reason) for f in result.findings if f.match == match and f.rule == "BRAND-PRODUCT"]


SENTENCE = {
    "en": "Accounting and budgeting are handled in SAP S/4HANA.",
    "es": "La contabilidad y el presupuesto se llevan en SAP S/4HANA.",
    "pt": "A contabilidade e o orçamento são feitos no SAP S/4HANA.",
    "fr": "La comptabilité et le budget sont tenus dans SAP S/4HANA.",
}


@pytest.mark.parametrize(
    "lang,background,requirements",
    [
        ("en", "Current environment", "Technical requirements"),
        ("es", "Situación actual", "Requisitos técnicos"),
        ("pt", "Situação atual", "Especificações técnicas"),
        ("fr", "Contexte", "Exigences techniques"),
    ],
)
def test_a_background_heading_decides_a_requirements_heading_does_not(bundled_rules, lang, background, requirements):
    """The same sentence is the existing environment under a background heading; under a requirements
    heading it stays undecided (a warning to check): a heading says where a clause sits, not what a
    product named there is doing (role_audit.py measured it wrong as often as right)."""
    doc = _doc(
        (background, None, "heading"),
        (SENTENCE[lang], f"2 {background}", "paragraph"),
        (requirements, None, "heading"),
        (SENTENCE[lang], f"3 {requirements}", "paragraph"),
    )
    result = lint_document(doc, language=lang, ruleset=bundled_rules, score=False)
    (before,) = [f for f in result.findings if f.block_index == 1 and f.rule == "BRAND-PRODUCT"]
    (after,) = [f for f in result.findings if f.block_index == 3 and f.rule == "BRAND-PRODUCT"]
    assert (before.role, before.severity) == ("existing", "info")
    assert before.role_reason == f'section "2 {background}"'
    assert (after.role, after.severity, after.role_reason) == ("required", "warning", UNDECIDED)


def test_numbered_and_capitalised_headings_in_plain_text(bundled_rules):
    text = (
        "1. ANTECEDENTES\n\nLa contabilidad y el presupuesto se llevan en SAP S/4HANA.\n\n"
        "2. REQUISITOS TÉCNICOS\n\nLa contabilidad y el presupuesto se llevan en SAP S/4HANA.\n"
    )
    result = lint_text(text, language="es", ruleset=bundled_rules, score=False)
    assert [r for r, _ in _roles(result, "SAP S/4HANA")] == ["existing", "required"]
    assert _roles(result, "SAP S/4HANA")[0][1] == 'section "1. ANTECEDENTES"'


def test_markdown_headings_and_an_inline_label(bundled_rules):
    text = (
        "# Terms of reference\n\n## Background\n\nAccounting and budgeting are handled in SAP S/4HANA.\n\n"
        "## Scope of work\n\nBackground: accounting and budgeting are handled in SAP S/4HANA.\n"
    )
    result = lint_text(text, language="en", ruleset=bundled_rules, markdown=True, score=False)
    roles = _roles(result, "SAP S/4HANA")
    assert [r for r, _ in roles] == ["existing", "existing"]
    assert roles[1][1] == 'section "Background"'  # the label, not the enclosing "Scope of work"


def test_a_list_introduced_as_excluded(bundled_rules):
    text = "The following products are excluded from this tender:\n\n- Adobe Flash\n- Microsoft Silverlight\n"
    result = lint_text(text, language="en", ruleset=bundled_rules, markdown=True, score=False)
    roles = {(f.match, f.role) for f in result.findings if f.rule == "TECH-PLATFORM"}
    assert roles == {("Adobe Flash", "excluded"), ("Microsoft Silverlight", "excluded")}


def test_a_clause_cue_wins_over_the_section(bundled_rules):
    doc = _doc(("The new portal shall run on Microsoft Azure.", "1 Background", "paragraph"))
    result = lint_document(doc, language="en", ruleset=bundled_rules, score=False)
    assert [(f.role, f.severity) for f in result.findings if f.rule == "BRAND-PRODUCT"] == [("required", "error")]


@pytest.mark.parametrize(
    "lang,blocks",
    [
        (
            "en",
            [
                ("Terms of reference", None, "heading"),
                ("1. Object", None, "paragraph"),
                ("Dell R760, 40 units, with three years of on-site support.", None, "paragraph"),
            ],
        ),
        (
            "es",
            [
                ("Pliego de condiciones", None, "heading"),
                ("Objeto: Dell R760, 40 unidades, con tres años de soporte en sitio.", None, "paragraph"),
            ],
        ),
        (
            "pt",
            [
                ("Termo de referência", None, "heading"),
                ("Do objeto", None, "heading"),
                ("Dell R760, 40 unidades, com três anos de suporte no local.", "Do objeto", "paragraph"),
            ],
        ),
        (
            "fr",
            [
                ("Cahier des charges", None, "heading"),
                (
                    "Le présent marché a pour objet 40 unités Dell R760 avec trois ans de support sur site.",
                    None,
                    "paragraph",
                ),
            ],
        ),
    ],
)
def test_a_vendor_in_the_stated_object_is_the_object(bundled_rules, lang, blocks):
    result = lint_document(_doc(*blocks), language=lang, ruleset=bundled_rules, score=False)
    vendor = [f for f in result.findings if f.rule == "BRAND-VENDOR"]
    assert [(f.match, f.role, f.severity) for f in vendor] == [("Dell", "object", "error")]
    assert vendor[0].role_reason.startswith("stated object")


def test_the_title_states_the_object(bundled_rules):
    doc = _doc(
        ("Dell R760 for the regional data centres", None, "heading"),
        ("Delivery is expected within ninety days of signature.", None, "paragraph"),
    )
    result = lint_document(doc, language="en", ruleset=bundled_rules, score=False)
    assert [(f.rule, f.role) for f in result.findings if f.rule == "BRAND-VENDOR"] == [("BRAND-VENDOR", "object")]


def test_a_product_of_the_stated_vendor_is_the_object_elsewhere(bundled_rules):
    doc = _doc(
        ("Object: renewal of the Esri subscription of the cartography unit.", None, "paragraph"),
        ("Analysts publish maps to ArcGIS Online every week.", None, "paragraph"),
    )
    result = lint_document(doc, language="en", ruleset=bundled_rules, score=False)
    arcgis = [f for f in result.findings if f.match == "ArcGIS Online"]
    assert [(f.role, f.severity) for f in arcgis] == [("object", "error")]
    assert "Esri" in arcgis[0].role_reason


def _copy_rules(tmp_path: Path, edit: tuple[str, str]) -> Path:
    import shutil

    root = Path(__file__).resolve().parent.parent / "lint_rules"
    dest = Path(shutil.copytree(root, tmp_path / "rules"))
    roles = dest / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    assert edit[0] in text
    roles.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    return dest


def test_what_a_role_reports_is_data(tmp_path):
    """roles.yaml decides each role's outcome: here `existing` is told to report nothing."""
    text = "Data will be migrated from the Lotus Notes databases that the Agency uses today."
    bundled = lint_text(text, language="en", score=False)
    assert [f.role for f in bundled.findings if f.match == "Lotus Notes"] == ["existing"]
    folder = _copy_rules(
        tmp_path,
        ("  existing:\n    outcome: info\n", "  existing:\n    outcome: none\n"),
    )
    quiet = lint_text(text, language="en", ruleset=load_ruleset(folder), score=False)
    assert [f for f in quiet.findings if f.match == "Lotus Notes"] == []


def test_role_cues_are_data(tmp_path):
    """A cue added to roles.yaml changes the decision without touching code."""
    text = "Dashboards will be built with Microsoft Power BI, as agreed at the steering meeting."
    assert [f.role for f in lint_text(text, language="en", score=False).findings if f.rule == "BRAND-PRODUCT"] == [
        "required"
    ]
    folder = _copy_rules(
        tmp_path,
        (
            "          en: ['(?:\\b(?:such as|for example|",
            "          en: ['\\bas agreed\\b', '(?:\\b(?:such as|for example|",
        ),
    )
    folder_roles = (folder / "roles.yaml").read_text(encoding="utf-8")
    assert "as agreed" in folder_roles
    folder_text = folder_roles.replace("        scope: before\n        window: 80\n", "        scope: sentence\n", 1)
    (folder / "roles.yaml").write_text(folder_text, encoding="utf-8")
    changed = lint_text(text, language="en", ruleset=load_ruleset(folder), score=False)
    assert [(f.role, f.role_reason) for f in changed.findings if f.rule == "BRAND-PRODUCT"] == [
        ("example", '"as agreed"')
    ]


def test_json_output_carries_role_and_reason(tmp_path):
    tender = tmp_path / "tender.txt"
    tender.write_text(
        "The case management system shall be deployed on Microsoft SharePoint Server.\n\n"
        "Progress meetings will be held on Zoom Meetings.\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["lint", str(tender), "--format", "json", "--lang", "en"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    findings = [f for file in data["files"] for f in file["findings"]]
    by_match = {(f["match"], f["rule"]): f for f in findings}
    required = by_match[("Microsoft SharePoint Server", "BRAND-PRODUCT")]
    assert (required["role"], required["severity"]) == ("required", "error")
    assert "shall be deployed on" in required["role_reason"]
    procedural = by_match[("Zoom Meetings", "BRAND-PRODUCT")]
    assert (procedural["role"], procedural["severity"]) == ("procedural", "info")
    assert "meetings will be held on" in procedural["role_reason"]


@pytest.mark.parametrize(
    "lang,text,role",
    [
        ("en", "The current case-management platform is built on Oracle WebLogic Server.", "existing"),
        ("en", "The current platform shall be replaced by a new one built on Oracle WebLogic Server.", "required"),
        ("en", "Data shall be migrated from the legacy system to Oracle WebLogic Server.", "required"),
        ("en", "The new portal shall replace the paper process and run on Oracle WebLogic Server.", "required"),
        ("es", "La plataforma actual de la entidad se basa en Oracle WebLogic Server.", "existing"),
        ("es", "La plataforma actual será reemplazada por una nueva basada en Oracle WebLogic Server.", "required"),
        ("pt", "A plataforma atual do órgão é baseada em Oracle WebLogic Server.", "existing"),
        ("pt", "O sistema deverá ser compatível com o Oracle WebLogic Server já existente.", "existing"),
        ("pt", "Os dados serão migrados para o Oracle WebLogic Server.", "required"),
        ("fr", "La plateforme actuelle de la collectivité repose sur Oracle WebLogic Server.", "existing"),
        ("fr", "Les données seront migrées vers Oracle WebLogic Server.", "required"),
    ],
)
def test_a_context_cue_counts_only_when_it_governs_the_mention(bundled_rules, lang, text, role):
    """ "Migrate from A to B", "replace A and run on B": B is what is required."""
    result = lint_text(text, language=lang, ruleset=bundled_rules, score=False)
    assert [f.role for f in result.findings if f.rule == "BRAND-PRODUCT"] == [role], [
        (f.role, f.role_reason) for f in result.findings
    ]


def test_an_unless_condition_is_stated_once_and_named(tmp_path):
    """Cue groups name their `unless:` condition; a shared one is one check, an unknown name is an
    error naming the file and line."""
    model = load_ruleset().roles
    shared = [g.unless for g in model.groups() if g.unless is not None and g.unless.name == "condition bought_before"]
    assert len(shared) >= 2 and all(u is shared[0] for u in shared)
    folder = _copy_rules(tmp_path, ("        unless: bought_before\n", "        unless: bougth_before\n"))
    with pytest.raises(DataError) as err:
        load_ruleset(folder)
    assert "roles.yaml:" in str(err.value) and "unknown condition 'bougth_before'" in str(err.value)
