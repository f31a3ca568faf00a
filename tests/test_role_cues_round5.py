"""Role decisions of the fifth round (issue 9 item 2): the general formulations by which long
tenders describe the buyer's environment, integration targets, its own tools and standards,
examples, excluded items and history.

Integration targets named after a verb of linking, also in a list ("interface with X, Y and Z",
"connectors for X", "single sign-on with X", "authenticate against X", "X integration",
"integrarse al X del órgão"); the buyer's standards stated as a fact ("the standard desktop
configuration is X"); more public buyers as the subject ("the Bank uses X"); use since a year; "X is the County's email platform"; a list
introduced as what the solution links to or what the buyer uses; a list left open ("X, Y, etc.",
"entre otras"); what is bought separately or is out of scope; adverbs of the past and the
buyer's own past acts ("previously used X", "the County implemented X"); a label or table cell
naming the current system ("Current ERP: X"); a vendor's certification named as desirable; the
file format of the tender's own documents ("responses must be submitted in X"); a preference
("would prefer X, but is open to other solutions"), an export option, the buyer's own provider
("as its identity provider", "X is the standard directory service"), what a purchase makes
unnecessary ("eliminate the use of X"), a firm the buyer has engaged.

Every sentence was written for these tests from the general language of procurement; none is
taken from a real tender or from the corpus."""

from __future__ import annotations

import pytest
from rolecheck import assert_brand_role, brand_findings, findings_of

