"""Role decisions of the tenth round (issue 9): the buyer's installed base and the buyer's own
channels reported as requirements, from the cue audit (benchmarks/role_audit.py) on one half of the
development part, written as a procurement lawyer would describe the installed base in general:

- the systems an audit, an assessment or a penetration test examines are the buyer's own;
- a buyer named by its proper name with a possessive ("the State of Ohio's X");
- the buyer's machines qualified by a product, with a quantifier ("todos os servidores X");
- a product stating what it does today, with no modal in its sentence ("X stores the files");
- a compatibility floor given as a label ("Compatible operating systems: X, Y and Z");
- a product furnished by the buyer in one word ("agency-provided X");
- the present progressive of use ("the Department is using X");
- licences already held, reallocated or audited; the language of the buyer's maintained software;
- the buyer's fleet or inventory described as it is; an agreement or subscription it holds today;
- documents available for review in a store, the tender's own documents posted or shared
  somewhere, or a document signed on a platform name a channel of the
  procedure; so does a code-hosting
  service named in a paragraph about code.

What the text imposes stays required; what is bought stays the object. Every sentence was written
for these tests from the general language of procurement; none is taken from a real tender or from
the corpus."""

from __future__ import annotations

import pytest
from rolecheck import assert_brand_role, brand_findings

