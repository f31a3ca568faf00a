"""Role decisions of the fourth round (issue 9 item 2: the role stage on text it has never seen).

Mentions that are not lock-in in long documents and question-and-answer amendments: a bidder's
question ("Would the agency consider X?"), things of a kind named "like X", a form or repository
named as the text of a link, the project's backlog or user stories kept in a tool, a tool the
buyer furnishes, a contract the buyer signed in the past and what it covered, "currently" before
a list, a list introduced as the buyer's technology standards, what is found in the buyer's
network, a permission to offer or use a product, a track record ("has proven reliable"), what a
purchase replaces (it keeps its role where the stated object buys the same vendor), past
purchases dated "in the year 2019", and a platform named beside an open format.

One sentence per cue and language, written for these tests from the general language of
procurement; none is taken from a real tender or from the corpus."""

from __future__ import annotations

import pytest
from rolecheck import assert_brand_role, brand_findings

from ospo_procure.lint import lint_text

# (language, text, matched text, role (None: nothing reported), words of the role reason)
CLAUSES = [
    # a bidder's question asks, it does not require
    (
        "en",
        "Q12: Would the agency accept Microsoft SQL Server for the reporting database?",
        "Microsoft SQL Server",
        "example",
        "would the agency accept",
    ),
    (
        "es",
        "Pregunta 4: ¿La entidad aceptaría Microsoft SQL Server como base de datos?",
        "Microsoft SQL Server",
        "example",
        "¿la entidad aceptaría",
    ),
    (
        "pt",
        "Pergunta 4: O órgão aceitará o Microsoft SQL Server como banco de dados?",
        "Microsoft SQL Server",
        "example",
        "aceitará",
    ),
    (
        "fr",
        "Question 4 : l'acheteur accepterait-il Microsoft SQL Server comme base de données ?",
        "Microsoft SQL Server",
        "example",
        "question 4",
    ),
    # things of a kind named "like X"
    (
        "en",
        "The reporting layer should read from relational databases like Microsoft SQL Server and DB2.",
        "Microsoft SQL Server",
        "example",
        "databases like",
    ),
    # the project's backlog kept in a tool, a tool the buyer furnishes
    (
        "en",
        "User stories and the sprint backlog will be kept in Jira.",
        "Jira",
        "procedural",
        "backlog will be kept in",
    ),
    (
        "es",
        "Las historias de usuario se registrarán en Jira.",
        "Jira",
        "procedural",
        "historias de usuario se registrarán en",
    ),
    (
        "pt",
        "As histórias de usuário serão registradas no Jira.",
        "Jira",
        "procedural",
        "histórias de usuário serão registradas no",
    ),
    (
        "fr",
        "Les récits utilisateurs seront consignés dans Jira.",
        "Jira",
        "procedural",
        "récits utilisateurs seront consignés dans",
    ),
    (
        "en",
        "Test results go to Jira Software, a tracking tool that will be provided by the Commission.",
        "Jira Software",
        "existing",
        "provided by the commission",
    ),
    # a contract the buyer signed in the past and what it covered
    (
        "en",
        "The council signed an enterprise agreement which included Microsoft Dynamics 365 subscriptions.",
        "Microsoft Dynamics 365",
        "history",
        "signed",
    ),
    (
        "es",
        "La municipalidad suscribió un contrato corporativo, el cual incluye suscripciones de Microsoft Dynamics 365.",
        "Microsoft Dynamics 365",
        "history",
        "suscribió un contrato",
    ),
    (
        "pt",
        "A prefeitura firmou um contrato corporativo que incluía assinaturas do Microsoft Dynamics 365.",
        "Microsoft Dynamics 365",
        "history",
        "firmou um contrato corporativo",
    ),
    (
        "fr",
        "La commune a signé un contrat cadre qui incluait des abonnements Microsoft Dynamics 365.",
        "Microsoft Dynamics 365",
        "history",
        "a signé un contrat cadre",
    ),
    # "currently" reaches the end of a list
    (
        "en",
        "Inspectors currently record visits on paper forms, in shared spreadsheets and in FileMaker Pro.",
        "FileMaker Pro",
        "existing",
        "currently",
    ),
    (
        "es",
        "Actualmente los inspectores registran las visitas en papel, en hojas compartidas y en FileMaker Pro.",
        "FileMaker Pro",
        "existing",
        "actualmente",
    ),
    (
        "pt",
        "Atualmente os fiscais registram as visitas em papel, em planilhas compartilhadas e no FileMaker Pro.",
        "FileMaker Pro",
        "existing",
        "atualmente",
    ),
    (
        "fr",
        "Actuellement les inspecteurs consignent les visites sur papier, dans des tableurs partagés et dans FileMaker Pro.",
        "FileMaker Pro",
        "existing",
        "actuellement",
    ),
    # a list introduced as the buyer's own technology standards
    (
        "en",
        "The County's enterprise technology standards are:\n\n- Microsoft SQL Server\n- VMware vSphere",
        "VMware vSphere",
        "existing",
        "standards are:",
    ),
    (
        "es",
        "Estándares tecnológicos institucionales:\n\n- Microsoft SQL Server\n- VMware vSphere",
        "VMware vSphere",
        "existing",
        "estándares tecnológicos institucionales",
    ),
    (
        "pt",
        "Padrões tecnológicos do órgão:\n\n- Microsoft SQL Server\n- VMware vSphere",
        "VMware vSphere",
        "existing",
        "padrões tecnológicos",
    ),
    (
        "fr",
        "Normes techniques internes :\n\n- Microsoft SQL Server\n- VMware vSphere",
        "VMware vSphere",
        "existing",
        "normes techniques internes",
    ),
    # found in the buyer's network
    (
        "en",
        "Device licences are counted for the Windows Server hosts found within the agency network.",
        "Windows Server",
        "existing",
        "found within the agency network",
    ),
    (
        "es",
        "Los agentes se instalarán en los servidores Windows Server ubicados en la red de la entidad.",
        "Windows Server",
        "existing",
        "ubicados en la red",
    ),
    (
        "pt",
        "O antivírus cobre os servidores Windows Server localizados na rede do órgão.",
        "Windows Server",
        "existing",
        "localizados na rede",
    ),
    (
        "fr",
        "Les agents seront installés sur les serveurs Windows Server installés dans le réseau de la collectivité.",
        "Windows Server",
        "existing",
        "installés dans le réseau",
    ),
    # a track record
    ("en", "Oracle Database has proven stable over ten years of operation.", "Oracle Database", "existing", "proven"),
    ("es", "Oracle Database ha demostrado estabilidad durante diez años.", "Oracle Database", "existing", "demostrado"),
    ("pt", "O Oracle Database tem se mostrado estável ao longo dos anos.", "Oracle Database", "existing", "mostrado"),
    ("fr", "Oracle Database a fait ses preuves depuis dix ans.", "Oracle Database", "existing", "fait ses preuves"),
    # a permission to offer or use names one acceptable option
    (
        "en",
        "Offerors may propose Microsoft SQL Server as the database.",
        "Microsoft SQL Server",
        "example",
        "may propose",
    ),
    (
        "es",
        "Los oferentes podrán ofertar Microsoft SQL Server como base de datos.",
        "Microsoft SQL Server",
        "example",
        "podrán ofertar",
    ),
    (
        "pt",
        "Os licitantes poderão ofertar o Microsoft SQL Server como banco de dados.",
        "Microsoft SQL Server",
        "example",
        "poderão ofertar",
    ),
    (
        "fr",
        "Les candidats pourront proposer Microsoft SQL Server comme base de données.",
        "Microsoft SQL Server",
        "example",
        "pourront proposer",
    ),
    # a past purchase dated "in the year ..."
    (
        "en",
        "In the year 2019 the agency purchased Microsoft Dynamics 365 subscriptions.",
        "Microsoft Dynamics 365",
        "history",
        "in the year 2019",
    ),
    (
        "es",
        "Durante el año 2019 la entidad adquirió suscripciones de Microsoft Dynamics 365.",
        "Microsoft Dynamics 365",
        "history",
        "durante el año 2019",
    ),
    (
        "pt",
        "No ano de 2019, o tribunal contratou assinaturas do Microsoft Dynamics 365.",
        "Microsoft Dynamics 365",
        "history",
        "no ano de 2019",
    ),
    (
        "fr",
        "Au cours de l'année 2019, la collectivité a acquis des abonnements Microsoft Dynamics 365.",
        "Microsoft Dynamics 365",
        "history",
        "2019",
    ),
]


