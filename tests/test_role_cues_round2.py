"""Role cues of the second findings round (issue 9 item 2): the installed base said with a time
adverb or its users as subject, the buyer's own team tools, registration through a form, a form or
repository named as a link, exclusions by label or after the mention, offers rejected for a
product, audit offices reported, examples listed, past events with a time marker, not needed and
independent-of. One sentence per cue and language, written for these tests from the general
language of procurement; none is taken from a real tender or from the corpus."""

from __future__ import annotations

import pytest
from rolecheck import assert_brand_role, findings_of

from ospo_procure.lint import lint_text

# (language, sentence, matched text, role (None: nothing reported), words of the role reason)
CASES = [
    # the installed base: a time adverb, its users as subject, "today" after the mention
    ("en", "At present the tax office stores its case files in IBM FileNet.", "IBM FileNet", "existing", "at present"),
    ("en", "Field inspectors rely on Esri ArcGIS Field Maps today.", "Esri ArcGIS Field Maps", "existing", "today"),
    (
        "en",
        "Case officers in the regional offices rely on Salesforce Service Cloud for grant tracking.",
        "Salesforce Service Cloud",
        "existing",
        "rely on",
    ),
    (
        "en",
        "The records are held in an Oracle Database cluster at the primary site.",
        "Oracle Database",
        "existing",
        "held in an",
    ),
    (
        "es",
        "En la actualidad la secretaría gestiona sus expedientes con IBM FileNet.",
        "IBM FileNet",
        "existing",
        "en la actualidad",
    ),
    ("pt", "Hoje a secretaria gerencia os processos com o IBM FileNet.", "IBM FileNet", "existing", "hoje"),
    ("fr", "À ce jour, le service gère ses dossiers avec IBM FileNet.", "IBM FileNet", "existing", "à ce jour"),
    # the buyer's own team and its tools
    (
        "en",
        "Our digital team coordinates releases in Jira and shares files on Box.",
        "Jira",
        "procedural",
        "team coordinates",
    ),
    ("es", "El equipo de la entidad coordina las entregas en Jira.", "Jira", "procedural", "coordina"),
    ("pt", "A equipe do órgão coordena as entregas no Jira.", "Jira", "procedural", "coordena"),
    ("fr", "L'équipe de la direction coordonne les livraisons dans Jira.", "Jira", "procedural", "coordonne"),
    # registration through a form service; a form named as the text of a link
    (
        "en",
        "Suppliers who wish to attend must register through the Microsoft Forms page.",
        "Microsoft Forms",
        "procedural",
        "register",
    ),
    (
        "es",
        "Los proveedores deberán inscribirse en el formulario de Microsoft Forms.",
        "Microsoft Forms",
        "procedural",
        "inscribirse",
    ),
    (
        "pt",
        "Os fornecedores deverão se cadastrar no formulário do Microsoft Forms.",
        "Microsoft Forms",
        "procedural",
        "cadastrar",
    ),
    (
        "fr",
        "Les candidats doivent s'inscrire via le formulaire Microsoft Forms.",
        "Microsoft Forms",
        "procedural",
        "inscrire",
    ),
    (
        "en",
        "The schedule is in the [Pricing Microsoft Forms](https://forms.example.org/x) page.",
        "Microsoft Forms",
        "procedural",
        "](",
    ),
    # excluded: a label opening the paragraph, not included after the mention, offers rejected
    (
        "en",
        "Out of scope: support of the Cisco Webex Calling service.",
        "Cisco Webex Calling",
        "excluded",
        "out of scope:",
    ),
    (
        "es",
        "Fuera del alcance: el soporte del servicio Webex Calling.",
        "Webex Calling",
        "excluded",
        "fuera del alcance:",
    ),
    ("pt", "Fora do escopo: o suporte ao serviço Webex Calling.", "Webex Calling", "excluded", "fora do escopo:"),
    ("fr", "Hors périmètre : le support du service Webex Calling.", "Webex Calling", "excluded", "hors périmètre"),
    (
        "en",
        "Licences for Adobe Acrobat Pro are not included in this contract.",
        "Adobe Acrobat Pro",
        "excluded",
        "not included",
    ),
    (
        "es",
        "Las licencias de Adobe Acrobat Pro no están incluidas en este contrato.",
        "Adobe Acrobat Pro",
        "excluded",
        "no están incluidas",
    ),
    (
        "pt",
        "As licenças de Adobe Acrobat Pro não estão incluídas neste contrato.",
        "Adobe Acrobat Pro",
        "excluded",
        "não estão incluídas",
    ),
    (
        "fr",
        "Les licences Adobe Acrobat Pro ne sont pas incluses dans ce marché.",
        "Adobe Acrobat Pro",
        "excluded",
        "ne sont pas incluses",
    ),
    (
        "en",
        "Offers that rely on Internet Explorer for any function will be rejected.",
        "Internet Explorer",
        "excluded",
        "rejected",
    ),
    (
        "pt",
        "Propostas que dependam do Internet Explorer em qualquer função serão desclassificadas.",
        "Internet Explorer",
        "excluded",
        "desclassificadas",
    ),
    # commentary: what an audit office is reported to have said
    (
        "en",
        "According to the inspector general, the sole use of SAP Ariba had not been justified.",
        "SAP Ariba",
        "commentary",
        "according to",
    ),
    (
        "es",
        "Según la Contraloría, el uso exclusivo de SAP Ariba no estaba justificado.",
        "SAP Ariba",
        "commentary",
        "según",
    ),
    ("pt", "Segundo o TCU, o uso exclusivo do SAP Ariba não estava justificado.", "SAP Ariba", "commentary", "segundo"),
    (
        "fr",
        "Selon la Cour des comptes, l'usage exclusif de SAP Ariba n'était pas justifié.",
        "SAP Ariba",
        "commentary",
        "selon",
    ),
    # examples listed; a sentence opened by "preferably,"
    ("en", "Examples of suitable ticketing tools are Redmine, OTRS and Zendesk.", "Zendesk", "example", "examples"),
    ("es", "Ejemplos de herramientas adecuadas son Redmine, OTRS y Zendesk.", "Zendesk", "example", "ejemplos"),
    ("pt", "Exemplos de ferramentas adequadas são Redmine, OTRS e Zendesk.", "Zendesk", "example", "exemplos"),
    ("fr", "Des exemples d'outils adaptés sont Redmine, OTRS et Zendesk.", "Zendesk", "example", "exemples"),
    ("en", "Ideally, the firm has run migrations from Joomla or Sitecore.", "Sitecore", "example", "ideally,"),
    # history: a past event after the mention, or with a time marker before it
    (
        "en",
        "The Tyler Munis licences were purchased under the 2012 county agreement.",
        "Tyler Munis",
        "history",
        "were purchased",
    ),
    (
        "es",
        "Las licencias de Tyler Munis fueron compradas con el convenio de 2012.",
        "Tyler Munis",
        "history",
        "fueron compradas",
    ),
    (
        "pt",
        "As licenças do Tyler Munis foram compradas no convênio de 2012.",
        "Tyler Munis",
        "history",
        "foram compradas",
    ),
    (
        "fr",
        "Les licences Tyler Munis ont été achetées dans le cadre de la convention de 2012.",
        "Tyler Munis",
        "history",
        "ont été achetées",
    ),
    (
        "en",
        "Two years ago the water utility deployed Oracle Primavera for capital projects.",
        "Oracle Primavera",
        "history",
        "two years ago",
    ),
    (
        "es",
        "Hace dos años la empresa de aguas implementó Oracle Primavera.",
        "Oracle Primavera",
        "history",
        "hace dos años",
    ),
    (
        "pt",
        "Há dois anos a companhia de saneamento implantou o Oracle Primavera.",
        "Oracle Primavera",
        "history",
        "há dois anos",
    ),
    ("fr", "Il y a deux ans, la régie a déployé Oracle Primavera.", "Oracle Primavera", "history", "il y a deux ans"),
    # not needed; independent of any provider, including a named one
    ("en", "Citizens will not need Adobe Reader to sign the forms.", "Adobe Reader", None, ""),
    ("es", "Los ciudadanos no necesitarán Adobe Reader para firmar.", "Adobe Reader", None, ""),
    ("pt", "Os cidadãos não precisarão do Adobe Reader para assinar.", "Adobe Reader", None, ""),
    ("fr", "Les usagers n'auront pas besoin d'Adobe Reader pour signer.", "Adobe Reader", None, ""),
    (
        "en",
        "Hosting shall be independent of any single cloud provider, including Microsoft Azure.",
        "Microsoft Azure",
        None,
        "",
    ),
    (
        "es",
        "El alojamiento será independiente de cualquier proveedor de nube, incluido Microsoft Azure.",
        "Microsoft Azure",
        None,
        "",
    ),
    (
        "pt",
        "A hospedagem será independente de qualquer provedor de nuvem, inclusive Microsoft Azure.",
        "Microsoft Azure",
        None,
        "",
    ),
    (
        "fr",
        "L'hébergement sera indépendant de tout fournisseur de nuage, y compris Microsoft Azure.",
        "Microsoft Azure",
        None,
        "",
    ),
    # what the buyer furnishes (government-furnished, "will be provided by the Department")
    (
        "en",
        "Government-furnished workstations run Microsoft Windows 11 Enterprise.",
        "Microsoft Windows 11 Enterprise",
        "existing",
        "government-furnished",
    ),
    (
        "en",
        "Licences of Esri ArcGIS Pro will be provided by the County.",
        "Esri ArcGIS Pro",
        "existing",
        "provided by the county",
    ),
    (
        "es",
        "La entidad pondrá a disposición del contratista licencias de Esri ArcGIS Pro.",
        "Esri ArcGIS Pro",
        "existing",
        "pondrá a disposición",
    ),
    (
        "pt",
        "A contratante fornecerá à contratada acesso ao Esri ArcGIS Pro.",
        "Esri ArcGIS Pro",
        "existing",
        "fornecerá",
    ),
    (
        "fr",
        "L'acheteur mettra à disposition du titulaire des licences Esri ArcGIS Pro.",
        "Esri ArcGIS Pro",
        "existing",
        "mettra à disposition",
    ),
    # what is modernised exists
    (
        "en",
        "The programme will modernize the ageing IBM Lotus Domino applications.",
        "Lotus Domino",
        "existing",
        "modernize",
    ),
    ("es", "Se busca modernizar el antiguo IBM Lotus Domino.", "Lotus Domino", "existing", "modernizar"),
    (
        "pt",
        "O projeto visa modernizar o antigo IBM Lotus Domino.",
        "Lotus Domino",
        "existing",
        "modernizar",
    ),
    (
        "fr",
        "Le projet vise à moderniser les applications IBM Lotus Domino.",
        "Lotus Domino",
        "existing",
        "moderniser",
    ),
    # a past purchase in a fiscal year
    ("en", "In FY2021 the Department purchased Tableau Server core licences.", "Tableau Server", "history", "fy2021"),
    # a list introduced as the current environment, or as examples
    (
        "en",
        "The applications currently in use are:\n\n- SAP Business One",
        "SAP Business One",
        "existing",
        "currently in use",
    ),
    (
        "es",
        "Las aplicaciones actualmente en uso son:\n\n- SAP Business One",
        "SAP Business One",
        "existing",
        "actualmente en uso",
    ),
    (
        "pt",
        "As aplicações atualmente em uso são:\n\n- SAP Business One",
        "SAP Business One",
        "existing",
        "atualmente em uso",
    ),
    (
        "fr",
        "Les applications actuellement en service sont :\n\n- SAP Business One",
        "SAP Business One",
        "existing",
        "actuellement",
    ),
    ("en", "Examples include:\n\n- Qlik Sense", "Qlik Sense", "example", "examples include"),
    ("es", "Por ejemplo:\n\n- Qlik Sense", "Qlik Sense", "example", "por ejemplo"),
    ("pt", "Por exemplo:\n\n- Qlik Sense", "Qlik Sense", "example", "por exemplo"),
    ("fr", "Par exemple :\n\n- Qlik Sense", "Qlik Sense", "example", "par exemple"),
    # a heading naming the technical environment
    (
        "en",
        "2. TECHNICAL ENVIRONMENT\n\nThe finance unit works with SAP Business One.",
        "SAP Business One",
        "existing",
        "technical environment",
    ),
    (
        "es",
        "2. ENTORNO TECNOLÓGICO\n\nLa unidad financiera trabaja con SAP Business One.",
        "SAP Business One",
        "existing",
        "entorno tecnológico",
    ),
    (
        "pt",
        "2. AMBIENTE TECNOLÓGICO\n\nA unidade financeira trabalha com SAP Business One.",
        "SAP Business One",
        "existing",
        "ambiente tecnológico",
    ),
    (
        "fr",
        "2. ENVIRONNEMENT TECHNIQUE\n\nLe service financier travaille avec SAP Business One.",
        "SAP Business One",
        "existing",
        "environnement technique",
    ),
]