EXISTING = [
    # audited, assessed or tested: the buyer's own systems
    (
        "en",
        "The contractor shall perform security audits of the Oracle Database and SharePoint Server environments.",
        "SharePoint Server",
        "audits of the",
    ),
    (
        "en",
        "Penetration testing of the ServiceNow instance will be carried out twice a year.",
        "ServiceNow",
        "testing of",
    ),
    ("en", "The PeopleSoft and SAP ERP system audits are part of the annual plan.", "PeopleSoft", "system audits"),
    (
        "es",
        "El contratista realizará una auditoría de seguridad del sistema SAP ERP y del portal SharePoint Server.",
        "SharePoint Server",
        "auditoría de seguridad",
    ),
    (
        "pt",
        "A contratada executará auditoria de segurança no ambiente SAP ERP e no portal SharePoint Server.",
        "SAP ERP",
        "auditoria de segurança",
    ),
    ("fr", "Le titulaire réalisera un audit de sécurité de la plateforme SAP ERP.", "SAP ERP", "audit de sécurité"),
    # the buyer named by its proper name, with a possessive
    ("en", "The State of Ohio's ServiceNow platform hosts the service catalogue.", "ServiceNow platform", "Ohio's"),
    # the buyer's machines qualified by a product, with a quantifier
    ("es", "El agente se instalará en todos los servidores Windows Server 2019.", "Windows Server 2019", "todos los"),
    ("pt", "O agente deverá ser instalado em todos os servidores Windows.", "Windows", "todos os servidores"),
    (
        "fr",
        "L'agent sera déployé sur tous les serveurs Windows Server 2019.",
        "Windows Server 2019",
        "tous les serveurs",
    ),
    # the product stating what it does today
    ("en", "SharePoint Server stores the case files and is accessed by 300 staff.", "SharePoint Server", "stores"),
    # a compatibility floor given as a label
    ("en", "Compatible operating systems: Windows 10, Windows 11 and macOS 13.", "macOS 13", "Compatible operating"),
    ("es", "Sistemas operativos compatibles: Windows 10, Windows 11 y macOS 13.", "macOS 13", "operativos compatibles"),
    ("pt", "Sistemas operacionais compatíveis: Windows 10, Windows 11 e macOS 13.", "macOS 13", "compatíveis"),
    ("fr", "Systèmes d'exploitation compatibles : Windows 10, Windows 11 et macOS 13.", "macOS 13", "d'exploitation"),
    # furnished by the buyer, in one word
    (
        "en",
        "The vendor shall integrate the portal with agency-provided Microsoft Entra ID accounts.",
        "Microsoft Entra ID",
        "-provided",
    ),
    # the present progressive of use
    (
        "es",
        "La municipalidad está utilizando Microsoft Dynamics 365 para la gestión de expedientes.",
        "Microsoft Dynamics 365",
        "está utilizando",
    ),
    (
        "pt",
        "O tribunal está utilizando o Microsoft Dynamics 365 para a gestão de processos.",
        "Microsoft Dynamics 365",
        "está utilizando",
    ),
    ("fr", "La collectivité est en train d'utiliser Microsoft Dynamics 365.", "Microsoft Dynamics 365", "en train"),
    # licences already held, handled as such
    (
        "en",
        "The contractor shall handle the reallocation of Microsoft Office licences between workstations.",
        "Microsoft Office",
        "reallocation of",
    ),
    (
        "es",
        "El servicio incluye la reasignación de licencias Microsoft Office entre equipos.",
        "Microsoft Office",
        "reasignación",
    ),
    (
        "pt",
        "O serviço inclui o remanejamento de licenças Microsoft Office entre as estações.",
        "Microsoft Office",
        "remanejamento",
    ),
    (
        "fr",
        "Le service comprend la réaffectation des licences Microsoft Office entre les postes.",
        "Microsoft Office",
        "réaffectation",
    ),
    (
        "en",
        "The firm shall deliver an Oracle Database licence compliance review.",
        "Oracle Database",
        "licence compliance",
    ),
    # the language or tool of the buyer's maintained software
    (
        "en",
        "The contractor shall provide maintenance of the applications written in PowerBuilder.",
        "PowerBuilder",
        "maintenance of the applications written in",
    ),
    ("es", "Servicio de mantenimiento de los sistemas desarrollados en PowerBuilder.", "PowerBuilder", "mantenimiento"),
    ("pt", "Serviços de manutenção de sistemas desenvolvidos em PowerBuilder.", "PowerBuilder", "manutenção"),
    ("fr", "Maintenance des applications développées en PowerBuilder.", "PowerBuilder", "Maintenance"),
    # what the current system is built on, with a participle before the generic noun
    (
        "es",
        "El sistema actual, creado en 2001 y desarrollado en la plataforma Oracle Forms, presenta limitaciones.",
        "Oracle Forms",
        "sistema actual",
    ),
    # the installed fleet or inventory described as it is
    ("en", "Our fleet consists of 300 Windows 11 laptops.", "Windows 11", "fleet consists of"),
    ("pt", "O parque atual compreende 300 estações com Windows 10.", "Windows 10", "parque atual compreende"),
    ("fr", "Le parc actuel comprend 300 postes sous Windows 10.", "Windows 10", "parc actuel comprend"),
    # an agreement or subscription the buyer holds today
    ("en", "The Agency has an enterprise agreement for Microsoft 365.", "Microsoft 365", "enterprise agreement for"),
    (
        "es",
        "La entidad mantiene un contrato de licenciamiento de Microsoft 365.",
        "Microsoft 365",
        "mantiene un contrato",
    ),
    (
        "fr",
        "La collectivité détient un contrat de maintenance de Microsoft 365.",
        "Microsoft 365",
        "détient un contrat",
    ),
]


@pytest.mark.parametrize("lang,text,match,reason", EXISTING)
def test_the_installed_base_is_existing(bundled_rules, lang, text, match, reason):
    assert_brand_role(bundled_rules, lang, text, match, "existing", reason)


