"""Role decisions of the seventh round (issue 9, item 2): cues narrowed or left undecided after the
cue audit (benchmarks/role_audit.py), and the installed base described in plain prose.

- Negation traps: "no later than", "not limited to", "not only", "sin limitarse a", "ne ... que"
  ("only") do not negate the product named after them.
- A bare verb of use ("using X", "uses X") decides nothing; the offer or the bidder using it, or an
  imperative, still imposes it. "utilisateurs" and "utilizadores" (users) are no verb of use.
- A requirements heading does not decide a role: the mention stays undecided (a warning).
- A list of platforms the solution is installed, deployed or hosted on is no example (each
  proprietary one is required, docs/labelling.md); a list it supports stays a compatibility floor.
- The installed base in prose: the buyer's users or machines having or using a product, a buyer
  that has invested in it, an architecture that consists primarily of it, a product presently
  licensed; "X-based" alone is no purchase.

Every sentence was written for these tests from the general language of procurement; none is
taken from a real tender or from the corpus."""

from __future__ import annotations

import pytest
from rolecheck import assert_brand_role, brand_findings

from ospo_procure.lint import lint_document, lint_text
from ospo_procure.model import Block, Document, Location
from ospo_procure.roles import UNDECIDED


@pytest.mark.parametrize(
    "lang,text,match,role,reason",
    [
        (
            "en",
            "The contractor shall deliver, no later than the go-live date, Microsoft SQL Server.",
            "Microsoft SQL Server",
            "required",
            "shall",
        ),
        (
            "en",
            "The services include, but are not limited to, support of Oracle Database 19c.",
            "Oracle Database 19c",
            "object",
            "support of",
        ),
        (
            "es",
            "Los servicios incluyen, sin limitarse a ello, el soporte de Oracle Database 19c.",
            "Oracle Database 19c",
            "object",
            "soporte de",
        ),
        (
            "pt",
            "Os serviços incluem, não se limitando a eles, o suporte do Oracle Database 19c.",
            "Oracle Database 19c",
            "object",
            "suporte do",
        ),
        (
            "fr",
            "La solution ne doit fonctionner que sous Microsoft Windows Server.",
            "Microsoft Windows Server",
            "required",
            "doit",
        ),
        (
            "fr",
            "Le logiciel ne sera livré que sur Microsoft Windows Server.",
            "Microsoft Windows Server",
            "required",
            "sera",
        ),
        # a real negation still negates
        ("en", "The portal shall not depend on Microsoft SharePoint Server.", "Microsoft SharePoint Server", None, ""),
        (
            "fr",
            "La solution ne doit pas dépendre de Microsoft SharePoint Server.",
            "Microsoft SharePoint Server",
            None,
            "",
        ),
    ],
)
def test_negation_traps_do_not_negate(bundled_rules, lang, text, match, role, reason):
    assert_brand_role(bundled_rules, lang, text, match, role, reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        ("en", "The finance unit prepares the budget using Microsoft Excel.", "Microsoft Excel"),
        ("es", "Los informes se elaboran utilizando Microsoft Excel.", "Microsoft Excel"),
        ("pt", "Os relatórios são elaborados usando o Microsoft Excel.", "Microsoft Excel"),
        ("fr", "Les rapports sont produits en utilisant Microsoft Excel.", "Microsoft Excel"),
    ],
)
def test_a_bare_verb_of_use_leaves_the_mention_undecided(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert (hits[0].role, hits[0].severity, hits[0].role_reason) == ("required", "warning", UNDECIDED)


@pytest.mark.parametrize(
    "lang,text,match,reason",
    [
        (
            "en",
            "The bidder uses Microsoft SQL Server for the reporting database.",
            "Microsoft SQL Server",
            "bidder uses",
        ),
        (
            "es",
            "El contratista utiliza Microsoft SQL Server para la base de informes.",
            "Microsoft SQL Server",
            "contratista utiliza",
        ),
        (
            "pt",
            "A solução proposta utiliza o Microsoft SQL Server como banco de relatórios.",
            "Microsoft SQL Server",
            "proposta utiliza",
        ),
        (
            "fr",
            "Le titulaire utilise Microsoft SQL Server pour la base de restitution.",
            "Microsoft SQL Server",
            "titulaire utilise",
        ),
    ],
)
def test_the_offer_using_a_product_imposes_it(bundled_rules, lang, text, match, reason):
    assert_brand_role(bundled_rules, lang, text, match, "required", reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        (
            "fr",
            "Les utilisateurs du service reçoivent Microsoft Outlook 2016 sur leur poste.",
            "Microsoft Outlook 2016",
        ),
        ("pt", "Os utilizadores do serviço recebem o Microsoft Outlook 2016 no seu posto.", "Microsoft Outlook 2016"),
    ],
)
def test_the_noun_for_users_is_no_verb_of_use(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].severity != "error", (hits[0].role, hits[0].role_reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        (
            "en",
            "The reporting module shall be installed on Red Hat Enterprise Linux, Microsoft Windows Server and IBM AIX.",
            "Microsoft Windows Server",
        ),
        (
            "es",
            "El módulo deberá instalarse en Red Hat Enterprise Linux, Microsoft Windows Server e IBM AIX.",
            "Microsoft Windows Server",
        ),
        (
            "pt",
            "O módulo deverá ser instalado em Red Hat Enterprise Linux, Microsoft Windows Server e IBM AIX.",
            "Microsoft Windows Server",
        ),
        (
            "fr",
            "Le module devra être installé sur Red Hat Enterprise Linux, Microsoft Windows Server et IBM AIX.",
            "Microsoft Windows Server",
        ),
    ],
)
def test_platforms_the_solution_is_installed_on_are_no_example(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].role == "required" and hits[0].severity == "error", (hits[0].role, hits[0].role_reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        ("en", "The printers shall support Linux, Microsoft Windows 11 and macOS clients.", "Microsoft Windows 11"),
        ("pt", "As impressoras deverão suportar clientes Linux, Microsoft Windows 11 e macOS.", "Microsoft Windows 11"),
    ],
)
def test_platforms_the_solution_supports_stay_a_floor(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].severity == "info", (hits[0].role, hits[0].role_reason)