@pytest.mark.parametrize("lang,text,match,role,reason", CASES)
def test_second_round_roles(bundled_rules, lang, text, match, role, reason):
    assert_brand_role(bundled_rules, lang, text, match, role, reason)


@pytest.mark.parametrize(
    "lang,text,match",
    [
        # "exclusivement" is not "exclu": the mention stays required
        ("fr", "Les postes devront fonctionner exclusivement sous Microsoft Windows 11.", "Microsoft Windows 11"),
        # a contractor's team and its tools stay required
        ("en", "The Contractor's team shall track all work in Jira Software.", "Jira Software"),
        # an expected behaviour, not a rejection: "offers based on X are accepted"
        ("en", "Offers based on Microsoft Dynamics 365 must include migration services.", "Microsoft Dynamics 365"),
        # a list a requirement introduces stays required, even when it names the current platform
        (
            "en",
            "The new system shall replace the current platform and shall include:\n\n- SAP Business One",
            "SAP Business One",
        ),
    ],
)
def test_second_round_cues_leave_requirements_alone(bundled_rules, lang, text, match):
    found = findings_of(text, lang, bundled_rules)
    hits = [f for f in found if f.match.startswith(match.split()[0]) and f.severity == "error"]
    assert hits, [(f.rule, f.match, f.role, f.role_reason) for f in found]