@pytest.mark.parametrize("lang,text,match,role,reason", CLAUSES)
def test_what_is_in_place_and_what_may_be_offered(bundled_rules, lang, text, match, role, reason):
    assert_brand_role(bundled_rules, lang, text, match, role, reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        # the offer or the solution described, a requirement, a permission that is taken back
        ("en", "The proposed solution uses Oracle Database 19c for storage.", "Oracle Database 19c"),
        ("en", "Offerors may be required to use Microsoft SQL Server.", "Microsoft SQL Server"),
        # an instruction: the verb opens the sentence
        ("en", "Use Microsoft SQL Server for the reporting database.", "Microsoft SQL Server"),
        ("en", "The work consists of extending the SAP S/4HANA solution to the regional offices.", "SAP S/4HANA"),
        ("en", "The renewal includes Microsoft 365 E3 subscriptions for all staff.", "Microsoft 365 E3"),
        ("es", "La solución ofertada utiliza Oracle Database 19c como base de datos.", "Oracle Database 19c"),
        ("pt", "A solução proposta utiliza o Oracle Database 19c como banco de dados.", "Oracle Database 19c"),
        ("fr", "La solution proposée utilise Oracle Database 19c comme base de données.", "Oracle Database 19c"),
        # standards the solution must comply with are required
        (
            "en",
            "The solution shall comply with the following enterprise standards:\n\n- Microsoft SQL Server",
            "Microsoft SQL Server",
        ),
    ],
)
def test_the_offer_and_requirements_stay_required(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].severity == "error", (hits[0].role, hits[0].role_reason)


