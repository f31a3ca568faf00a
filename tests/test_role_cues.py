"""Role cues added for issue 9 (brands that are not requirements, lock-in real tenders contain),
one test per cue and language, on sentences written for these tests from the general language of
procurement; none is taken from a real tender or from the development corpus."""

from __future__ import annotations

import pytest
from rolecheck import assert_brand_role

from ospo_procure.lint import lint_document, lint_text
from ospo_procure.model import Block, Document, Location


def _findings(text: str, lang: str, rules, rule: str | None = None):
    result = lint_text(text, language=lang, ruleset=rules, score=False)
    return [f for f in result.findings if rule is None or f.rule == rule]


def _doc(*blocks: tuple[str, str]) -> Document:
    """Blocks as (text, kind)."""
    return Document(
        path="t.txt",
        format="txt",
        blocks=[Block(t, Location(paragraph=i + 1), kind=k) for i, (t, k) in enumerate(blocks)],
    )


# (language, sentence, matched text, role, words of the role reason)
MENTION_CASES = [
    # a code-hosting service as the place of questions, pages, repositories and profiles
    (
        "en",
        "Questions about this solicitation must be posted as issues in the project's GitHub repository.",
        "GitHub",
        "procedural",
        "questions",
    ),
    (
        "en",
        "The evaluation panel may look at the GitHub profiles of the proposed developers.",
        "GitHub",
        "procedural",
        "profiles",
    ),
    (
        "es",
        "Las consultas se publicarán en el repositorio de GitHub del proyecto.",
        "GitHub",
        "procedural",
        "repositorio de",
    ),
    ("pt", "Os esclarecimentos serão registrados na página do GitHub do projeto.", "GitHub", "procedural", "página do"),
    ("fr", "Les questions seront déposées dans le dépôt GitHub du projet.", "GitHub", "procedural", "dépôt"),
    # the solicitation and its amendments published somewhere
    (
        "en",
        "The solicitation and any amendments will be published on the agency website and GitHub.",
        "GitHub",
        "procedural",
        "solicitation",
    ),
    # meetings: a conference held on a date via a tool, a link to join
    (
        "en",
        "A pre-bid conference will be held on 3 March at 10:00 via GoToMeeting for questions.",
        "GoToMeeting",
        "procedural",
        "via",
    ),
    ("en", "See the annex for the Zoom Meetings link and dial-in details.", "Zoom Meetings", "procedural", "link"),
    (
        "es",
        "Los oferentes podrán unirse a la sesión informativa por Microsoft Teams.",
        "Microsoft Teams",
        "procedural",
        "por",
    ),
    (
        "pt",
        "Os licitantes poderão participar da sessão pública via Microsoft Teams.",
        "Microsoft Teams",
        "procedural",
        "via",
    ),
    (
        "fr",
        "Les candidats pourront rejoindre la réunion d'information via Microsoft Teams.",
        "Microsoft Teams",
        "procedural",
        "via",
    ),
    # a form service as the channel of responses
    (
        "en",
        "Vendors shall complete the technical questionnaire in the attached Google Forms link.",
        "Google Forms",
        "procedural",
        "complete",
    ),
    (
        "es",
        "Los oferentes deberán completar el cuestionario en Google Forms.",
        "Google Forms",
        "procedural",
        "completar",
    ),
    (
        "pt",
        "Os licitantes deverão preencher o questionário no Google Forms.",
        "Google Forms",
        "procedural",
        "preencher",
    ),
    ("fr", "Les candidats devront remplir le questionnaire sur Google Forms.", "Google Forms", "procedural", "remplir"),
    # team tools used for the buyer's own work
    ("en", "The project team will use Trello for backlog management.", "Trello", "procedural", "backlog management"),
    ("es", "El equipo utilizará Trello para la gestión del proyecto.", "Trello", "procedural", "gestión del proyecto"),
    (
        "pt",
        "A equipe usará o Trello para acompanhamento de tarefas.",
        "Trello",
        "procedural",
        "acompanhamento de tarefas",
    ),
    ("fr", "L'équipe utilisera Trello pour le suivi des tâches.", "Trello", "procedural", "suivi des tâches"),
    # a code-hosting service where code or deliverables go
    ("en", "All source code shall be committed to a public GitHub repository.", "GitHub", "procedural", "repository"),
    ("es", "El código fuente se publicará en GitHub bajo una licencia abierta.", "GitHub", "procedural", "código"),
    ("pt", "O código-fonte será publicado no GitHub sob licença livre.", "GitHub", "procedural", "código"),
    ("fr", "Le code source sera publié sur GitHub sous licence libre.", "GitHub", "procedural", "code"),
    # the system as it is, in the present indicative (not "shall be built on", not "provided that it runs on")
    (
        "en",
        "The current registry is built on Microsoft SQL Server and runs on Windows Server.",
        "Microsoft SQL Server",
        "existing",
        "is built on",
    ),
    (
        "en",
        "The current registry is built on Microsoft SQL Server and runs on Windows Server.",
        "Windows Server",
        "existing",
        "runs on",
    ),
    (
        "en",
        "Open-source tools may be used, provided that the whole system runs on Windows Server.",
        "Windows Server",
        "required",
        "runs on",
    ),
    ("es", "El registro actual está desarrollado en Oracle Forms.", "Oracle Forms", "existing", "está desarrollado en"),
    ("pt", "O cadastro roda sobre Oracle Database desde 2010.", "Oracle Database", "existing", "roda sobre"),
    (
        "fr",
        "Le registre actuel fonctionne sous Microsoft Windows Server.",
        "Microsoft Windows Server",
        "existing",
        "fonctionne sous",
    ),
    # the buyer's own environment, named as a possession or as a source of data
    (
        "en",
        "The vendor will work in the ministry's Jira instance, Confluence space and Microsoft Teams.",
        "Microsoft Teams",
        "existing",
        "ministry's",
    ),
    (
        "en",
        "The new service will read data from the permits database, an Oracle Database system.",
        "Oracle Database",
        "existing",
        "read data from",
    ),
    (
        "en",
        "The dashboard shall integrate through its API with external monitoring tools such as Datadog.",
        "Datadog",
        "example",
        "such as",
    ),
    # examples: a category with "including", "or other", "preferably", "e.g.,", ", como"
    (
        "en",
        "Bidders should describe their experience with BI tools including Tableau Server and open-source options.",
        "Tableau Server",
        "example",
        "tools including",
    ),
    (
        "en",
        "Experience with Microsoft SQL Server or other relational databases is an advantage.",
        "Microsoft SQL Server",
        "example",
        "or other",
    ),
    (
        "en",
        "The team should know Linux and preferably also Microsoft Windows Server.",
        "Microsoft Windows Server",
        "example",
        "preferably",
    ),
    (
        "en",
        "Any cloud provider may be proposed, e.g., Microsoft Azure or a national provider.",
        "Microsoft Azure",
        "example",
        "e.g.,",
    ),
    (
        "es",
        "Se requiere un servicio de directorio, como Microsoft Active Directory u OpenLDAP.",
        "Microsoft Active Directory",
        "example",
        "como",
    ),
    (
        "pt",
        "O software deverá autenticar em serviço de diretório, como Microsoft Active Directory ou OpenLDAP.",
        "Microsoft Active Directory",
        "example",
        "como",
    ),
    (
        "pt",
        "O agente deverá funcionar em Windows 10, 11 (ou superior), Linux e macOS.",
        "Windows 10",
        "example",
        "Linux",
    ),
    # desirable, not required, said after the mention
    ("en", "Knowledge of Salesforce Service Cloud is a plus.", "Salesforce Service Cloud", "example", "is a plus"),
    (
        "es",
        "El conocimiento de Salesforce Service Cloud será valorado.",
        "Salesforce Service Cloud",
        "example",
        "será valorado",
    ),
    (
        "pt",
        "O conhecimento de Salesforce Service Cloud será um diferencial.",
        "Salesforce Service Cloud",
        "example",
        "diferencial",
    ),
    ("fr", "La connaissance de Salesforce Service Cloud est un atout.", "Salesforce Service Cloud", "example", "atout"),
    # the installed base: data stored in it, staff using it
    (
        "en",
        "The agency's case records are stored in Microsoft SQL Server databases.",
        "Microsoft SQL Server",
        "existing",
        "stored in",
    ),
    (
        "en",
        "Staff use Microsoft Outlook for all correspondence with applicants.",
        "Microsoft Outlook",
        "existing",
        "Staff use",
    ),
    (
        "es",
        "La información se almacena en bases de datos Oracle Database.",
        "bases de datos Oracle",
        "existing",
        "se almacena en",
    ),
    (
        "es",
        "Los usuarios utilizan Microsoft Office en sus estaciones de trabajo.",
        "Microsoft Office",
        "existing",
        "usuarios utilizan",
    ),
    (
        "pt",
        "Os servidores utilizam o Microsoft Office em suas estações de trabalho.",
        "Microsoft Office",
        "existing",
        "servidores utilizam",
    ),
    (
        "fr",
        "Les données sont stockées dans une base Oracle Database.",
        "Oracle Database",
        "existing",
        "sont stockées dans",
    ),
    (
        "fr",
        "Les agents utilisent Microsoft Office sur leurs postes.",
        "Microsoft Office",
        "existing",
        "agents utilisent",
    ),
    # negated after the mention
    ("en", "Licences for Adobe Acrobat Pro are not required for this lot.", "Adobe Acrobat Pro", None, None),
    ("es", "Las licencias de Adobe Acrobat Pro no son requeridas en este lote.", "Adobe Acrobat Pro", None, None),
    ("pt", "Licenças do Adobe Acrobat Pro não são exigidas neste lote.", "Adobe Acrobat Pro", None, None),
    ("fr", "Aucune licence Adobe Acrobat Pro n'est requise pour ce lot.", "Adobe Acrobat Pro", None, None),
    (
        "en",
        "Backups shall run nightly without affecting the data stored in Oracle Database.",
        "Oracle Database",
        "required",
        "shall",
    ),
    # commentary: an audit office's finding that a specification was restrictive
    (
        "en",
        "GAO found that the brand-name specification for Cisco Catalyst switches was unduly restrictive.",
        "Cisco Catalyst",
        "commentary",
        "GAO found",
    ),
    (
        "es",
        "La Contraloría señaló que exigir Microsoft Office sin justificación es contrario a la ley.",
        "Microsoft Office",
        "commentary",
        "Contraloría",
    ),
    (
        "pt",
        "O TCU entendeu que exigir o Microsoft Office sem justificativa é restritivo à competitividade.",
        "Microsoft Office",
        "commentary",
        "TCU entendeu",
    ),
    (
        "fr",
        "Le juge a estimé que l'exigence de Microsoft Office était discriminatoire.",
        "Microsoft Office",
        "commentary",
        "a estimé",
    ),
    # history: other bodies' contracts quoted as precedent
    (
        "en",
        "Several other agencies have purchased Esri ArcGIS Enterprise under similar terms.",
        "Esri ArcGIS Enterprise",
        "history",
        "purchased",
    ),
    (
        "es",
        "Otras entidades contrataron Esri ArcGIS Enterprise en condiciones similares.",
        "Esri ArcGIS Enterprise",
        "history",
        "contrataron",
    ),
    (
        "pt",
        "Outros órgãos contrataram o Esri ArcGIS Enterprise em condições semelhantes.",
        "Esri ArcGIS Enterprise",
        "history",
        "contrataram",
    ),
    (
        "fr",
        "D'autres collectivités ont acquis Esri ArcGIS Enterprise dans des conditions similaires.",
        "Esri ArcGIS Enterprise",
        "history",
        "ont acquis",
    ),
]


