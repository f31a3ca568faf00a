"""Rules are data: the bundled packs validate and their examples hold; broken rule folders
fail on load with the file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rulefolder import MINI_RULES, write_rule_folder

from ospo_procure.errors import DataError
from ospo_procure.rules import load_ruleset
from ospo_procure.rules.check import run_examples


def _bundled_rule_ids() -> list[str]:
    try:
        return [r.id for r in load_ruleset().rules]
    except DataError:  # reported by the tests below, not as a collection crash
        return ["BUNDLED-RULES-DO-NOT-LOAD"]


@pytest.mark.parametrize("rule_id", _bundled_rule_ids())
def test_bundled_rule_examples(bundled_rules, rule_id):
    """Each bad example produces the rule's finding; each good one does not."""
    single = bundled_rules.select([rule_id])
    rule = single.rules[0]
    count, failures = run_examples(single)
    assert count >= 1 + len(rule.languages) - 1
    assert not failures, "\n".join(map(str, failures))


def test_every_rule_has_examples_in_each_language(bundled_rules):
    for rule in bundled_rules.rules:
        assert set(rule.languages) <= set(rule.examples["bad"]), rule.id


def test_mini_examples_pass(mini_rules):
    count, failures = run_examples(mini_rules)
    assert count == 13 and failures == []


def _broken_roles(tmp_path: Path, old: str, new: str) -> Path:
    folder = write_rule_folder(tmp_path)
    roles = folder / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    assert old in text, old
    roles.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("    outcome: none\n", "    outcome: nothing\n", "outcome"),
        ("precedence: [negated, ", "precedence: [", "missing: negated"),
        ("    outcome: info\n", "    outcom: info\n", "unknown key 'outcom'"),
        (
            "        scope: before\n        window: 35\n",
            "        scope: before\n        window: 35\n        mentions: [brand]\n",
            "mentions",
        ),
        ("'\\binstead of\\b'", "'\\binstead (of\\b'", "bad regular expression"),
        ("vendor: {default: drop", "vendor: {default: ignore", "default"),
    ],
)
def test_broken_roles_file_names_file_and_line(tmp_path, old, new, message):
    folder = _broken_roles(tmp_path, old, new)
    with pytest.raises(DataError) as exc:
        load_ruleset(folder)
    text = str(exc.value)
    assert message in text, text
    m = re.match(r"(.+?):(\d+): ", text)
    assert m and m.group(1).endswith("roles.yaml"), text
    assert int(m.group(2)) > 1, text


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in MINI_RULES
    return write_rule_folder(tmp_path, rules=MINI_RULES.replace(old, new, 1))


def _line_of(folder: Path, needle: str) -> int:
    text = (folder / "rules" / "test.yaml").read_text()
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("    severity: warning\n", "    sevrity: warning\n", "unknown key 'sevrity'"),
        ("    criteria: [6]\n", "", "missing required field: 'criteria'"),
        ("'\\bdirect award\\b'", "'\\bdirect (award'", "bad regular expression"),
        ("'\\bdirect award\\b'", "'(a+)+$'", "backtracks catastrophically"),
        ("{LEMMA: escrow}", "{LEMMAS: escrow}", "bad token pattern"),
        ("id: T-SOLE", "id: T-ESCROW", "duplicate rule id T-ESCROW"),
        ("category: sole_source", "category: sole_sauce", "category"),
        ("    matchers:\n      - {lexicon: formats}", "    matchers:\n      - {lexicon: vendors}", "needs `finding:`"),
    ],
)
def test_broken_rule_file_names_file_and_line(tmp_path, old, new, message):
    folder = _broken(tmp_path, old, new)
    with pytest.raises(DataError) as exc:
        load_ruleset(folder)
    text = str(exc.value)
    assert message in text
    m = re.match(r"(.+?):(\d+): ", text)
    assert m and m.group(1).endswith("test.yaml"), text
    assert int(m.group(2)) > 1


def test_unknown_key_points_at_its_line(tmp_path):
    folder = _broken(tmp_path, "    severity: warning\n", "    sevrity: warning\n")
    with pytest.raises(DataError) as exc:
        load_ruleset(folder)
    assert str(exc.value).startswith(f"{folder / 'rules' / 'test.yaml'}:{_line_of(folder, 'sevrity')}:")


