"""Role decisions of the sixth round (issue 9, recall): where real tenders state their object, so
that a vendor named on its own in a purchase of its products is reported as what is bought.

The stated object is found in an object label inside a run-in page ("... OBJETO: Registro de
preços ..."), in an object label alone on its line with the object in the next paragraph
("Subject:" / "Assunto:"), in a document-type title that says what it is for ("Request for
Proposals for the supply of ...", "Termo de Referência para contratação de ..."), and in an
approving body's resolution ("authorize the sole source purchase of", "execute an agreement
with"); a table of contents is no title. A list introduced as what the buyer is "currently
procuring" is no installed base. An "or equivalent" on licences of a product or brand is nominal
(docs/labelling.md: the brand stays what is bought).

Every sentence was written for these tests from the general language of procurement; none is
taken from a real tender or from the corpus."""

from __future__ import annotations

import pytest
from rolecheck import assert_brand_role, findings_of

from ospo_procure.lint import lint_document
from ospo_procure.model import Block, Document, Location


def _doc(*blocks: tuple[str, str]) -> Document:
    """Blocks as (text, kind)."""
    return Document(
        path="t.txt",
        format="txt",
        blocks=[Block(t, Location(paragraph=i + 1), kind=k) for i, (t, k) in enumerate(blocks)],
    )


def _vendor_roles(result, vendor: str) -> list[tuple[str | None, str]]:
    return [(f.role, f.role_reason) for f in result.findings if f.rule == "BRAND-VENDOR" and f.match == vendor]


# (language, the blocks that state the object, a later paragraph naming the vendor on its own, vendor)
STATED = [
    # an object label inside a run-in page (a cover page a reader gives as one block)
    (
        "en",
        [
            (
                "CITY PURCHASING DIVISION INVITATION TO BID 24-117 OBJECT: renewal of the Autodesk licences of the engineering office",
                "paragraph",
            )
        ],
        "Autodesk releases a new version every spring.",
        "Autodesk",
    ),
    (
        "es",
        [
            (
                "MUNICIPALIDAD PROVINCIAL LICITACIÓN PÚBLICA 12-2025 OBJETO: renovación de las licencias Autodesk de la oficina de obras",
                "paragraph",
            )
        ],
        "Autodesk publica una nueva versión cada año.",
        "Autodesk",
    ),
    (
        "pt",
        [
            (
                "PREFEITURA MUNICIPAL PREGÃO ELETRÔNICO 31/2025 OBJETO: renovação das licenças Autodesk do setor de engenharia",
                "paragraph",
            )
        ],
        "A Autodesk publica uma nova versão a cada ano.",
        "Autodesk",
    ),
    (
        "fr",
        [
            (
                "COMMUNAUTÉ DE COMMUNES CONSULTATION 2025-08 OBJET : renouvellement des licences Autodesk du service technique",
                "paragraph",
            )
        ],
        "Autodesk publie une nouvelle version chaque année.",
        "Autodesk",
    ),
    # an object label alone on its line, the object in the next paragraph
    (
        "en",
        [
            ("Subject:", "paragraph"),
            ("Annual support of the Esri mapping platform of the planning office", "paragraph"),
        ],
        "Esri publishes its roadmap every year.",
        "Esri",
    ),
    (
        "pt",
        [("ASSUNTO:", "paragraph"), ("Suporte anual da plataforma Esri do setor de planejamento", "paragraph")],
        "A Esri publica seu roteiro todos os anos.",
        "Esri",
    ),
    # a document-type title that says what it is for
    (
        "en",
        [("Request for Proposals for the supply of Adobe software products to the state agencies", "paragraph")],
        "Adobe releases updates every month.",
        "Adobe",
    ),
    (
        "es",
        [("Términos de referencia para la contratación del soporte de productos Adobe de la entidad", "paragraph")],
        "Adobe publica actualizaciones cada mes.",
        "Adobe",
    ),
    (
        "pt",
        [("Termo de Referência para contratação de licenciamento e serviços da Adobe", "paragraph")],
        "A Adobe publica atualizações todos os meses.",
        "Adobe",
    ),
    (
        "fr",
        [("Cahier des charges pour l'acquisition de licences Adobe des services municipaux", "paragraph")],
        "Adobe publie des mises à jour chaque mois.",
        "Adobe",
    ),
    # a notice's title field; a short prefix before the title; an all-capitals label without its colon
    (
        "en",
        [
            (
                "Notice Title 2025-044 Autodesk Collection Renewal Notice Description The Council seeks quotes.",
                "paragraph",
            )
        ],
        "Autodesk releases a new version every spring.",
        "Autodesk",
    ),
    (
        "en",
        [("Invitation to Quote - Supply and Installation of Cisco Switches for the district schools", "paragraph")],
        "Cisco publishes firmware updates every quarter.",
        "Cisco",
    ),
    (
        "pt",
        [("Nota Técnica nº 12/2025 ASSUNTO Renovação do suporte Autodesk do setor de engenharia.", "paragraph")],
        "A Autodesk publica uma nova versão a cada ano.",
        "Autodesk",
    ),
    (
        "es",
        [("Servicio de soporte y mantenimiento Autodesk para la oficina de obras", "paragraph")],
        "Autodesk publica una nueva versión cada año.",
        "Autodesk",
    ),
    (
        "fr",
        [("Prestations de maintenance des équipements Cisco des écoles", "paragraph")],
        "Cisco publie des mises à jour chaque trimestre.",
        "Cisco",
    ),
    # an approving body's resolution
    (
        "en",
        [
            (
                "Recommendation to authorize the sole source purchase of mapping software from Esri for the roads department.",
                "paragraph",
            )
        ],
        "Esri publishes its roadmap every year.",
        "Esri",
    ),
    (
        "en",
        [
            (
                "Approve and authorize the Director to execute a Master Agreement (MA) with Esri for enterprise mapping.",
                "paragraph",
            )
        ],
        "Esri publishes its roadmap every year.",
        "Esri",
    ),
    (
        "es",
        [
            (
                "Se solicita autorizar la contratación directa de Esri para el soporte de la cartografía municipal.",
                "paragraph",
            )
        ],
        "Esri publica su hoja de ruta cada año.",
        "Esri",
    ),
    (
        "pt",
        [("Fica autorizada a contratação direta da Esri para o suporte da cartografia municipal.", "paragraph")],
        "A Esri publica seu roteiro todos os anos.",
        "Esri",
    ),
]