@pytest.mark.parametrize(
    "lang,text,match,reason",
    [
        ("en", "The signed agreement is available for review in Laserfiche.", "Laserfiche", "available for review in"),
        (
            "es",
            "Los estatutos están disponibles para consulta en SharePoint Online.",
            "SharePoint Online",
            "disponibles para consulta en",
        ),
        (
            "pt",
            "Os documentos estão disponíveis para consulta no SharePoint Server do órgão.",
            "SharePoint Server",
            "disponíveis para consulta no",
        ),
        (
            "fr",
            "Les statuts sont disponibles en consultation sur SharePoint Online.",
            "SharePoint Online",
            "disponibles en consultation sur",
        ),
        # the platform the document itself was signed on (an e-administration footer)
        ("en", "This contract was signed electronically via DocuSign.", "DocuSign", "signed electronically via"),
        (
            "es",
            "Documento firmado electrónicamente desde la plataforma DocuSign | Página 1 de 40",
            "DocuSign",
            "firmado electrónicamente desde la plataforma",
        ),
        # the tender's own documents obtained, posted or shared somewhere
        ("en", "Vendors may download the plans from Dropbox.", "Dropbox", "download the plans from"),
        ("en", "The bid documents are posted on Box.", "Box", "bid documents are posted on"),
        (
            "es",
            "Los documentos del proceso estarán disponibles en Google Drive.",
            "Google Drive",
            "documentos del proceso",
        ),
        (
            "pt",
            "Os arquivos da licitação serão compartilhados pelo Google Drive.",
            "Google Drive",
            "arquivos da licitação",
        ),
        ("fr", "Les pièces du dossier sont déposées sur Google Drive.", "Google Drive", "pièces du dossier"),
    ],
)
def test_the_procedures_own_document_store_or_signature_platform_is_a_channel(bundled_rules, lang, text, match, reason):
    assert_brand_role(bundled_rules, lang, text, match, "procedural", reason)


def test_a_code_hosting_service_in_a_paragraph_about_code_is_a_channel(bundled_rules):
    # the parenthesised list ends the sentence early for the sentencizer; the paragraph still
    # speaks of code
    text = (
        "The contractor shall keep all project artefacts (e.g., source code, test scripts, etc.) using GitLab Ultimate."
    )
    assert_brand_role(bundled_rules, "en", text, "GitLab Ultimate", "procedural", "source")


@pytest.mark.parametrize(
    "lang,text,match,role",
    [
        # new development in the product is no maintenance of the buyer's software
        ("en", "The new case management portal shall be developed in PowerBuilder.", "PowerBuilder", "required"),
        ("pt", "O novo sistema deverá ser desenvolvido em PowerBuilder.", "PowerBuilder", "required"),
        # maintenance bought together with development in the stack (docs/labelling.md)
        (
            "es",
            "Servicio de desarrollo y mantenimiento de aplicaciones desarrolladas en Oracle APEX.",
            "Oracle APEX",
            "required",
        ),
        ("en", "Development and maintenance of applications written in PowerBuilder.", "PowerBuilder", "required"),
        # licences bought are the object
        ("en", "The contractor shall supply 200 Microsoft Office licences.", "Microsoft Office", "object"),
        # an app published in a store is no document made available for review
        ("en", "The mobile app shall be available for download on the Apple App Store.", "Apple App Store", "required"),
        ("en", "The system shall use Microsoft SQL Server.", "Microsoft SQL Server", "required"),
        # files of the system are no documents of the procedure
        (
            "en",
            "Uploaded files shall be available in Microsoft SharePoint Online for the case workers.",
            "Microsoft SharePoint Online",
            "required",
        ),
        ("en", "The system must be built on Drupal and hosted on Microsoft Azure.", "Microsoft Azure", "required"),
        # a platform bought by its generic noun is the object; one a system is built on, imposed, required
        ("es", "Adquisición de licencias de la plataforma Oracle Forms.", "Oracle Forms", "object"),
        ("es", "El nuevo sistema deberá ser desarrollado en la plataforma Oracle Forms.", "Oracle Forms", "required"),
        # a code-hosting service bought is the object
        ("en", "Renewal of 50 GitHub Enterprise licences.", "GitHub Enterprise", "object"),
    ],
)
def test_what_the_text_imposes_or_buys_keeps_its_role(bundled_rules, lang, text, match, role):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert (hits[0].role, hits[0].severity) == (role, "error"), hits[0].role_reason


@pytest.mark.parametrize(
    "lang,text",
    [
        ("es", "El sistema de nómina, desarrollado en la plataforma Oracle, atiende a 12 sedes."),
        ("pt", "O sistema de folha, desenvolvido na plataforma Oracle, atende 12 unidades."),
    ],
)
def test_a_vendor_a_system_is_built_on_is_not_bought_by_the_generic_noun(bundled_rules, lang, text):
    # "plataforma X" reads as a purchase only where no participle says what a system is built on
    assert_brand_role(bundled_rules, lang, text, "Oracle", None, "")