@pytest.mark.parametrize("lang,text,match,role,reason", MENTION_CASES)
def test_mention_roles(bundled_rules, lang, text, match, role, reason):
    assert_brand_role(bundled_rules, lang, text, match, role, reason)


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "The contract was awarded to Northwind Systems Inc., an authorised Microsoft reseller."),
        ("es", "La adjudicación recayó en Soluciones del Sur S.A., distribuidor autorizado de Microsoft."),
        ("pt", "O contrato foi adjudicado à empresa Sul Sistemas S/A, revenda autorizada da Microsoft."),
        ("fr", "Le marché a été attribué à la société Nordic SARL, revendeur agréé de Microsoft."),
    ],
)
def test_an_awardee_named_in_an_award_report_is_history(bundled_rules, lang, text):
    certs = _findings(text, lang, bundled_rules, "VCERT-PARTNER")
    assert [(f.role, f.severity) for f in certs] == [("history", "info")], [(f.role, f.role_reason) for f in certs]


def test_the_product_bought_through_an_awardee_keeps_its_role(bundled_rules):
    text = "The contract for Microsoft 365 E3 licences was awarded to Northwind Systems Inc."
    products = _findings(text, "en", bundled_rules, "BRAND-PRODUCT")
    assert [(f.match, f.role) for f in products] == [("Microsoft 365 E3", "object")]


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Line 1: 250 licences of Microsoft 365 E3, or equivalent."),
        ("es", "Línea 1: 250 licencias de Microsoft 365 E3, o equivalente."),
        ("pt", "Item 1: 250 licenças de Microsoft 365 E3, ou equivalente."),
        ("fr", "Ligne 1 : 250 licences Microsoft 365 E3, ou équivalent."),
    ],
)
def test_or_equivalent_on_a_licence_line_item_is_nominal(bundled_rules, lang, text):
    """A licence of another product is not the same item: the product is still what is bought."""
    products = _findings(text, lang, bundled_rules, "BRAND-PRODUCT")
    assert [(f.role, f.severity) for f in products] == [("object", "error")], [
        (f.role, f.role_reason) for f in products
    ]


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "A relational database such as PostgreSQL or Microsoft SQL Server, or equivalent, shall be used."),
        ("es", "Se utilizará un gestor de base de datos Microsoft SQL Server o equivalente."),
    ],
)
def test_or_equivalent_elsewhere_still_makes_an_example(bundled_rules, lang, text):
    products = _findings(text, lang, bundled_rules, "BRAND-PRODUCT")
    assert products and all(f.role == "example" for f in products), [(f.role, f.role_reason) for f in products]


