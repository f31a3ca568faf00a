"""Rubric calibration against the bands of docs/labelling.md: facts of the whole document
(award criteria stated without weights), brands counted per product, and open-source work
rated in the award. Sentences are written from the general language of procurement."""

from __future__ import annotations

import json

import pytest

from ospo_procure.errors import DataError
from ospo_procure.lint import lint_text
from ospo_procure.scoring import load_rubric

# (language, award criteria listed without weights, the lowest price deciding the award)
AWARD = [
    (
        "en",
        "Proposals will be evaluated on the following factors: technical approach, "
        "staff qualifications and past performance.",
        "The contract will be awarded to the lowest priced, technically acceptable offer.",
    ),
    (
        "es",
        "Las ofertas serán evaluadas conforme a los siguientes criterios: metodología, "
        "experiencia del equipo y plazo de ejecución.",
        "La adjudicación recaerá en la oferta de menor precio.",
    ),
    (
        "pt",
        "As propostas serão avaliadas conforme os seguintes critérios: metodologia, "
        "experiência da equipe e prazo de execução.",
        "O critério de julgamento será o menor preço global.",
    ),
    (
        "fr",
        "Les offres seront évaluées selon les critères suivants : valeur technique, "
        "délais d'exécution et qualité de la méthodologie.",
        "Le marché sera attribué à l'offre présentant le prix le plus bas.",
    ),
]


@pytest.mark.parametrize(("lang", "factors", "lowest"), AWARD)
def test_award_criteria_without_weights_are_mid_not_silence(lang, factors, lowest):
    """Criterion 9: factors listed without weights is mid; lowest price only, or nothing, is low.
    The raised score quotes the document's own words, in the document's language."""
    silent = lint_text("The services are described in Annex A.", language=lang).scorecard.criteria[9]
    listed = lint_text(factors, language=lang).scorecard.criteria[9]
    cheapest = lint_text(f"{factors}\n\n{lowest}", language=lang).scorecard.criteria[9]
    assert silent.score <= 1 and silent.bound is None
    assert listed.score == 2
    assert listed.bound is not None and listed.bound.fact == "award_stated"
    assert listed.bound.words.strip("…") in factors
    reason = listed.reasons(lang)[-2]  # before the total: "raised to 2: <fact> (<words>)"
    assert listed.bound.says[lang] in reason and listed.bound.words in reason
    assert cheapest.score <= 1 and cheapest.bound is None


def test_a_floor_is_in_the_json_report_and_adds_up():
    from ospo_procure.model import LintRun
    from ospo_procure.report import ReportOptions, render

    result = lint_text(AWARD[0][1], language="en")
    c = result.scorecard.criteria[9]
    assert c.total == 2 and c.reasons()[-1] == "total 2/5"
    assert c.reasons()[-2].startswith("raised to 2: the document states its award criteria (“")
    data = json.loads(render("json", LintRun(files=[result]), ReportOptions(tool_version="0")))
    nine = data["files"][0]["scorecard"]["criteria"]["9"]
    assert nine["bound"]["fact"] == "award_stated" and nine["bound"]["score"] == 2


def test_weights_are_not_lowered_by_the_floor():
    """A weighted tender scores its weights; the floor only lifts what stays below it."""
    weighted = lint_text(
        "Technical approach 60 points; price 40 points. " + AWARD[0][1], language="en"
    ).scorecard.criteria[9]
    assert weighted.score >= 2 and weighted.bound is None