@pytest.mark.parametrize(
    "lang,text,vendor,reason",
    [
        ("en", "Approve the purchase of GIS software maintenance from Hexagon AB for three years.", "Hexagon", "from"),
        (
            "en",
            "Authorise the Director to execute the Enterprise Agreement with Autodesk.",
            "Autodesk",
            "agreement with",
        ),
        (
            "en",
            "Staff recommend that Council affirm that Tyler Technologies is the sole source supplier.",
            "Tyler",
            "sole",
        ),
        (
            "es",
            "Se aprueba la contratación del soporte con la empresa Autodesk por un año.",
            "Autodesk",
            "con la empresa",
        ),
        ("pt", "Trata-se da contratação da empresa Autodesk para o suporte das licenças.", "Autodesk", "da empresa"),
        (
            "fr",
            "Le marché porte sur l'achat de licences auprès de la société Autodesk.",
            "Autodesk",
            "auprès de la société",
        ),
    ],
)
def test_the_vendor_as_the_other_party_of_the_purchase_is_the_object(bundled_rules, lang, text, vendor, reason):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    hits = [f for f in found if f.rule == "BRAND-VENDOR" and f.match.startswith(vendor)]
    assert hits, [(f.rule, f.match, f.role, f.role_reason) for f in found]
    assert hits[0].role == "object" and hits[0].severity == "error"
    assert reason.lower() in hits[0].role_reason.lower(), hits[0].role_reason


