"""A named vendor's subscription of open-source software (rule BRAND-OSS-VENDOR): reported where
the subscription is bought, never called proprietary, silent where the software is only the
platform a solution runs on. Sentences are written for these tests, in the general language of
procurement, not taken from the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rulefolder import write_rule_folder

from ospo_procure.errors import DataError
from ospo_procure.lint import lint_text
from ospo_procure.rules import load_ruleset
from ospo_procure.rules.lexicons import load_products

PROPRIETARY = re.compile(r"propriet|propriét", re.IGNORECASE)


@pytest.fixture(scope="module")
def rules():
    return load_ruleset()


def _lock_in(text: str, lang: str, rules) -> list:
    return [f for f in lint_text(text, language=lang, ruleset=rules, score=False).findings if f.severity != "info"]


# -- the lexicon


def test_open_source_entries_never_give_the_platform_finding(rules):
    entries = [e for e in rules.products.entries if e.open_source]
    names = {e.full_name for e in entries}
    assert {"Red Hat Enterprise Linux", "SUSE Linux Enterprise", "Canonical Ubuntu Pro", "Oracle Linux"} <= names
    assert all(e.findings == ("brand",) for e in entries)
    assert {"Red Hat", "SUSE", "Canonical"} <= rules.products.open_source_vendors
    assert "Oracle" not in rules.products.open_source_vendors  # Oracle also sells proprietary software


def _products(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "products.yaml"
    path.write_text(
        "version: 1\ncategory_findings:\n  operating_system: [brand, proprietary_technology]\n"
        "  technology: [proprietary_technology]\nvendors:\n" + body,
        encoding="utf-8",
    )
    return path


def test_open_source_must_be_a_boolean(tmp_path):
    path = _products(
        tmp_path,
        "  - vendor: X\n    products:\n      - name: X Linux\n        category: operating_system\n        open_source: yes please\n",
    )
    with pytest.raises(DataError, match=r"products\.yaml:10: "):
        load_products(path)


def test_open_source_product_needs_a_brand_category(tmp_path):
    path = _products(
        tmp_path,
        "  - vendor: X\n    products:\n      - name: X Runtime\n        category: technology\n        open_source: true\n",
    )
    with pytest.raises(DataError, match=r"products\.yaml:10: .*open-source product needs a category"):
        load_products(path)


def test_a_vendor_in_two_blocks_keeps_its_ordinary_word_rule(tmp_path):
    body = (
        "  - vendor: Sage\n    ambiguous_vendor: true\n    products:\n      - {name: Sage 50, category: operating_system}\n"
        "  - vendor: Sage\n    products:\n      - {name: Sage Linux, category: operating_system, open_source: true}\n"
    )
    with pytest.raises(DataError, match=r"products\.yaml:10: vendor 'Sage': `ambiguous_vendor` differs"):
        load_products(_products(tmp_path, body))
    fixed = _products(
        tmp_path,
        body.replace("  - vendor: Sage\n    products:", "  - vendor: Sage\n    ambiguous_vendor: true\n    products:"),
    )
    lex = load_products(fixed)
    assert [h.vendor for h in lex.scan_vendors("the sage advice of Sage")] == ["Sage"]
    assert lex.open_source_vendors == set()  # Sage also sells proprietary products


def test_open_source_applies_to_products_and_vendors_only(tmp_path):
    from rulefolder import MINI_RULES

    folder = write_rule_folder(
        tmp_path,
        rules=MINI_RULES.replace("      - {lexicon: formats}", "      - {lexicon: formats, open_source: true}", 1),
    )
    with pytest.raises(DataError, match=r"test\.yaml:\d+: .*`open_source:` applies to the products and vendors"):
        load_ruleset(folder)


def test_roles_file_rejects_an_unknown_role_in_when_bought(tmp_path):
    folder = write_rule_folder(tmp_path)
    roles = folder / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    roles.write_text(
        text.replace("rules:\n", "rules:\n  T-BRAND: {when_bought: [bought]}\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"roles\.yaml:\d+: "):
        load_ruleset(folder)


# -- what is reported


BOUGHT = [
    ("en", "Supply of 25 Red Hat Enterprise Linux subscriptions with standard support for the Ministry's servers."),
    (
        "en",
        "The contractor shall renew the SUSE Linux Enterprise Server subscriptions of the data centre for two years.",
    ),
    ("es", "Contratación del soporte de Red Hat OpenShift Container Platform para el clúster de la entidad."),
    ("es", "Renovación de las suscripciones de Oracle Linux Support para 8 procesadores."),
    ("pt", "Aquisição de subscrições Red Hat Enterprise Linux para 10 servidores físicos, com suporte por 36 meses."),
    ("pt", "Renovação do suporte ao Ansible Automation Platform do órgão."),
    ("fr", "Fourniture d'abonnements Ubuntu Pro pour les serveurs du ministère."),
    ("fr", "Le marché porte sur le renouvellement du support de JBoss EAP."),
]


@pytest.mark.parametrize("lang,text", BOUGHT)
def test_a_subscription_bought_is_brand_lock_in_and_never_proprietary(lang, text, rules):
    result = lint_text(text, language=lang, ruleset=rules, score=False)
    found = [f for f in result.findings if f.severity != "info"]
    assert [(f.rule, f.category, f.role, f.severity) for f in found] == [
        ("BRAND-OSS-VENDOR", "brand", "object", "error")
    ]
    finding = found[0]
    for words in (finding.message, finding.suggestion):
        assert not PROPRIETARY.search(words), words
    assert finding.legal_basis and finding.role_reason


def test_the_message_names_the_vendor_and_the_remedy_in_each_language(rules):
    (en,) = _lock_in(BOUGHT[0][1], "en", rules)
    assert "Red Hat's subscription of open-source software" in en.message
    assert "AlmaLinux" in en.suggestion and "any qualified provider" in en.suggestion
    (pt,) = _lock_in(BOUGHT[4][1], "pt", rules)
    assert "código aberto" in pt.message and "fornecedor qualificado" in pt.suggestion


def test_the_vendor_named_on_its_own_as_what_is_bought(rules):
    found = _lock_in("The lot covers the support of Red Hat products for 36 months.", "en", rules)
    assert [(f.rule, f.match, f.role) for f in found] == [("BRAND-OSS-VENDOR", "Red Hat", "object")]
    assert not PROPRIETARY.search(found[0].message)


NOT_LOCK_IN = [
    # the platform a solution must run on, alone or among others
    ("en", "The application shall run on Red Hat Enterprise Linux 9."),
    (
        "en",
        "The software must be supported on Windows Server, SUSE Linux Enterprise Server or Red Hat Enterprise Linux.",
    ),
    ("es", "La solución deberá ejecutarse sobre Red Hat Enterprise Linux o cualquier distribución compatible."),
    ("pt", "O sistema deverá ser homologado para Red Hat Enterprise Linux 8 ou superior."),
    ("fr", "L'application devra fonctionner sous Red Hat Enterprise Linux ou Debian."),
    # the installed base, and an upgrade of it in a contract that does not buy the subscription
    ("en", "The portal runs today on JBoss EAP 7 and will be rebuilt on an open stack."),
    ("en", "The contractor will upgrade the existing software to the new release on Linux (Red Hat 8 or above)."),
    ("pt", "Atualmente os servidores do órgão utilizam Oracle Linux."),
    # a vendor's staff certification belongs to the certification finding
    ("es", "Se valorará que el equipo cuente con la certificación Red Hat Certified Engineer."),
]


@pytest.mark.parametrize("lang,text", NOT_LOCK_IN)
def test_open_source_software_named_as_the_platform_is_no_lock_in(lang, text, rules):
    found = _lock_in(text, lang, rules)
    oss = re.compile(r"Red Hat|SUSE|JBoss|Oracle Linux")
    assert not [f for f in found if f.rule == "BRAND-OSS-VENDOR" or oss.search(f.match)], [
        (f.rule, f.match, f.role, f.role_reason) for f in found
    ]


def test_continuity_counts_only_in_a_purchase_of_that_vendor():
    rules = load_ruleset()
    bought = (
        "Objeto: renovação das subscrições Red Hat Enterprise Linux do datacenter.\n\n"
        "A padronização dos servidores sobre a plataforma Red Hat justifica a renovação."
    )
    result = lint_text(bought, language="pt", ruleset=rules, score=False)
    roles = {(f.rule, f.role) for f in result.findings if f.severity != "info"}
    assert ("BRAND-OSS-VENDOR", "object") in roles and ("BRAND-OSS-VENDOR", "continuity") in roles
    other = (
        "Objeto: desenvolvimento do novo portal de serviços do órgão.\n\n"
        "A padronização dos servidores sobre a plataforma Red Hat será mantida."
    )
    result = lint_text(other, language="pt", ruleset=rules, score=False)
    assert not [f for f in result.findings if f.rule == "BRAND-OSS-VENDOR" and f.severity != "info"]


def test_proprietary_rules_leave_open_source_entries_alone(rules):
    text = "Aquisição de subscrições Red Hat Enterprise Linux e de licenças Microsoft Windows Server para o datacenter."
    found = _lock_in(text, "pt", rules)
    by_rule = {(f.rule, f.match) for f in found}
    assert ("BRAND-OSS-VENDOR", "Red Hat Enterprise Linux") in by_rule
    assert not [
        f for f in found if f.rule in ("BRAND-PRODUCT", "BRAND-VENDOR", "TECH-PLATFORM") and "Red Hat" in f.match
    ]
    assert {"BRAND-PRODUCT", "TECH-PLATFORM"} <= {f.rule for f in found if "Windows" in f.match}


def test_a_subscription_listed_beside_a_proprietary_product_stays_its_own_finding(rules):
    text = "Renewal of the Red Hat Enterprise Linux, Microsoft Windows Server subscriptions of the data centre."
    found = lint_text(text, language="en", ruleset=rules, score=False).findings
    brand = sorted((f.rule, f.match) for f in found if f.category == "brand")
    assert brand == [("BRAND-OSS-VENDOR", "Red Hat Enterprise Linux"), ("BRAND-PRODUCT", "Microsoft Windows Server")]


def test_a_subscription_nothing_decides_keeps_the_undecided_warning(rules):
    """Named with no cue, heading or stated object: it may be what is bought, so the reviewer is
    asked to check (the undecided warning), where a requirement the text states is dropped."""
    (found,) = _lock_in("Red Hat Enterprise Linux Server with Smart Management, 2 sockets.", "en", rules)
    assert (found.rule, found.severity, found.role, found.role_reason) == (
        "BRAND-OSS-VENDOR",
        "warning",
        "required",
        "no qualifying context",
    )
    assert not _lock_in("The server shall run Red Hat Enterprise Linux Server with Smart Management.", "en", rules)