@pytest.mark.parametrize(
    "lang,blocks,mention",
    [
        (
            "en",
            [
                ("Subject: Renewal of the Oracle support agreement", "paragraph"),
                ("The Oracle databases in use today hold the tax registry.", "paragraph"),
            ],
            "Oracle databases",
        ),
        (
            "es",
            [
                ("Adquisición de licencias Microsoft para la entidad", "paragraph"),
                ("Las licencias Microsoft existentes vencen en diciembre.", "paragraph"),
            ],
            "Microsoft",
        ),
        (
            "pt",
            [
                ("Contratação de suporte técnico para bancos de dados Oracle", "paragraph"),
                ("Os bancos de dados ORACLE existentes no órgão somam doze instâncias.", "paragraph"),
            ],
            "bancos de dados ORACLE",
        ),
        (
            "fr",
            [
                ("2. Objet et structure du marché", "paragraph"),
                ("Le présent marché porte sur l'acquisition de licences Microsoft.", "paragraph"),
                ("Les licences Microsoft actuelles couvrent 300 postes.", "paragraph"),
            ],
            "Microsoft",
        ),
    ],
)
def test_a_vendor_the_stated_object_buys_is_the_object_where_it_reads_as_installed(
    bundled_rules, lang, blocks, mention
):
    result = lint_document(_doc(*blocks), language=lang, ruleset=bundled_rules, score=False)
    last = len(blocks) - 1
    hits = [f for f in result.findings if f.block_index == last and f.match == mention and f.category == "brand"]
    assert [(f.role, f.severity) for f in hits] == [("object", "error")], [
        (f.rule, f.role, f.role_reason) for f in hits
    ]
    assert "stated object" in hits[0].role_reason