def test_one_product_named_many_times_is_one_brand(mini_rules):
    """'Several brands imposed' counts brands, not the places a brand is named: one database
    product named in three clauses, versions apart, is one imposed brand (mid)."""
    one = "\n\n".join(
        [
            "The database layer must run on Microsoft SQL Server 2019.",
            "Reports must be stored in Microsoft SQL Server.",
            "Backups must use the tools of Microsoft SQL Server 2022.",
        ]
    )
    several = "\n\n".join(
        [
            "The database layer must run on Microsoft SQL Server 2019.",
            "Client workstations must run Windows 11 Enterprise.",
        ]
    )
    once = lint_text(one, language="en", ruleset=mini_rules).scorecard.criteria[1]
    many = lint_text(several, language="en", ruleset=mini_rules).scorecard.criteria[1]
    assert 2 <= once.score <= 3
    assert any("for 1 finding (brand names" in r for r in once.reasons())
    assert many.score < once.score


@pytest.mark.parametrize(
    ("lang", "rated", "welcomed"),
    [
        (
            "en",
            "## 6. Evaluation factors\n\nFactor 2: the offeror's experience with open source software development.",
            "## 2. Background\n\nWe would like to hear about your experience with open source software development.",
        ),
        (
            "es",
            "## 6. Criterios de valoración\n\nSe valorará la experiencia del oferente en desarrollo de software libre.",
            "## 2. Antecedentes\n\nEl equipo del oferente tendrá experiencia en desarrollo de software libre.",
        ),
    ],
)
def test_open_source_rated_in_the_award_is_a_preference(tmp_path, lang, rated, welcomed):
    """Criterion 2 is high when open-source work is rated among the award factors (OSS
    preferred); open-source experience asked for outside the award is mid at most."""
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document

    def criterion2(text: str, name: str) -> int:
        path = tmp_path / name
        path.write_text(f"# Terms of reference\n\n{text}\n", encoding="utf-8")
        return lint_document(read_document(path), language=lang).scorecard.criteria[2].score

    assert criterion2(rated, "rated.md") >= 4
    assert criterion2(welcomed, "welcomed.md") <= 3