@pytest.mark.parametrize("lang,stated,later,vendor", STATED)
def test_a_vendor_the_stated_object_buys_is_the_object_where_named_on_its_own(
    bundled_rules, lang, stated, later, vendor
):
    result = lint_document(_doc(*stated, (later, "paragraph")), language=lang, ruleset=bundled_rules, score=False)
    later_roles = [
        (f.role, f.role_reason) for f in result.findings if f.rule == "BRAND-VENDOR" and f.block_index == len(stated)
    ]
    assert later_roles, [(f.rule, f.match, f.role, f.role_reason) for f in result.findings]
    assert all(role == "object" and reason.startswith("stated object") for role, reason in later_roles), later_roles


@pytest.mark.parametrize(
    "lang,later",
    [("en", "Esri publishes its roadmap every year."), ("es", "Esri publica su hoja de ruta cada año.")],
)
def test_a_document_that_states_no_purchase_of_the_vendor_reports_it_nowhere(bundled_rules, lang, later):
    """Without a stated object that buys the vendor, a vendor named on its own stays unreported."""
    result = lint_document(
        _doc(("Request for Proposals for a new permit system", "paragraph"), (later, "paragraph")),
        language=lang,
        ruleset=bundled_rules,
        score=False,
    )
    assert _vendor_roles(result, "Esri") == []


def test_a_table_of_contents_is_no_title(bundled_rules):
    """The first heading after a table of contents is the title that states the object."""
    doc = _doc(
        ("Table of Contents", "heading"),
        ("Oracle Database support renewal for the finance ministry", "heading"),
        ("Oracle publishes critical patch updates every quarter.", "paragraph"),
    )
    result = lint_document(doc, language="en", ruleset=bundled_rules, score=False)
    assert [role for role, _ in _vendor_roles(result, "Oracle")] == ["object"]


@pytest.mark.parametrize(
    "lang,lead_in,item",
    [
        ("en", "The Department is currently procuring the following:", "Tableau Creator subscriptions for 40 analysts"),
        (
            "es",
            "La entidad actualmente requiere adquirir lo siguiente:",
            "Suscripciones de Tableau Creator para 40 analistas",
        ),
        ("pt", "O órgão atualmente necessita adquirir o seguinte:", "Subscrições de Tableau Creator para 40 analistas"),
        (
            "fr",
            "La collectivité souhaite actuellement acquérir les éléments suivants :",
            "Abonnements Tableau Creator pour 40 analystes",
        ),
    ],
)
def test_a_list_of_what_is_currently_procured_is_no_installed_base(bundled_rules, lang, lead_in, item):
    doc = _doc((lead_in, "paragraph"), (item, "list_item"))
    result = lint_document(doc, language=lang, ruleset=bundled_rules, score=False)
    roles = [f.role for f in result.findings if f.category == "brand" and "Tableau" in f.match]
    assert roles and "existing" not in roles, [(f.match, f.role, f.role_reason) for f in result.findings]