# (language, text, matched text, role, words of the role reason)
CLAUSES = [
    # integration targets, also in a list
    (
        "en",
        "The solution shall provide out-of-the-box Active Directory integration for user provisioning.",
        "Active Directory",
        "existing",
        "integration",
    ),
    (
        "en",
        "The system shall interface with Microsoft Dynamics, Oracle E-Business Suite and Workday.",
        "Workday",
        "existing",
        "interface with",
    ),
    (
        "en",
        "The platform shall offer connectors for Salesforce and SharePoint.",
        "SharePoint",
        "existing",
        "connectors for",
    ),
    (
        "en",
        "Single sign-on with Microsoft Entra ID shall be supported.",
        "Microsoft Entra ID",
        "existing",
        "single sign-on with",
    ),
    (
        "es",
        "Los usuarios se autenticarán contra el Active Directory institucional.",
        "Active Directory",
        "existing",
        "autenticarán contra",
    ),
    (
        "pt",
        "A solução deverá integrar-se ao Active Directory do órgão.",
        "Active Directory",
        "existing",
        "integrar-se ao",
    ),
    (
        "fr",
        "La solution devra s'intégrer à l'Active Directory de la collectivité.",
        "Active Directory",
        "existing",
        "intégrer à",
    ),
    # the buyer's standards stated as a fact
    (
        "en",
        "The County's standard desktop configuration is Windows 11 with Microsoft 365.",
        "Microsoft 365",
        "existing",
        "standard desktop configuration is",
    ),
    (
        "en",
        "The enterprise standard for databases is Microsoft SQL Server.",
        "Microsoft SQL Server",
        "existing",
        "standard for databases is",
    ),
    (
        "es",
        "El estándar institucional de base de datos es Microsoft SQL Server.",
        "Microsoft SQL Server",
        "existing",
        "estándar institucional",
    ),
    (
        "pt",
        "O padrão institucional de banco de dados é o Microsoft SQL Server.",
        "Microsoft SQL Server",
        "existing",
        "padrão institucional",
    ),
    # more public buyers and their equipment as the subject; use since a year
    (
        "en",
        "The Bank uses Microsoft Dynamics 365 for its finance functions.",
        "Microsoft Dynamics 365",
        "existing",
        "bank uses",
    ),
    ("en", "The Court has used Oracle Database since 2012.", "Oracle Database", "existing", "court has used"),
    (
        "es",
        "La entidad utiliza desde 2016 Microsoft Dynamics para la gestión financiera.",
        "Microsoft Dynamics",
        "existing",
        "desde 2016",
    ),
    (
        "pt",
        "O órgão utiliza desde 2016 o Microsoft Dynamics na gestão financeira.",
        "Microsoft Dynamics",
        "existing",
        "desde 2016",
    ),
    (
        "fr",
        "La collectivité utilise depuis 2016 Microsoft Dynamics pour la gestion financière.",
        "Microsoft Dynamics",
        "existing",
        "depuis 2016",
    ),
    # the buyer's own system named as what it is for the buyer
    (
        "en",
        "Microsoft Exchange Online is the County's email platform.",
        "Microsoft Exchange Online",
        "existing",
        "is the county's",
    ),
    ("en", "ServiceNow serves as our IT service management platform.", "ServiceNow", "existing", "serves as our"),
    ("es", "SAP Business One es el ERP institucional.", "SAP Business One", "existing", "erp institucional"),
    (
        "pt",
        "O Microsoft Exchange é o correio institucional.",
        "Microsoft Exchange",
        "existing",
        "correio institucional",
    ),
    # a list left open names examples
    ("en", "Monitoring tools (Splunk, Datadog, etc.) are out of scope.", "Splunk, Datadog", "example", "etc"),
    ("es", "Herramientas de monitoreo (Splunk, Datadog, entre otras).", "Splunk, Datadog", "example", "entre otras"),
    (
        "pt",
        "Ferramentas de monitoramento (Splunk, Datadog, entre outras).",
        "Splunk, Datadog",
        "example",
        "entre outras",
    ),
    ("fr", "Outils de supervision (Splunk, Datadog, etc.).", "Splunk, Datadog", "example", "etc"),
    # bought separately: outside this procurement
    (
        "es",
        "Las licencias de Microsoft Office serán adquiridas por separado por la entidad.",
        "Microsoft Office",
        "excluded",
        "por separado",
    ),
    (
        "pt",
        "As licenças do Microsoft Office serão adquiridas separadamente pelo órgão.",
        "Microsoft Office",
        "excluded",
        "separadamente",
    ),
    (
        "fr",
        "Les licences Microsoft Office seront acquises séparément par l'acheteur.",
        "Microsoft Office",
        "excluded",
        "séparément",
    ),
    # the past
    (
        "en",
        "Until 2019 the council ran its website on Microsoft SharePoint.",
        "Microsoft SharePoint",
        "history",
        "until 2019",
    ),
    ("en", "The agency previously used Lotus Notes for workflow.", "Lotus Notes", "history", "previously used"),
    (
        "en",
        "In 2018 the County implemented Tyler Munis for financials.",
        "Tyler Munis",
        "history",
        "county implemented",
    ),
    (
        "en",
        "The agency selected Salesforce Service Cloud for its contact centre.",
        "Salesforce Service Cloud",
        "history",
        "agency selected",
    ),
    (
        "es",
        "La entidad adquirió Microsoft Dynamics para su área financiera.",
        "Microsoft Dynamics",
        "history",
        "adquirió",
    ),
    ("pt", "O órgão implantou o SAP ERP na área financeira.", "SAP ERP", "history", "implantou"),
    ("fr", "La collectivité a déployé Microsoft Exchange en 2015.", "Microsoft Exchange", "history", "a déployé"),
    # the file format of the tender's own documents binds the bid, not the solution
    (
        "en",
        "Responses must be submitted electronically in Microsoft Word 2016 or later.",
        "Microsoft Word 2016",
        "procedural",
        "submitted electronically in",
    ),
    ("es", "Las ofertas deberán presentarse en Microsoft Excel.", "Microsoft Excel", "procedural", "presentarse en"),
    (
        "pt",
        "As propostas deverão ser enviadas em Microsoft Excel.",
        "Microsoft Excel",
        "procedural",
        "enviadas em",
    ),
    ("fr", "Les offres seront remises sous Microsoft Excel.", "Microsoft Excel", "procedural", "remises sous"),
    # a preference, an export option, the buyer's own provider, what is made unnecessary, a firm engaged
    (
        "en",
        "The agency would prefer a solution built on the Salesforce platform, but is open to other solutions.",
        "Salesforce platform",
        "example",
        "would prefer",
    ),
    (
        "en",
        "Users shall be able to export any report to Microsoft Excel.",
        "Microsoft Excel",
        "example",
        "export any report to",
    ),
    (
        "es",
        "Los usuarios podrán exportar los informes a Microsoft Excel.",
        "Microsoft Excel",
        "example",
        "exportar los informes a",
    ),
    (
        "pt",
        "Os relatórios poderão ser exportados para Microsoft Excel.",
        "Microsoft Excel",
        "example",
        "exportados para",
    ),
    (
        "fr",
        "Les utilisateurs pourront exporter les tableaux vers Microsoft Excel.",
        "Microsoft Excel",
        "example",
        "exporter les tableaux vers",
    ),
    (
        "en",
        "Staff authenticate through Okta, which the Department runs as its enterprise identity provider.",
        "Okta",
        "existing",
        "which the department runs",
    ),
    (
        "en",
        "Microsoft Entra ID is the standard directory service for all staff accounts.",
        "Microsoft Entra ID",
        "existing",
        "is the standard directory service",
    ),
    (
        "en",
        "The portal will remove manual steps and eliminate the use of Lotus Notes.",
        "Lotus Notes",
        "existing",
        "eliminate the use of",
    ),
    (
        "en",
        "The county has engaged a firm to configure ServiceNow for its service desk.",
        "ServiceNow",
        "history",
        "has engaged",
    ),
    ("en", "A Microsoft Teams channel will be used to track progress.", "Microsoft Teams", "procedural", "channel"),
    # a label or a table cell that names the current system
    ("en", "Current ERP: SAP ECC 6.0", "SAP ECC 6.0", "existing", "current erp:"),
    (
        "en",
        "| Existing database | Microsoft SQL Server 2016 |",
        "Microsoft SQL Server 2016",
        "existing",
        "existing database |",
    ),
    ("es", "Sistema actual: SAP ECC 6.0", "SAP ECC 6.0", "existing", "actual:"),
    ("pt", "Plataforma atual | Microsoft SharePoint 2013 |", "Microsoft SharePoint 2013", "existing", "atual |"),
    ("fr", "Système actuel : Microsoft SharePoint 2013", "Microsoft SharePoint 2013", "existing", "actuel :"),
]