@pytest.mark.parametrize(
    "text",
    [
        "The County has an existing enterprise agreement with Autodesk that expires in June.",
        "The current support contract with Autodesk ends in March.",
        "The agreement with Autodesk was signed in 2019 and is now being re-competed.",
        "Quotes were requested from Autodesk and two resellers.",
    ],
)
def test_a_vendor_in_a_past_or_current_contract_is_not_the_object(bundled_rules, text):
    found = lint_text(text, language="en", ruleset=bundled_rules, score=False).findings
    assert [f for f in found if f.rule == "BRAND-VENDOR" and f.severity == "error"] == []


@pytest.mark.parametrize(
    "lang,text,rule",
    [
        ("en", "Members are asked to approve a waiver of Contracts Procedure Rules 8.1 and 8.2.", "SOLE-DIRECT-AWARD"),
        ("en", "The support will be bought without seeking competition.", "SOLE-DIRECT-AWARD"),
        ("en", "Award procedure without prior publication of a call for competition.", "SOLE-DIRECT-AWARD"),
        ("en", "The Purchaser will not have access to the source code of the product.", "SRC-RIGHTS-DENIED"),
        ("en", "The Supplier is under no obligation to provide source code.", "SRC-NOT-DELIVERED"),
        ("en", "The County receives the compiled application but not its source code.", "SRC-NOT-DELIVERED"),
    ],
)
def test_second_round_lock_in_wording(bundled_rules, lang, text, rule):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    assert any(f.rule == rule and f.severity == "error" for f in found), [(f.rule, f.match) for f in found]