def test_a_statement_that_migrates_away_from_a_vendor_does_not_buy_it(bundled_rules):
    doc = _doc(
        ("Subject: Migration from Oracle Database to an open-source platform", "paragraph"),
        ("The Oracle Database in use today holds the tax registry.", "paragraph"),
    )
    result = lint_document(doc, language="en", ruleset=bundled_rules, score=False)
    hits = [f for f in result.findings if f.block_index == 1 and f.rule == "BRAND-PRODUCT"]
    assert [f.role for f in hits] == ["existing"]


def test_a_vendor_under_a_requirements_heading_is_not_required_by_the_heading(bundled_rules):
    doc = _doc(
        ("3. Technical requirements", "heading"),
        ("Representatives of IBM and SAP attended the market consultation.", "paragraph"),
    )
    result = lint_document(doc, language="en", ruleset=bundled_rules, score=False)
    assert [f for f in result.findings if f.rule == "BRAND-VENDOR"] == []


@pytest.mark.parametrize(
    "lang,text,platform",
    [
        ("en", "Renewal of the support of Microsoft SQL Server Enterprise for three years.", "Microsoft SQL Server"),
        ("es", "Renovación del soporte de Microsoft SQL Server Enterprise por tres años.", "Microsoft SQL Server"),
        ("pt", "Renovação do suporte do Microsoft SQL Server Enterprise por três anos.", "Microsoft SQL Server"),
        ("fr", "Renouvellement du support de Windows Server Datacenter pour trois ans.", "Windows Server"),
    ],
)
def test_a_platform_bought_by_name_gives_the_brand_and_the_platform_finding(bundled_rules, lang, text, platform):
    # docs/labelling.md: a proprietary platform imposed, bought or continued by name carries both
    # `brand` and `proprietary_technology`, with the same role.
    found = _findings(text, lang, bundled_rules)
    assert {(f.rule, f.role) for f in found if f.match.startswith(platform)} == {
        ("BRAND-PRODUCT", "object"),
        ("TECH-PLATFORM", "object"),
    }