def test_invalid_yaml_syntax_names_line(tmp_path):
    folder = write_rule_folder(tmp_path, rules="rules:\n  - id: [unclosed\n")
    with pytest.raises(DataError, match=r"test\.yaml:\d+: invalid YAML"):
        load_ruleset(folder)


def test_bad_products_lexicon(tmp_path):
    folder = write_rule_folder(
        tmp_path,
        products="version: 1\ncategory_findings: {}\nvendors:\n  - vendor: X\n    products:\n      - {name: Y, category: nope}\n",
    )
    with pytest.raises(DataError, match=r"products\.yaml:6: .*category 'nope'"):
        load_ruleset(folder)


def test_missing_rule_folder(tmp_path):
    with pytest.raises(DataError, match="rule folder not found"):
        load_ruleset(tmp_path / "nope")


TERMS_RULE = """
version: 1
rules:
  - id: T-TERMS
    category: per_user_licensing
    severity: error
    criteria: [8]
    languages: [es]
    message: "Per-user licensing"
    matchers:
      - terms: seats
    examples:
      bad: {es: ["Se cotizarán licencias por puestos de trabajo."]}
"""


def test_term_list_matcher_is_lemma_aware(tmp_path):
    from ospo_procure.lint import lint_text

    folder = write_rule_folder(tmp_path / "r", rules=TERMS_RULE)
    (folder / "lexicons" / "terms").mkdir()
    (folder / "lexicons" / "terms" / "seats.yaml").write_text("phrases:\n  es: [licencia por puesto de trabajo]\n")
    rules = load_ruleset(folder)
    result = lint_text("Se cotizarán LICENCIAS POR PUESTOS DE TRABAJO.", language="es", ruleset=rules, score=False)
    assert [f.match for f in result.findings] == ["LICENCIAS POR PUESTOS DE TRABAJO"]


def test_missing_or_broken_term_list(tmp_path):
    folder = write_rule_folder(tmp_path / "r", rules=TERMS_RULE)
    with pytest.raises(DataError, match=r"test\.yaml:\d+: rule T-TERMS: no term list 'seats'"):
        load_ruleset(folder)
    (folder / "lexicons" / "terms").mkdir()
    (folder / "lexicons" / "terms" / "seats.yaml").write_text("phrases:\n  es: [licencia por puesto]\nextra: 1\n")
    with pytest.raises(DataError, match=r"seats\.yaml:3: unknown key 'extra'"):
        load_ruleset(folder)


_MACRO_RULE = """
version: 1
macros:
  channel: 'Acme|Globex'
rules:
  - id: T-CHANNEL
    category: vendor_certification
    severity: error
    criteria: [4]
    languages: [en]
    message: "Channel condition {match}"
    matchers:
      - regex:
          en: ['\\bpartner of (?:{channel})\\b']
    examples:
      bad: {en: ["The bidder must be a partner of Globex."]}
      good: {en: ["The bidder must be a partner of the buyer."]}
"""


def test_a_rule_file_macro_is_written_once_and_stays_in_its_file(tmp_path):
    """`macros:` in a rule file expand in that file's patterns; another file's `{channel}` is
    not expanded (and so matches nothing)."""
    folder = write_rule_folder(tmp_path, rules=_MACRO_RULE)
    other = "version: 1\nrules:\n" + _MACRO_RULE.split("rules:\n", 1)[1].replace("T-CHANNEL", "T-OTHER")
    (folder / "rules" / "other.yaml").write_text(other, encoding="utf-8")
    ruleset = load_ruleset(folder)
    count, failures = run_examples(ruleset.select(["T-CHANNEL"]))
    assert count == 2 and failures == []
    from ospo_procure.lint import lint_text

    found = lint_text("The bidder must be a partner of Acme.", language="en", ruleset=ruleset, score=False)
    assert sorted(f.rule for f in found.findings) == ["T-CHANNEL"]


def test_a_macro_name_must_be_a_plain_name(tmp_path):
    folder = write_rule_folder(tmp_path, rules=_MACRO_RULE.replace("  channel:", "  Channel-1:"))
    with pytest.raises(DataError) as exc:
        load_ruleset(folder)
    assert "test.yaml" in str(exc.value) and "Channel-1" in str(exc.value)