def test_the_contractor_acting_as_the_single_point_of_support_is_no_sole_source(bundled_rules):
    text = "The Contractor shall act as the single source of support for all components it integrates."
    found = lint_text(text, language="en", ruleset=bundled_rules, score=False).findings
    assert [f for f in found if f.category == "sole_source"] == []


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "In 2012 the Council standardized on the Hexagon GeoMedia suite for all mapping work."),
        ("en", "Switching to a different permitting product would require a large investment of staff time."),
        ("es", "En 2015 la entidad estandarizó el uso de Hexagon GeoMedia para la cartografía."),
        ("es", "Cambiar a otro sistema de permisos implicaría un costo elevado de capacitación."),
        ("pt", "Em 2015 o órgão padronizou o uso do Hexagon GeoMedia para a cartografia."),
        ("pt", "Trocar para outro sistema de licenciamento exigiria novo treinamento de toda a equipe."),
        ("fr", "En 2015, la collectivité a standardisé sur Hexagon GeoMedia pour la cartographie."),
        ("fr", "Changer pour un autre logiciel de gestion nécessiterait de former tous les agents."),
    ],
)
def test_standardisation_and_switching_costs_are_continuity(bundled_rules, lang, text):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    hits = [f for f in found if f.rule == "BRAND-CONTINUITY"]
    assert hits and hits[0].role == "continuity" and hits[0].severity == "warning", [(f.rule, f.role) for f in found]


@pytest.mark.parametrize(
    "lang,text,match",
    [
        (
            "en",
            "Technical upgrade of the pension system from Oracle Database 10g to a supported release.",
            "Oracle Database 10g",
        ),
        ("es", "Migración del actual ERP de la entidad basado en la solución SAP ERP a la nueva versión.", "SAP ERP"),
        ("pt", "Migração do atual ERP do órgão baseado na solução SAP ERP para a nova versão.", "SAP ERP"),
        ("fr", "Migration de l'ERP actuel de la collectivité basé sur la solution SAP ERP.", "SAP ERP"),
    ],
)
def test_what_is_upgraded_from_or_the_current_system_is_built_on_exists(bundled_rules, lang, text, match):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    hits = [f for f in found if f.match.startswith(match) and f.category == "brand"]
    assert hits and hits[0].role == "existing", [(f.rule, f.match, f.role, f.role_reason) for f in found]


