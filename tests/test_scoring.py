"""The checklist rubric (lint_rules/checklist.yaml) on silence, mixed evidence and lock-in."""

from __future__ import annotations

import pytest

from ospo_procure.errors import DataError
from ospo_procure.lint import lint_text
from ospo_procure.scoring import load_rubric

SILENT = "The contractor shall deliver the system described in Annex A.\n\nQuestions may be sent in writing.\n"
LOCKIN = (
    "The database layer must run on Microsoft SQL Server 2019.\n\n"
    "Client workstations must run Windows 11 Enterprise.\n\n"
    "Licences shall be priced per named user.\n\n"
    "Letters shall be .doc files.\n\n"
    "The source code shall be placed in escrow.\n\n"
    "Support will be contracted by direct award.\n"
)


def test_silence_is_not_a_five(mini_rules):
    sc = lint_text(SILENT, language="en", ruleset=mini_rules).scorecard
    for n in (2, 3, 7, 9):  # criteria that need the tender to say something
        assert sc.criteria[n].score <= 1, n
    assert sc.overall < 3
    assert sc.criteria[2].reasons()[0] == "base 0"


def test_full_lock_in_scores_low(mini_rules):
    result = lint_text(LOCKIN, language="en", ruleset=mini_rules)
    sc = result.scorecard
    silent = lint_text(SILENT, language="en", ruleset=mini_rules).scorecard
    # two imposed products: "mostly functional, with one or two imposed brands" is the mid
    # band's upper limit (docs/labelling.md); below the silent tender's "high"
    assert sc.criteria[1].score <= 2 < silent.criteria[1].score
    # an imposed format or per-user licence caps its criterion below "strong"
    assert sc.criteria[6].score <= 3 < silent.criteria[6].score
    assert sc.criteria[8].score <= 3 < silent.criteria[8].score
    assert sc.criteria[3].score == 0 and sc.criteria[4].score <= 1
    assert sc.overall <= 1.5
    # every score names the findings behind it
    assert {f.rule for f in sc.criteria[1].findings} == {"T-BRAND"}
    assert {f.rule for f in sc.criteria[8].findings} == {"T-PER-USER"}
    assert any("(per-user licensing)" in r for r in sc.criteria[8].reasons())


def test_evidence_raises_scores_and_is_listed(mini_rules):
    silent = lint_text(SILENT, language="en", ruleset=mini_rules).scorecard
    mixed = lint_text(
        SILENT + "\nOpen-source solutions are admissible.\n\nIt must run on Microsoft SQL Server.\n",
        language="en",
        ruleset=mini_rules,
    ).scorecard
    assert mixed.criteria[2].score > silent.criteria[2].score
    assert [e.category for e in mixed.criteria[2].evidence] == ["oss_allowed"]
    assert mixed.criteria[1].score < silent.criteria[1].score


def test_overlapping_brand_and_technology_count_once(mini_rules):
    one = lint_text("It must run on Microsoft SQL Server.", language="en", ruleset=mini_rules).scorecard
    # base 4 and one distinct place (brand and proprietary_technology on the same span in real
    # packs) = -1.5: 2.5, rounded to 3 ("mostly functional, with one imposed brand": mid)
    assert one.criteria[1].score == 3
    assert "-1.5 for 1 finding (brand names, proprietary technology)" in one.criteria[1].reasons()


def test_rubric_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "checklist.yaml"
    bad.write_text("criteria:\n  1:\n    title: {en: x}\n    base: 9\n")
    with pytest.raises(DataError, match=r"checklist\.yaml:\d+: "):
        load_rubric(bad)


def test_rubric_award_context_bad_regex_names_the_file(tmp_path):
    """A broken `award_context` regex is a one-line error naming the rubric file and language."""
    from ospo_procure.paths import data_dir

    text = (data_dir("lint_rules") / "checklist.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "checklist.yaml"
    bad.write_text(text.replace("award_context:\n  en: [", "award_context:\n  en: ['(unclosed', ", 1), encoding="utf-8")
    assert bad.read_text(encoding="utf-8") != text
    with pytest.raises(DataError, match=r"checklist\.yaml:\d+: award_context en: bad regular expression"):
        load_rubric(bad)


def test_rubric_rule_selector_must_match_its_categories(tmp_path):
    """A term's `rules:` must name rules of the term's categories (`rules check` refuses others)."""
    import shutil

    from ospo_procure.paths import data_dir
    from ospo_procure.rules import load_ruleset
    from ospo_procure.scoring import check_rubric

    folder = tmp_path / "rules"
    shutil.copytree(data_dir("lint_rules"), folder)
    rubric = folder / "checklist.yaml"
    text = rubric.read_text(encoding="utf-8")
    bad = text.replace(
        "rules: [EV-OSS-EXPERIENCE], in_award: true, points: 0.5", "rules: [EV-TCO], in_award: true, points: 0.5", 1
    )
    assert bad != text
    rubric.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError, match="EV-TCO is of category 'tco'"):
        check_rubric(load_ruleset(folder))


def test_rule_selector_scores_strength_within_a_category():
    """OSS required is high on criterion 2; OSS merely allowed is mid (docs/labelling.md bands)."""
    required = lint_text("The contractor shall use open-source technologies wherever possible.", language="en")
    allowed = lint_text("Bidders may propose open-source products.", language="en")
    assert required.scorecard.criteria[2].score >= 4
    assert 2 <= allowed.scorecard.criteria[2].score <= 3
    reasons = required.scorecard.criteria[2].reasons()
    assert any("EV-OSS-REQUIRED" in r for r in reasons) and reasons[-1].startswith("total ")


@pytest.mark.parametrize(
    ("lang", "code", "award", "staff"),
    [
        (
            "en",
            "The Contractor shall deliver the complete source code of all software developed under the contract. "
            "All deliverables shall be the property of the Authority.",
            "## 5. Evaluation\n\nThe offeror's experience with open source software development.",
            "## 3. Staff skills\n\nThe team lead has experience with open source software development.",
        ),
        (
            "es",
            "El contratista entregará el código fuente completo en cada hito. "
            "Los entregables serán propiedad de la entidad.",
            "## 5. Criterios de valoración\n\nLa experiencia del oferente en desarrollo de software libre.",
            "## 3. Perfil del equipo\n\nEl jefe de proyecto tiene experiencia en desarrollo de software libre.",
        ),
    ],
)
def test_open_source_experience_counts_for_source_code_only_where_the_award_rates_it(
    tmp_path, lang, code, award, staff
):
    """Criterion 3 is high when code and rights are required and open-source work is valued in
    the award: the same experience listed as a staff skill leaves it mid (docs/scoring.md)."""
    from ospo_procure.lint import lint_document
    from ospo_procure.readers import read_document

    def criterion(text: str, name: str) -> tuple[int, list[str]]:
        path = tmp_path / name
        path.write_text(f"# Terms of reference\n\n## 1. Scope\n\n{code}\n\n{text}\n", encoding="utf-8")
        c = lint_document(read_document(path), language=lang).scorecard.criteria[3]
        return c.score, c.reasons()

    rated, rated_reasons = criterion(award, "rated.md")
    asked, asked_reasons = criterion(staff, "asked.md")
    assert rated == 4 and any("EV-OSS-EXPERIENCE" in r for r in rated_reasons)
    assert asked == 3 and not any("EV-OSS-EXPERIENCE" in r for r in asked_reasons)