@pytest.mark.parametrize(("lang", "text", "match", "role", "reason"), CLAUSES)
def test_the_environment_integration_targets_examples_and_history(bundled_rules, lang, text, match, role, reason):
    assert_brand_role(bundled_rules, lang, text, match, role, reason)


def test_nothing_is_reported_for_a_licence_bought_separately(bundled_rules):
    hits, found = brand_findings(
        "Hardware and Microsoft licences will be procured separately by the agency.", "en", bundled_rules, "Microsoft"
    )
    assert all(f.severity == "info" for f in hits), [(f.rule, f.role, f.role_reason) for f in found]


# A vendor's certification named as desirable, not required: "... are preferred", "is desirable
# but not mandatory", "such as", a list introduced as desirable qualifications.
DESIRABLE = [
    (
        "Staff holding an AWS Certified Solutions Architect certification are preferred.",
        "AWS Certified Solutions Architect",
    ),
    (
        "Certification as a Microsoft Certified Azure Administrator is desirable but not mandatory.",
        "Microsoft Certified",
    ),
    ("Certifications such as PMP, ITIL or Microsoft Certified Azure Administrator are a plus.", "Microsoft Certified"),
    ("Desirable qualifications:\n\n- AWS Certified Solutions Architect", "AWS Certified Solutions Architect"),
]


@pytest.mark.parametrize(("text", "match"), DESIRABLE)
def test_a_certification_named_as_desirable_is_an_example(bundled_rules, text, match):
    found = findings_of(text, "en", bundled_rules)
    hits = [f for f in found if f.category == "vendor_certification" and f.match == match]
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert all(f.role == "example" and f.severity == "info" for f in hits), [
        (f.rule, f.role, f.role_reason) for f in hits
    ]


def test_a_certification_required_of_staff_stays_reported(bundled_rules):
    text = "Mandatory qualifications:\n\n- AWS Certified Solutions Architect"
    found = findings_of(text, "en", bundled_rules)
    hits = [f for f in found if f.category == "vendor_certification"]
    assert hits and all(f.role == "required" and f.severity in ("warning", "error") for f in hits), found


# A required brand stays an error next to the new cues: a platform to build on, an exclusive
# host, a list of what is supplied ("etc." does not make a supply list an example), an
# integration that also imposes a platform, a standard that imposes, a bidder's experience.
REQUIRED = [
    (
        "en",
        "The supplier shall provide an interface to the payroll system built on Microsoft Azure.",
        "Microsoft Azure",
    ),
    ("en", "The solution shall integrate with and run on Microsoft Azure.", "Microsoft Azure"),
    (
        "en",
        "The contractor shall supply Microsoft Office, Microsoft Windows, etc. licences for 300 PCs.",
        "Microsoft Office, Microsoft Windows",
    ),
    (
        "en",
        "Supply of Microsoft Office 2021, Adobe Acrobat Pro, etc. for the new offices.",
        "Microsoft Office 2021, Adobe Acrobat Pro",
    ),
    (
        "en",
        "The County uses an old ledger and the new system shall be built on Microsoft Dynamics 365.",
        "Microsoft Dynamics 365",
    ),
    ("en", "The County implemented a new policy and the solution shall run on Oracle Database.", "Oracle Database"),
    ("en", "The contractor shall deliver all reports in Microsoft Excel only.", "Microsoft Excel"),
    ("en", "The bid shall offer a solution built on Microsoft Dynamics 365.", "Microsoft Dynamics 365"),
    (
        "en",
        "The new system shall be built on Microsoft Dynamics 365, which the County has selected as its ERP platform.",
        "Microsoft Dynamics 365",
    ),
    ("en", "Bidders must have implemented SAP S/4HANA in at least three public bodies.", "SAP S/4HANA"),
    (
        "en",
        "Since the start of the contract, the contractor shall host the system on Amazon Web Services.",
        "Amazon Web Services",
    ),
    (
        "es",
        "El contratista deberá suministrar licencias de Microsoft Office, Windows, etc.",
        "Microsoft Office, Windows",
    ),
    (
        "es",
        "El estándar institucional exige que los servidores deberán usar Windows Server y SQL Server.",
        "SQL Server",
    ),
    (
        "pt",
        "A contratada deverá fornecer licenças de Microsoft Office, Windows, entre outros.",
        "Microsoft Office, Windows",
    ),
    ("pt", "Desde 2025 a solução deverá utilizar o Microsoft SQL Server.", "Microsoft SQL Server"),
    ("fr", "Le titulaire devra fournir des licences Microsoft Office, Windows, etc.", "Microsoft Office, Windows"),
]


@pytest.mark.parametrize(("lang", "text", "match"), REQUIRED)
def test_a_required_or_bought_brand_stays_an_error(bundled_rules, lang, text, match):
    hits, found = brand_findings(text, lang, bundled_rules, match)
    assert hits, [(f.rule, f.match, f.role) for f in found]
    assert all(f.severity == "error" and f.role in ("required", "object") for f in hits), [
        (f.rule, f.role, f.role_reason) for f in hits
    ]