@pytest.mark.parametrize(
    "lang,text,match,role",
    [
        # what the purchase replaces keeps its role although the object buys the same vendor
        (
            "en",
            "Object: renewal of Microsoft licences.\n\nThe new licences will replace the Windows Server 2008 servers.",
            "Windows Server 2008",
            "existing",
        ),
        (
            "fr",
            "Le présent marché a pour objet l'acquisition de licences Microsoft.\n\n"
            "Ces licences permettront de remplacer les serveurs Windows Server 2012.",
            "Windows Server 2012",
            "existing",
        ),
        # a move to a newer version of the product bought is what is bought
        (
            "es",
            "Objeto: suscripción de soporte de Oracle.\n\nMigración de Oracle WebLogic a la versión 14c.",
            "Oracle WebLogic",
            "object",
        ),
        (
            "pt",
            "Objeto: subscrição de suporte da Oracle.\n\nMigração do Oracle WebLogic para a versão 14c.",
            "Oracle WebLogic",
            "object",
        ),
    ],
)
def test_what_is_replaced_keeps_its_role_an_upgrade_is_bought(bundled_rules, lang, text, match, role):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].role == role, (hits[0].role, hits[0].role_reason)


def test_a_form_named_as_the_text_of_a_link_is_a_channel(bundled_rules):
    text = 'Price quotes are due on 3 March through the <a href="https://forms.example.org/q">Microsoft Forms</a> page.'
    hits, found = brand_findings(text, "en", bundled_rules, "Microsoft Forms")
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].role == "procedural", (hits[0].role, hits[0].role_reason)


def test_a_platform_beside_an_open_format_has_one_role_in_both_findings(bundled_rules):
    text = "The tool shall connect to data sources such as CSV files, XML feeds or Microsoft SQL Server."
    found = lint_text(text, language="en", ruleset=bundled_rules, score=False).findings
    roles = {(f.category, f.role) for f in found if f.match == "Microsoft SQL Server"}
    assert roles and all(
        severity == "info" for severity in {f.severity for f in found if f.match == "Microsoft SQL Server"}
    ), roles


@pytest.mark.parametrize(
    "lang,text,match",
    [
        ("en", "Oracle Database licences are specifically out of scope for this lot.", "Oracle Database"),
        ("en", "Oracle Database licences are outside the scope of this lot.", "Oracle Database"),
        (
            "es",
            "Las licencias de Oracle Database están expresamente fuera del alcance de este lote.",
            "Oracle Database",
        ),
        ("pt", "As licenças do Oracle Database estão expressamente fora do escopo deste lote.", "Oracle Database"),
        ("fr", "Les licences Oracle Database sont expressément hors du périmètre de ce lot.", "Oracle Database"),
    ],
)
def test_out_of_scope_with_an_adverb_is_excluded(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].role == "excluded", (hits[0].role, hits[0].role_reason)


def test_what_is_found_in_the_network_keeps_its_role_in_a_purchase_of_the_vendor(bundled_rules):
    text = (
        "Object: renewal of Microsoft licences.\n\n"
        "Client access licences are counted for the Windows Server hosts found within the agency network."
    )
    hits, found = brand_findings(text, "en", bundled_rules, "Windows Server")
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert hits[0].role == "existing", (hits[0].role, hits[0].role_reason)