@pytest.mark.parametrize(
    "lang,heading,sentence,match",
    [
        ("en", "Scope of work", "The finance unit prepares the budget using Microsoft Excel.", "Microsoft Excel"),
        (
            "es",
            "Requisitos técnicos",
            "La unidad financiera prepara el presupuesto con Microsoft Excel.",
            "Microsoft Excel",
        ),
    ],
)
def test_a_requirements_heading_does_not_decide(bundled_rules, lang, heading, sentence, match):
    doc = Document(
        path="t.txt",
        format="txt",
        blocks=[
            Block(heading, Location(paragraph=1), kind="heading"),
            Block(sentence, Location(paragraph=2, heading=heading), kind="paragraph"),
        ],
    )
    result = lint_document(doc, language=lang, ruleset=bundled_rules, score=False)
    hits = [f for f in result.findings if f.match == match and f.category == "brand"]
    assert hits and hits[0].severity == "warning", [(f.match, f.role, f.role_reason) for f in result.findings]
    assert hits[0].role_reason == UNDECIDED


@pytest.mark.parametrize(
    "lang,text,match,reason",
    [
        (
            "en",
            "All end users of the Ministry have Microsoft Office 2016 on their desktops.",
            "Microsoft Office 2016",
            "users of the Ministry have",
        ),
        (
            "en",
            "The workstations of the finance unit run Microsoft Windows 10.",
            "Microsoft Windows 10",
            "workstations of the finance unit run",
        ),
        ("es", "Los usuarios de la entidad disponen de Microsoft Office 2016.", "Microsoft Office 2016", "disponen de"),
        ("pt", "Os usuários do órgão contam com o Microsoft Office 2016.", "Microsoft Office 2016", "contam com"),
        (
            "fr",
            "Les agents de la direction disposent de Microsoft Office 2016.",
            "Microsoft Office 2016",
            "disposent de",
        ),
        ("en", "The Authority has invested in ServiceNow for its service desk.", "ServiceNow", "has invested in"),
        ("es", "La agencia ha invertido en ServiceNow para su mesa de ayuda.", "ServiceNow", "invertido en"),
        ("pt", "O tribunal investiu em ServiceNow para a sua central de serviços.", "ServiceNow", "investiu em"),
        ("fr", "La collectivité a investi dans ServiceNow pour son centre de services.", "ServiceNow", "investi dans"),
        (
            "en",
            "The agency's architecture consists primarily of Windows Server hosts.",
            "Windows Server",
            "consists primarily of",
        ),
        (
            "es",
            "La infraestructura actual consta principalmente de servidores Windows Server.",
            "Windows Server",
            "consta principalmente de",
        ),
        (
            "pt",
            "A infraestrutura atual é composta principalmente por servidores Windows Server.",
            "Windows Server",
            "principalmente por servidores",
        ),
        (
            "fr",
            "L'infrastructure actuelle se compose principalement de serveurs Windows Server.",
            "Windows Server",
            "principalement de serveurs",
        ),
        (
            "en",
            "Oracle Database 19c, presently licensed for two processors, holds the case files.",
            "Oracle Database 19c",
            "presently licensed",
        ),
    ],
)
def test_the_installed_base_in_prose_is_existing(bundled_rules, lang, text, match, reason):
    assert_brand_role(bundled_rules, lang, text, match, "existing", reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        ("en", "Users must have Microsoft Office 2016 installed.", "Microsoft Office 2016"),
        ("es", "Los usuarios deberán disponer de Microsoft Office 2016.", "Microsoft Office 2016"),
        ("pt", "Os usuários deverão contar com o Microsoft Office 2016.", "Microsoft Office 2016"),
        ("fr", "Les utilisateurs devront disposer de Microsoft Office 2016.", "Microsoft Office 2016"),
        ("en", "The new architecture consists primarily of Windows Server hosts.", "Windows Server"),
    ],
)
def test_what_users_must_have_is_no_installed_base(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].role == "required", (hits[0].role, hits[0].role_reason)