@pytest.mark.parametrize(
    "lang,text,match,role",
    [
        (
            "en",
            "The Ministry's infrastructure consists of VMware vSphere 7 clusters and NetBackup.",
            "VMware vSphere 7",
            "existing",
        ),
        ("es", "La infraestructura actual consta de clústeres VMware vSphere 7.", "VMware vSphere 7", "existing"),
        ("pt", "A infraestrutura atual é composta por clusters VMware vSphere 7.", "VMware vSphere 7", "existing"),
        ("fr", "L'infrastructure actuelle se compose de grappes VMware vSphere 7.", "VMware vSphere 7", "existing"),
        (
            "en",
            "The protester argued that naming Microsoft Office was unduly restrictive.",
            "Microsoft Office",
            "commentary",
        ),
        (
            "es",
            "La recurrente alegó que exigir Microsoft Office restringía la competencia.",
            "Microsoft Office",
            "commentary",
        ),
        (
            "pt",
            "A representante alegou que exigir Microsoft Office restringia a competição.",
            "Microsoft Office",
            "commentary",
        ),
        (
            "fr",
            "La société requérante soutient qu'exiger Microsoft Office restreint la concurrence.",
            "Microsoft Office",
            "commentary",
        ),
    ],
)
def test_the_environment_as_it_is_and_protests_reported(bundled_rules, lang, text, match, role):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    hits = [f for f in found if f.match.startswith(match) and f.category == "brand"]
    assert hits and hits[0].role == role and hits[0].severity == "info", [(f.rule, f.match, f.role) for f in found]


def test_a_proposed_environment_stays_required(bundled_rules):
    """Not read as the installed base; with no modal it is the undecided default: a warning."""
    text = "The proposed environment includes VMware vSphere 8 clusters."
    found = lint_text(text, language="en", ruleset=bundled_rules, score=False).findings
    hits = [f for f in found if f.match.startswith("VMware vSphere 8") and f.rule == "BRAND-PRODUCT"]
    assert [(f.role, f.severity) for f in hits] == [("required", "warning")]


@pytest.mark.parametrize(
    "lang,text,match,role",
    [
        (
            "en",
            "The portal shall work in any current browser except Internet Explorer.",
            "Internet Explorer",
            "excluded",
        ),
        (
            "es",
            "El portal funcionará en cualquier navegador excepto Internet Explorer.",
            "Internet Explorer",
            "excluded",
        ),
        ("pt", "O portal funcionará em qualquer navegador, exceto Internet Explorer.", "Internet Explorer", "excluded"),
        ("fr", "Le portail fonctionnera sur tout navigateur sauf Internet Explorer.", "Internet Explorer", "excluded"),
        ("en", "The following will not be accepted:\n\n- Internet Explorer plug-ins", "Internet Explorer", "excluded"),
        (
            "en",
            "The contractor will coordinate daily with agency staff via Microsoft Teams.",
            "Microsoft Teams",
            "procedural",
        ),
        (
            "es",
            "El contratista se coordinará con el personal a través de Microsoft Teams.",
            "Microsoft Teams",
            "procedural",
        ),
        ("pt", "A contratada vai se comunicar com a equipe pelo Microsoft Teams.", "Microsoft Teams", "procedural"),
        ("fr", "Le titulaire communiquera avec les agents via Microsoft Teams.", "Microsoft Teams", "procedural"),
    ],
)
def test_exceptions_and_team_communication(bundled_rules, lang, text, match, role):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    hits = [f for f in found if f.match.startswith(match) and f.category == "brand"]
    assert hits and hits[0].role == role and hits[0].severity == "info", [(f.rule, f.match, f.role) for f in found]


@pytest.mark.parametrize(
    "lang,text,match,role",
    [
        ("en", "Supply of 120 Lenovo ThinkPad X1 Carbon notebooks.", "Lenovo ThinkPad", "object"),
        (
            "es",
            "El servidor deberá tener un procesador Intel Xeon Silver 4410Y, dos sockets.",
            "Intel Xeon",
            "required",
        ),
        ("pt", "O equipamento deverá ser um servidor Dell PowerEdge R760.", "Dell PowerEdge", "required"),
        ("fr", "Fourniture de 40 onduleurs APC Smart-UPS 3000.", "APC Smart-UPS", "object"),
    ],
)
def test_named_hardware_lines_are_brands(bundled_rules, lang, text, match, role):
    found = lint_text(text, language=lang, ruleset=bundled_rules, score=False).findings
    hits = [f for f in found if f.match.startswith(match) and f.rule == "BRAND-PRODUCT"]
    assert hits and hits[0].role == role and hits[0].severity == "error", [(f.rule, f.match, f.role) for f in found]