def test_a_floor_must_name_a_fact_of_the_rubric(tmp_path):
    bad = tmp_path / "checklist.yaml"
    bad.write_text(
        "criteria:\n" + "".join(f"  {n}:\n    title: {{en: x}}\n    base: 1\n" for n in range(1, 9)) + "  9:\n"
        "    title: {en: x}\n    base: 0\n    floor: [{fact: nowhere, score: 2}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"checklist\.yaml:\d+: criterion 9: floor fact 'nowhere'"):
        load_rubric(bad)


@pytest.mark.parametrize(
    ("lang", "terms"),
    [
        ("en", "The supplier shall provide the software licenses needed to run the solution for the contract term."),
        ("es", "El proveedor entregará las licencias de uso del software necesarias durante la vigencia del contrato."),
        ("pt", "A contratada fornecerá as licenças de uso do software necessárias durante a vigência do contrato."),
        ("fr", "Le titulaire fournira les licences d'utilisation du logiciel pendant la durée du marché."),
    ],
)
def test_licensing_terms_set_are_not_high_on_criterion_8(lang, terms):
    """Criterion 8: no licensing terms is high; licensing terms present but neutral are mid
    (docs/labelling.md), held there by a ceiling that quotes the document's words."""
    silent = lint_text("The services are described in Annex A.", language=lang).scorecard.criteria[8]
    licensed = lint_text(terms, language=lang).scorecard.criteria[8]
    assert silent.score >= 4 and silent.bound is None
    assert licensed.score == 3
    assert licensed.bound is not None and licensed.bound.kind == "ceiling"
    assert licensed.bound.words.strip("…") in terms
    assert licensed.bound.says[lang] in licensed.reasons(lang)[-2]


@pytest.mark.parametrize(
    ("lang", "renewal"),
    [
        (
            "en",
            "The object of this contract is the renewal of the technical support of Oracle Database Enterprise Edition.",
        ),
        ("es", "El objeto del contrato es la renovación del soporte técnico de Oracle Database Enterprise Edition."),
        ("pt", "O objeto da contratação é a renovação do suporte técnico do Oracle Database Enterprise Edition."),
        (
            "fr",
            "Le présent marché a pour objet le renouvellement du support technique d'Oracle Database Enterprise Edition.",
        ),
    ],
)
def test_services_around_a_named_product_narrow_the_field(lang, renewal):
    """Criterion 4: support of a named product as the object of the purchase is "a brand
    narrowing the field of service providers" (mid), not an open competition (high)."""
    open_call = lint_text("The contractor shall deliver the web application described in Annex A.", language=lang)
    named = lint_text(renewal, language=lang).scorecard.criteria[4]
    assert open_call.scorecard.criteria[4].score >= 4
    assert 2 <= named.score <= 3
    assert any(f.role == "object" for f in named.findings)


@pytest.mark.parametrize(
    ("lang", "open_terms"),
    [
        ("en", "All deliverables shall be released under an open-source license approved by the buyer."),
        ("es", "Propiedad intelectual y licenciamiento: los entregables se publicarán con licencia de código abierto."),
        (
            "pt",
            "Propriedade intelectual e licenciamento: os entregáveis serão publicados sob licença de código aberto.",
        ),
        ("fr", "Les livrables seront publiés sous une licence libre choisie par l'acheteur."),
    ],
)
def test_the_open_licence_of_the_deliverables_is_no_licence_purchase(lang, open_terms):
    """Licensing the deliverables openly sets no terms for licences the buyer must hold: no ceiling."""
    assert lint_text(open_terms, language=lang).scorecard.criteria[8].bound is None


# --- stop 22 (issue 9, bands9): contents entries, interoperability in general terms, security
# among weighted award factors, restated partner conditions, per-user licences as priced items.


@pytest.mark.parametrize(
    ("lang", "contents"),
    [
        (
            "en",
            "1. BACKGROUND 1 2. SCOPE OF WORK 2 3. SUBMISSION OF BIDS 5 EVALUATION OF BIDS AWARD CRITERIA "
            "ELIGIBILITY REQUIREMENTS 7 4. PAYMENT TERMS 9 ANNEX A: PRICE SCHEDULE 10",
        ),
        (
            "es",
            "1. ANTECEDENTES 1 2. OBJETO DEL CONTRATO 2 3. PRESENTACIÓN DE OFERTAS 4 EVALUACIÓN DE LAS OFERTAS "
            "CRITERIOS DE ADJUDICACIÓN REQUISITOS DE SOLVENCIA 6 4. FORMA DE PAGO 8 ANEXO I: MODELO DE OFERTA 9",
        ),
        (
            "pt",
            "1. DO OBJETO 1 2. DA JUSTIFICATIVA 2 3. DA APRESENTAÇÃO DAS PROPOSTAS 4 DOS CRITÉRIOS DE JULGAMENTO "
            "DA HABILITAÇÃO E DOS DOCUMENTOS 6 4. DO PAGAMENTO 8 ANEXO I: MODELO DE PROPOSTA 9",
        ),
        (
            "fr",
            "ARTICLE 1 : OBJET DU MARCHÉ 2 ARTICLE 2 : DURÉE 3 ARTICLE 3 : PRÉSENTATION DES OFFRES 4 "
            "CRITÈRES D'ATTRIBUTION ET JUGEMENT DES OFFRES 6 ARTICLE 4 : PAIEMENT 8 ARTICLE 5 : PÉNALITÉS 9",
        ),
    ],
)
def test_a_contents_entry_states_no_award_rule(lang, contents):
    """A table of contents read as one paragraph names the award clause without stating it:
    no floor on criterion 9, and the words of a later statement are quoted instead of it."""
    assert lint_text(contents, language=lang).scorecard.criteria[9].bound is None
    stated = lint_text(f"{contents}\n\n{AWARD[[a[0] for a in AWARD].index(lang)][1]}", language=lang)
    nine = stated.scorecard.criteria[9]
    assert nine.bound is not None and nine.bound.words.strip("…") in stated.blocks[1].text


@pytest.mark.parametrize(
    "contents",
    [
        "- [4.0 Basis for Award](#40-basis-for-award)\n- [5.0 Payment](#50-payment)",
        "Evaluation criteria ............................ 12\nPayment terms ................................ 14",
    ],
)
def test_a_linked_or_dotted_contents_entry_states_no_award_rule(tmp_path, contents):
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document

    path = tmp_path / "contents.md"
    path.write_text(f"# Request for quotation\n\n{contents}\n\n## Scope\n\nThe services are in Annex A.\n")
    assert lint_document(read_document(path), language="en").scorecard.criteria[9].bound is None


def test_a_heading_states_the_award_only_over_text(tmp_path):
    """'## Evaluation criteria' with its clause below is the award stated (mid); the same heading
    with nothing under it (the next heading follows at once) states nothing."""
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document

    def nine(body: str) -> int:
        path = tmp_path / "rfq.md"
        path.write_text(f"# Request for quotation\n\n{body}\n")
        return lint_document(read_document(path), language="en").scorecard.criteria[9].score

    assert nine("## Evaluation criteria\n\nTechnical approach, staffing plan and past performance.") == 2
    assert nine("## Evaluation criteria\n\n## Payment\n\nInvoices are paid monthly.") <= 1


@pytest.mark.parametrize(
    ("lang", "integration"),
    [
        ("en", "The new case management system shall be integrated with the existing financial systems of the agency."),
        ("es", "La solución deberá integrarse con los sistemas de gestión documental y de nómina de la entidad."),
        (
            "pt",
            "O sistema deverá integrar-se com os sistemas corporativos de protocolo e de recursos humanos do órgão.",
        ),
        ("fr", "La solution devra s'intégrer avec les applications métiers existantes de la collectivité."),
    ],
)
def test_interoperability_asked_in_general_terms_is_mid_on_criterion_5(lang, integration):
    """Criterion 5: interoperability asked for in general terms, no standard named, is mid; a
    document silent on it stays low."""
    silent = lint_text("The services are described in Annex A.", language=lang).scorecard.criteria[5]
    asked = lint_text(integration, language=lang).scorecard.criteria[5]
    assert silent.score <= 1 and silent.bound is None
    assert asked.score == 2
    assert asked.bound is not None and asked.bound.fact == "interoperability_asked"
    assert asked.bound.says[lang] in asked.reasons(lang)[-2]


def test_people_who_communicate_ask_for_no_interoperability():
    five = lint_text(
        "The project manager will communicate with the agency's stakeholders and attend weekly meetings.",
        language="en",
    ).scorecard.criteria[5]
    assert five.score <= 1 and five.bound is None


SECURITY = [
    (
        "en",
        "## 5. Evaluation factors\n\nTechnical approach 50 points; past performance 20 points; price 30 points.\n\n"
        "### 5.1 Technical approach\n\nThe offeror's plan for keeping the platform secure and its audit trail.",
        "## 5. Evaluation factors\n\nTechnical approach 50 points; past performance 20 points; price 30 points.\n\n"
        "### 5.1 Technical approach\n\nThe offeror's plan for the user research and the delivery schedule.",
        "## 2. Scope\n\nThe platform must be secure and keep an audit trail.\n\n"
        "## 5. Evaluation factors\n\nTechnical approach 50 points; past performance 20 points; price 30 points.",
    ),
    (
        "es",
        "## 5. Criterios de valoración\n\nPropuesta técnica 50 puntos; experiencia 20 puntos; precio 30 puntos.\n\n"
        "### 5.1 Propuesta técnica\n\nSe valorará el plan de seguridad de la información y la trazabilidad.",
        "## 5. Criterios de valoración\n\nPropuesta técnica 50 puntos; experiencia 20 puntos; precio 30 puntos.\n\n"
        "### 5.1 Propuesta técnica\n\nSe valorará la metodología de trabajo y el cronograma.",
        "## 2. Alcance\n\nLa plataforma garantizará la seguridad de la información.\n\n"
        "## 5. Criterios de valoración\n\nPropuesta técnica 50 puntos; experiencia 20 puntos; precio 30 puntos.",
    ),
]


@pytest.mark.parametrize(("lang", "secure", "plain", "scope"), SECURITY)
def test_security_among_weighted_award_factors_is_high_on_criterion_9(tmp_path, lang, secure, plain, scope):
    """Criterion 9 high: weighted factors that include security, licensing, auditability or
    transparency. The same words in the scope, or weights alone, stay mid."""
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document

    def nine(body: str, name: str):
        path = tmp_path / name
        path.write_text(f"# Terms of reference\n\n{body}\n", encoding="utf-8")
        return lint_document(read_document(path), language=lang).scorecard.criteria[9]

    rated = nine(secure, "secure.md")
    assert rated.score == 4
    assert rated.bound is not None and rated.bound.fact == "award_names_security"
    assert 2 <= nine(plain, "plain.md").score <= 3
    assert 2 <= nine(scope, "scope.md").score <= 3


def test_security_among_factors_without_weights_stays_mid(tmp_path):
    """The raise to high needs weights first (`from`): factors listed without weights are mid."""
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document

    path = tmp_path / "listed.md"
    path.write_text(
        "# RFP\n\n## Evaluation\n\nProposals will be evaluated on the following factors: technical approach, "
        "security of the solution and past performance.\n"
    )
    nine = lint_document(read_document(path), language="en").scorecard.criteria[9]
    assert nine.score == 2 and nine.bound is not None and nine.bound.fact == "award_stated"


def test_each_of_several_floors_must_name_a_fact(tmp_path):
    """Several floors are a list; each must name a fact of the rubric."""
    bad = tmp_path / "checklist.yaml"
    bad.write_text(
        "facts:\n  award_stated:\n    cues: {en: ['award criteria']}\n"
        "criteria:\n" + "".join(f"  {n}:\n    title: {{en: x}}\n    base: 1\n" for n in range(1, 9)) + "  9:\n"
        "    title: {en: x}\n    base: 0\n    floor:\n      - {fact: award_stated, score: 2}\n"
        "      - {fact: nowhere, from: 2.5, score: 4}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"checklist\.yaml:\d+: criterion 9: floor fact 'nowhere'"):
        load_rubric(bad)


def test_a_partner_condition_restated_is_one_condition():
    """Criterion 4: an authorised-partner condition restated in many clauses is still "competitive,
    but with vendor authorisation/partner conditions" (mid), not a direct award (low)."""
    clause = "The bidder must be an authorised partner of the manufacturer and provide the manufacturer's authorisation letter."
    once = lint_text(clause, language="en").scorecard.criteria[4]
    often = lint_text("\n\n".join([clause] * 6), language="en").scorecard.criteria[4]
    assert any(f.category == "vendor_certification" for f in often.findings)
    assert 2 <= often.score <= 3 and once.score >= often.score


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Award criteria ........................ 12\nPayment terms ........ 14", True),
        ("Award criteria\t12\nPayment terms\t14", True),
        ("- [6. Award criteria](#6-award-criteria)", True),
        ("3. SUBMISSION 4 4. EVALUATION OF BIDS 5 AWARD CRITERIA QUALIFICATION OF BIDDERS 7 5. PAYMENT 9", True),
        ("AWARD CRITERIA: THE LOWEST PRICED TECHNICALLY ACCEPTABLE OFFER", False),
        ("Technical award criteria\t60 points", False),
        ("The award criteria and their weights are set out in Annex 3.", False),
    ],
)
def test_contents_entries_are_told_from_statements(text, entry):
    from ospo_procure.scoring import contents_entry

    start = text.lower().index("award criteria")
    assert contents_entry(text, start, start + len("award criteria")) is entry