def test_an_application_or_a_bare_vendor_bought_gives_the_brand_finding_only(bundled_rules):
    office = _findings(
        "Renewal of the licences of Microsoft Office Professional Plus for 300 users.", "en", bundled_rules
    )
    assert {f.category for f in office if f.match.startswith("Microsoft Office")} == {"brand"}
    oracle = _findings("Renewal of the support of Oracle products for three years.", "en", bundled_rules)
    assert [(f.rule, f.role) for f in oracle if f.match == "Oracle"] == [("BRAND-VENDOR", "object")]
    required = _findings("The application shall run on Microsoft SQL Server Enterprise.", "en", bundled_rules)
    assert {f.rule for f in required if f.role == "required"} == {"BRAND-PRODUCT", "TECH-PLATFORM"}


@pytest.mark.parametrize(
    "lang,blocks",
    [
        ("en", ["DIRECT AWARD FOR REASONS OF EXTREME URGENCY", "Direct award of the storage expansion."]),
        ("es", ["CONTRATACIÓN DIRECTA POR URGENCIA", "Contratación directa de la ampliación del almacenamiento."]),
        ("pt", ["CONTRATAÇÃO DIRETA POR EMERGÊNCIA", "Contratação direta da ampliação do armazenamento."]),
        ("fr", ["MARCHÉ PASSÉ EN URGENCE IMPÉRIEUSE", "Attribution directe de l'extension du stockage."]),
    ],
)
def test_a_direct_award_the_document_justifies_by_an_emergency_is_not_lock_in(bundled_rules, lang, blocks):
    result = lint_document(_doc(*[(b, "paragraph") for b in blocks]), language=lang, ruleset=bundled_rules, score=False)
    awards = [f for f in result.findings if f.category == "sole_source"]
    assert awards and all((f.role, f.severity) == ("commentary", "info") for f in awards), [
        (f.match, f.role, f.role_reason) for f in awards
    ]
    assert all(f.role_reason.startswith("document") for f in awards)


def test_a_direct_award_without_a_stated_emergency_stays_an_error(bundled_rules):
    found = _findings("Support will be awarded directly to the developer of the current system.", "en", bundled_rules)
    assert [(f.category, f.severity) for f in found] == [("sole_source", "error")]


@pytest.mark.parametrize(
    "lang,text",
    [
        (
            "en",
            "Additional licences are purchased to maintain compatibility with the existing virtualisation platform.",
        ),
        ("es", "Se adquieren licencias adicionales para mantener la compatibilidad con los equipos existentes."),
        ("pt", "A aquisição visa manter a padronização do parque tecnológico do órgão."),
        ("fr", "L'achat de licences est justifié en raison d'une compatibilité technique avec le matériel existant."),
    ],
)
def test_a_continuity_argument_is_a_warning_with_its_role(bundled_rules, lang, text):
    found = _findings(text, lang, bundled_rules, "BRAND-CONTINUITY")
    assert [(f.role, f.severity) for f in found] == [("continuity", "warning")], [
        (f.role, f.role_reason) for f in found
    ]
    assert found[0].note  # the continuity note says what to do


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Chat operations with the vendor's staff will run through an instant-messaging tool."),
        ("en", "Umbrella contracts for software services will be awarded to three firms."),
        ("en", "Fluent in English and experienced with database software."),
        ("fr", "Adresse : 12 avenue Claude Bernard, logiciel de gestion des carrières."),
        ("es", "Forma de pago del software: mensual."),
    ],
)
def test_ordinary_words_are_not_products(bundled_rules, text, lang):
    assert [f for f in _findings(text, lang, bundled_rules) if f.category == "brand"] == []


@pytest.mark.parametrize(
    "lang,blocks,vendor",
    [
        (
            "en",
            ["From: J. Smith, Senior Contracting Officer", "Subject: Renewal of the Esri software maintenance"],
            "Esri",
        ),
        ("es", ["Proceso 2025-14", "El objetivo de este llamado es la adquisición de licencias de Esri."], "Esri"),
        ("pt", ["Processo 2025/14", "Aquisição de licenças de uso do software Esri para a secretaria"], "Esri"),
    ],
)
def test_stated_objects_from_labels_and_title_lines(bundled_rules, lang, blocks, vendor):
    doc = _doc(
        *[(b, "paragraph") for b in blocks], ("Reference " + vendor + " documentation is attached.", "paragraph")
    )
    result = lint_document(doc, language=lang, ruleset=bundled_rules, score=False)
    last = [f for f in result.findings if f.block_index == len(blocks) and f.rule == "BRAND-VENDOR"]
    assert [f.role for f in last] == ["object"], [(f.role, f.role_reason) for f in result.findings]
    assert not [f for f in result.findings if f.match == "Senior"]