def test_a_product_based_front_end_is_no_purchase(bundled_rules):
    hits, found = brand_findings(
        "The permit application has a PowerBuilder-based front end installed on each desktop.",
        "en",
        bundled_rules,
        "PowerBuilder",
    )
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].role != "object" and hits[0].severity != "error", (hits[0].role, hits[0].role_reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        (
            "en",
            "In 2016, the Council entered into a three-year agreement to license Microsoft Dynamics 365.",
            "Microsoft Dynamics 365",
        ),
        (
            "es",
            "En 2016, la entidad suscribió un convenio de tres años para licenciar Microsoft Dynamics 365.",
            "Microsoft Dynamics 365",
        ),
        (
            "pt",
            "Em 2016, o órgão assinou um contrato de três anos para licenciar o Microsoft Dynamics 365.",
            "Microsoft Dynamics 365",
        ),
        (
            "fr",
            "En 2016, la collectivité a signé un contrat de trois ans pour Microsoft Dynamics 365.",
            "Microsoft Dynamics 365",
        ),
    ],
)
def test_a_contract_entered_into_in_a_past_year_is_history(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert (hits[0].role, hits[0].severity) == ("history", "info"), hits[0].role_reason


def test_a_clause_title_in_a_list_of_clauses_is_commentary(bundled_rules):
    text = "(14) 52.219-4, Notice of Price Evaluation Preference for HUBZone Small Business Concerns or Sole Source Award (JAN 2024)."
    found = [f for f in lint_text(text, language="en", ruleset=bundled_rules, score=False).findings]
    sole = [f for f in found if f.category == "sole_source"]
    assert sole, [(f.rule, f.match) for f in found]
    assert all(f.severity != "error" for f in sole), [(f.match, f.role, f.role_reason) for f in sole]
    # a sole-source statement of this tender is still reported
    statement = "The Agency intends to award a sole source contract to the vendor under FAR 6.302-1."
    found = lint_text(statement, language="en", ruleset=bundled_rules, score=False).findings
    assert any(f.category == "sole_source" and f.severity == "error" for f in found), [(f.match, f.role) for f in found]


@pytest.mark.parametrize(
    "lang,text,match,reason",
    [
        ("en", "Minutes are circulated in Microsoft Word 2016 or compatible.", "Microsoft Word 2016", "or compatible"),
        ("es", "Las actas se distribuyen en Microsoft Word 2016 o compatible.", "Microsoft Word 2016", "o compatible"),
        (
            "pt",
            "As atas são distribuídas em Microsoft Word 2016 ou compatível.",
            "Microsoft Word 2016",
            "ou compatível",
        ),
        (
            "fr",
            "Les comptes rendus sont diffusés sous Microsoft Word 2016 ou compatible.",
            "Microsoft Word 2016",
            "ou compatible",
        ),
        ("en", "Attach the supporting tables in Microsoft Excel and PDF format.", "Microsoft Excel", "PDF"),
        ("es", "Adjunte las tablas de soporte en Microsoft Excel y PDF.", "Microsoft Excel", "PDF"),
    ],
)
def test_or_compatible_and_a_list_with_an_open_format_are_examples(bundled_rules, lang, text, match, reason):
    assert_brand_role(bundled_rules, lang, text, match, "example", reason)


@pytest.mark.parametrize(
    "text",
    [
        "Project/Service: Network Assessment",
        "Project success depends on close cooperation with the Registry.",
        "Project deliverables are listed in Annex B.",
        "Requests are logged by the Sheriff's Office and the Assessor's Office.",
    ],
)
def test_ordinary_words_are_no_products(bundled_rules, text):
    found = [
        f for f in lint_text(text, language="en", ruleset=bundled_rules, score=False).findings if f.category == "brand"
    ]
    assert found == [], [(f.match, f.role) for f in found]


def test_the_product_named_project_is_still_found(bundled_rules):
    found = lint_text(
        "The contractor shall deliver the plan in Microsoft Project.", language="en", ruleset=bundled_rules
    )
    assert [(f.match, f.severity) for f in found.findings if f.category == "brand"] == [("Microsoft Project", "error")]


@pytest.mark.parametrize(
    "lang,text,vendor",
    [
        ("en", "Replacement batteries for laptops of brand Dell, model Latitude 5420.", "Dell"),
        ("es", "Batería para computadora portátil marca Dell modelo Latitude 5420.", "Dell"),
        ("pt", "Bateria para notebook marca Dell modelo Latitude 5420.", "Dell"),
        ("fr", "Batterie pour ordinateur portable de marque Dell modèle Latitude 5420.", "Dell"),
        ("en", "The 120 desktops of brand Dell purchased in 2012 reach the end of their warranty.", "Dell"),
        ("es", "Los 120 equipos marca Dell adquiridos en 2012 concluyen su garantía.", "Dell"),
        ("pt", "Os 120 microcomputadores marca Dell adquiridos em 2012 concluem sua garantia.", "Dell"),
        ("fr", "Les 120 postes de marque Dell acquis en 2012 arrivent en fin de garantie.", "Dell"),
    ],
)
def test_spare_parts_and_equipment_bought_in_a_past_year_are_no_requirement(bundled_rules, lang, text, vendor):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    assert not [f for f in found if f.match == vendor and f.severity == "error"], [(f.match, f.role) for f in found]


@pytest.mark.parametrize(
    "lang,text,vendor",
    [
        ("es", "Adquisición de 50 computadoras portátiles marca Dell.", "Dell"),
        ("pt", "Aquisição de 50 microcomputadores da marca Dell.", "Dell"),
    ],
)
def test_a_brand_bought_now_is_still_reported(bundled_rules, lang, text, vendor):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    assert [f for f in found if f.match == vendor and f.severity == "error"], [(f.match, f.role) for f in found]


def test_the_trace_names_the_cue_group_that_decided(bundled_rules):
    """What benchmarks/role_audit.py counts: each candidate's decision names its path, a cue group
    with its line in roles.yaml, or the step that decided."""
    text = "Data will be migrated from Lotus Notes. Reports use Microsoft Excel."
    trace: list = []
    lint_text(text, language="en", ruleset=bundled_rules, score=False, role_trace=trace)
    paths = {text[c.start : c.end]: d.path for _, c, d in trace if c.rule.category == "brand"}
    assert paths["Lotus Notes"].startswith("role existing cue ") and "(line " in paths["Lotus Notes"], paths
    assert paths["Microsoft Excel"] == "undecided", paths


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Procurement method: X Request for Proposals __ Sole Source Procurement __ Request for Quotes"),
        ("es", "Procedimiento: ☐ Contratación directa ☒ Licitación pública"),
        ("pt", "Modalidade: [ ] Inexigibilidade de licitação [X] Pregão eletrônico"),
    ],
)
def test_an_unchecked_option_is_negated(bundled_rules, lang, text):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    assert not [f for f in found if f.category == "sole_source"], [(f.match, f.role, f.role_reason) for f in found]


@pytest.mark.parametrize(
    "lang,text,match",
    [
        ("en", "The Contractor shall use Slack as the primary tool for project-related communication.", "Slack"),
        ("es", "El contratista usará Slack como herramienta principal para la comunicación del proyecto.", "Slack"),
    ],
)
def test_a_tool_for_project_communication_is_a_channel(bundled_rules, lang, text, match):
    assert_brand_role(
        bundled_rules, lang, text, match, "procedural", "communication" if lang == "en" else "comunicación"
    )