@pytest.mark.parametrize(
    "lang,text,match,role,reason",
    [
        (
            "es",
            "Adquisición de licencias de productos de la marca Autodesk o equivalente.",
            "Autodesk",
            "object",
            "marca",
        ),
        (
            "en",
            "Renewal of subscriptions of Adobe Acrobat Pro or equivalent for the legal unit.",
            "Adobe Acrobat Pro",
            "object",
            "subscriptions of",
        ),
        (
            "pt",
            "Aquisição de licenças de uso do Microsoft Project ou equivalente.",
            "Microsoft Project",
            "object",
            "licenças",
        ),
        (
            "fr",
            "Acquisition de licences de Microsoft Project ou équivalent.",
            "Microsoft Project",
            "object",
            "licences de",
        ),
        # an equivalence offered for a product the solution uses stays an example
        (
            "en",
            "The reporting module shall use Microsoft SQL Server or equivalent.",
            "Microsoft SQL Server",
            "example",
            "or equivalent",
        ),
    ],
)
def test_or_equivalent_on_licences_of_a_product_is_nominal(bundled_rules, lang, text, match, role, reason):
    assert_brand_role(bundled_rules, lang, text, match, role, reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        ("en", "The unit administers eleven Oracle databases for the tax system.", "Oracle databases"),
        ("es", "La unidad administra once bases de datos Oracle del sistema tributario.", "bases de datos Oracle"),
        ("pt", "A unidade administra onze bancos de dados Oracle do sistema tributário.", "bancos de dados Oracle"),
        ("fr", "L'unité administre onze bases de données Oracle du système fiscal.", "bases de données Oracle"),
    ],
)
def test_a_dbms_named_in_the_plural_is_the_platform(bundled_rules, lang, text, match):
    found = findings_of(text, lang, bundled_rules)
    assert {f.rule for f in found if f.match == match} >= {"BRAND-PRODUCT", "TECH-PLATFORM"}, [
        (f.rule, f.match) for f in found
    ]


@pytest.mark.parametrize(
    "text,channel",
    [
        ("The contractor shall convert the scanned case files to the GitHub Enterprise instance.", False),
        ("Questions may be filed to the GitHub repository of the project.", True),
    ],
)
def test_files_moved_to_a_platform_are_no_channel(bundled_rules, text, channel):
    """'files' (the noun) is no verb of filing questions: moving files to a platform is no channel."""
    found = findings_of(text, "en", bundled_rules)
    roles = [f.role for f in found if f.match.startswith("GitHub") and f.category == "brand"]
    assert roles and all((r == "procedural") == channel for r in roles), [
        (f.match, f.role, f.role_reason) for f in found
    ]


@pytest.mark.parametrize(
    "lang,text,vendor,role",
    [
        (
            "en",
            "Maintenance of the licences will be provided directly by Autodesk for three years.",
            "Autodesk",
            "object",
        ),
        ("es", "El soporte será prestado directamente por Autodesk durante tres años.", "Autodesk", "object"),
        (
            "pt",
            "O suporte da solução, a ser fornecido diretamente pela Autodesk, cobrirá três anos.",
            "Autodesk",
            "object",
        ),
        ("fr", "La maintenance sera assurée directement par Autodesk pendant trois ans.", "Autodesk", "object"),
        # guidance some vendor published is no supply
        ("en", "Staff followed the installation guidance provided by Autodesk.", "Autodesk", None),
    ],
)
def test_the_vendor_who_will_supply_what_is_bought_is_the_object(bundled_rules, lang, text, vendor, role):
    found = findings_of(text, lang, bundled_rules)
    roles = [f.role for f in found if f.rule == "BRAND-VENDOR" and f.match == vendor]
    assert roles == ([role] if role else []), [(f.rule, f.match, f.role, f.role_reason) for f in found]


def test_an_object_label_is_no_part_of_the_object(bundled_rules):
    """The label's own words ("Project:") are no object; what follows the label is."""
    doc = _doc(("Project: renewal of the Esri software subscription of the planning office", "paragraph"))
    result = lint_document(doc, language="en", ruleset=bundled_rules, score=False)
    roles = {f.match: f.role for f in result.findings if f.category == "brand"}
    assert roles.get("Esri") == "object", roles
    assert roles.get("Project") != "object", roles
