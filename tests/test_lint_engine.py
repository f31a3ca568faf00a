"""The lint engine on its own small rule folder: every matcher kind, exceptions in three
languages, ordinary-word products, overlaps, locations and the finding schema."""

from __future__ import annotations

from ospo_procure.lint import lint_document, lint_text
from ospo_procure.model import Block, Document, Location


def rules_hit(result, kind: str = "findings") -> list[tuple[str, str, str]]:
    return [(f.rule, f.match, f.severity) for f in getattr(result, kind)]


def test_lexicon_match_extends_over_version_and_edition(mini_rules):
    r = lint_text(
        "The database layer must run on Microsoft SQL Server 2019 Enterprise; nothing else.",
        language="en",
        ruleset=mini_rules,
    )
    assert ("T-BRAND", "Microsoft SQL Server 2019 Enterprise", "error") in rules_hit(r)


def test_lexicon_alias_and_case_insensitive(mini_rules):
    r = lint_text("Data shall be stored in mssql.", language="en", ruleset=mini_rules)
    assert [f.match for f in r.findings] == ["mssql"]


def test_phrases_are_lemma_aware_in_spanish_and_portuguese(mini_rules):
    es = lint_text("Se adquirirán 300 licencias por usuarios nominales.", language="es", ruleset=mini_rules)
    assert [f.rule for f in es.findings] == ["T-PER-USER"]
    assert es.findings[0].match.lower() == "licencias por usuarios nominales"
    pt = lint_text("Serão fornecidas LICENÇAS POR USUÁRIOS.", language="pt", ruleset=mini_rules)
    assert [f.match for f in pt.findings] == ["LICENÇAS POR USUÁRIOS"]


def test_token_pattern_matcher(mini_rules):
    r = lint_text("The source code shall be placed in escrow with an agent.", language="en", ruleset=mini_rules)
    assert [f.rule for f in r.findings] == ["T-ESCROW"]


def test_regex_matcher_and_a_general_rule_on_direct_award(mini_rules):
    bad = lint_text("The second phase will be concluded by direct award.", language="en", ruleset=mini_rules)
    assert [(f.rule, f.role) for f in bad.findings] == [("T-SOLE", "required")]
    good = lint_text(
        "A direct award is permitted only in exceptional circumstances and must be duly justified.",
        language="en",
        ruleset=mini_rules,
    )
    # a clause regulating direct award in general is commentary on it: a note, not a finding
    assert [(f.severity, f.role) for f in good.findings] == [("info", "commentary")]


def test_or_equivalent_makes_an_example_in_three_languages(mini_rules):
    for lang, text, cue in [
        ("en", "Dashboards comparable to Microsoft Power BI or equivalent.", "or equivalent"),
        ("en", "A database such as Microsoft SQL Server or equal.", "or equal"),
        ("es", "Se requiere Microsoft SQL Server o equivalente.", "o equivalente"),
        ("pt", "Será utilizado o Microsoft SQL Server ou equivalente.", "ou equivalente"),
    ]:
        findings = lint_text(text, language=lang, ruleset=mini_rules).findings
        assert [(f.severity, f.role) for f in findings] == [("info", "example")], text
        assert cue in findings[0].role_reason, (text, findings[0].role_reason)


def test_version_floor_is_not_equivalence(mini_rules):
    r = lint_text("The database shall be Microsoft SQL Server 2019 or later.", language="en", ruleset=mini_rules)
    assert [f.rule for f in r.findings] == ["T-BRAND"]


def test_legacy_system_is_info_not_error_in_three_languages(mini_rules):
    for lang, text in [
        ("en", "Migration from the current Oracle Database 11g instance is part of the scope."),
        ("es", "Se migrarán los datos desde el actual Microsoft SQL Server 2008."),
        ("pt", "Os dados serão migrados do Microsoft SQL Server 2008 atualmente em uso."),
    ]:
        findings = lint_text(text, language=lang, ruleset=mini_rules).findings
        assert findings and all(f.severity == "info" and f.role == "existing" for f in findings), text
        assert all(f.note and f.role_reason for f in findings), text


def test_negated_per_user_is_not_flagged(mini_rules):
    assert lint_text("Prices shall not be set per named user.", language="en", ruleset=mini_rules).findings == []


def test_ordinary_words_do_not_fire(mini_rules):
    for text in [
        "Cleaning covers all windows of the building.",
        "Offers shall be delivered to the Procurement Office before noon.",
        "The Steering Team and the Technical Team meet monthly.",
        "Maintenance windows are scheduled outside office hours.",
    ]:
        assert lint_text(text, language="en", ruleset=mini_rules).findings == [], text


def test_ordinary_words_fire_in_product_context(mini_rules):
    r = lint_text("Client workstations must run Windows 11 Enterprise.", language="en", ruleset=mini_rules)
    assert [f.match for f in r.findings] == ["Windows 11 Enterprise"]
    r = lint_text("Meetings shall be held in Microsoft Teams.", language="en", ruleset=mini_rules)
    assert [f.match for f in r.findings] == ["Microsoft Teams"]


def test_formats_lexicon_and_placeholders(mini_rules):
    r = lint_text("Letters to citizens shall be produced as .doc files.", language="en", ruleset=mini_rules)
    (f,) = r.findings
    assert (f.rule, f.match, f.severity) == ("T-FORMAT", ".doc", "warning")
    assert f.message == "Format .doc; use ODF (.odt)"


def test_evidence_is_kept_apart_from_findings(mini_rules):
    r = lint_text("Open-source solutions are admissible.", language="en", ruleset=mini_rules)
    assert r.findings == [] and [e.category for e in r.evidence] == ["oss_allowed"]
    assert r.evidence[0].kind == "evidence"


def test_finding_carries_location_offsets_and_schema(mini_rules):
    loc = Location(part="table", table=2, row=3, cell=1, heading="4 Requirements > 4.2 Data")
    doc = Document(
        path="x.docx",
        format="docx",
        blocks=[Block("Intro.", Location()), Block("Use Microsoft SQL Server now.", loc, kind="cell")],
    )
    r = lint_document(doc, language="en", ruleset=mini_rules)
    (f,) = r.findings
    assert f.context[f.start : f.end] == f.match == "Microsoft SQL Server"
    assert f.block_index == 1 and f.location == loc
    from ospo_procure.report.json_report import item_dict, rules_dict

    d = item_dict(f)
    for key in ("rule", "category", "severity", "message", "match", "block", "start", "end", "location", "suggestion"):
        assert key in d
    # a location names only what applies: a table cell has no page or line
    assert d["location"] == {"part": "table", "table": 2, "row": 3, "cell": 1, "heading": "4 Requirements > 4.2 Data"}
    assert d["block"] == 1 and doc.blocks[1].text[d["start"] : d["end"]] == "Microsoft SQL Server"
    assert rules_dict([f])[f.rule]["criteria"] == [1] and rules_dict([f])[f.rule]["legal_basis"] == f.legal_basis
    assert "PostgreSQL" in d["suggestion"]


def test_select_and_ignore(mini_rules):
    text = "Priced per named user on Microsoft SQL Server."
    only = mini_rules.select(["per_user_licensing"])
    assert {f.rule for f in lint_text(text, language="en", ruleset=only).findings} == {"T-PER-USER"}
    without = mini_rules.select(None, ["T-PER-USER"])
    assert {f.rule for f in lint_text(text, language="en", ruleset=without).findings} == {"T-BRAND"}


def test_language_is_detected_per_document(mini_rules):
    assert (
        lint_text("El contratista deberá entregar la documentación del sistema.", ruleset=mini_rules).language == "es"
    )
    assert lint_text("A contratada deverá entregar a documentação da solução.", ruleset=mini_rules).language == "pt"
    assert (
        lint_text("The contractor shall deliver the documentation of the system.", ruleset=mini_rules).language == "en"
    )


def test_regex_timeout_becomes_a_file_warning(mini_rules, monkeypatch):
    """A pattern that runs out of time on a block is reported, not silently skipped."""
    import ospo_procure.rules.matchers as matchers

    monkeypatch.setattr(matchers, "REGEX_TIMEOUT", 1e-9)
    text = "The second phase will be concluded by direct award. " * 4000
    result = lint_text(text, language="en", ruleset=mini_rules, score=False)
    assert any("rule T-SOLE's pattern timed out on block 1" in w for w in result.warnings), result.warnings
    assert any("that block was not fully checked" in w for w in result.warnings)


def test_context_cue_timeout_becomes_a_file_warning(mini_rules, monkeypatch):
    import ospo_procure.rules.matchers as matchers

    text = ("Migration from the current system. " * 3000) + "It must run on Microsoft SQL Server."
    monkeypatch.setattr(matchers, "REGEX_TIMEOUT", 1e-9)
    result = lint_text(text, language="en", ruleset=mini_rules, score=False)
    assert any("cue" in w and "timed out on block 1" in w for w in result.warnings), result.warnings


def test_matcher_kinds_come_from_one_registry(mini_rules):
    from ospo_procure.rules.matchers import MATCHER_KINDS, matcher_kind

    assert set(MATCHER_KINDS) == {"lexicon", "phrases", "tokens", "regex"}
    assert matcher_kind({"terms": "licensing"}) is MATCHER_KINDS["phrases"]
    kinds = {type(m).kind for r in mini_rules.rules for m in r.matchers}
    assert kinds == set(MATCHER_KINDS)


def test_one_evidence_item_per_category_per_sentence_but_each_list_item_counts():
    # Bundled rules: the transition named twice in a sentence is one item; handing over the
    # data is another idea and stays...
    en = lint_text(
        "During the transition to the Government or a new contractor, the Contractor shall "
        "support the transition activities and hand over all data.",
        language="en",
    )
    assert [e.match for e in en.evidence] == ["transition to the Government", "hand over all data"]
    es = lint_text(
        "Durante la transición al nuevo proveedor, el contratista entregará todos los datos "
        "y apoyará las actividades de transición.",
        language="es",
    )
    assert [e.match for e in es.evidence] == ["transición al nuevo proveedor", "entregará todos los datos"]
    # ...while a list of obligations split by semicolons, or the cells of a table row, are each evidence.
    listed = lint_text(
        "The Contractor shall prepare a transition plan; hold meetings with the new contractor to "
        "ensure a smooth transition; and train Government staff during the transition period.",
        language="en",
    )
    assert len([e for e in listed.evidence if e.category == "exit_portability"]) == 3
    row = lint_text("| Transition plan | End of task order | Smooth transition to the new contractor |", language="en")
    assert len([e for e in row.evidence if e.category == "exit_portability"]) == 2
    # One shared word in a longer phrase is a second idea of the same field: total cost of
    # ownership and the cost of exiting are two items (the guideline labels each).
    for lang, text in [
        (
            "en",
            "Offers are compared on the total cost of ownership over five years and the estimated cost of exiting the solution.",
        ),
        (
            "es",
            "Se comparará el costo total de propiedad durante cinco años y el costo estimado de salida de la solución.",
        ),
        ("pt", "Será comparado o custo total de propriedade em cinco anos e o custo estimado de saída da solução."),
    ]:
        assert len([e for e in lint_text(text, language=lang).evidence if e.category == "tco"]) == 2, lang
    # Every stated weight is its own item, also in one sentence: a new number is a new item.
    weights = lint_text(
        "Criterios de valoración: experiencia del equipo, máximo 20 puntos, y plan de trabajo, máximo 15 puntos.",
        language="es",
    )
    assert len([e for e in weights.evidence if e.category == "weighted_award_criteria"]) == 2


def test_ordinary_context_prefilter_keeps_every_pattern_that_matches(bundled_rules):
    """The ordinary_context patterns run behind a literal prefilter: on windows around ordinary
    words (and on every bundled rule example), each pattern that matches is one it lets run,
    and in the patterns' own order."""
    from ospo_procure.rules.matchers import _OrdinaryContext

    windows = [
        "Cleaning covers all windows of the building and the window frames.",
        "Offers shall be delivered to the Procurement Office before noon; Office hours apply.",
        "The Steering Team and the Technical Team meet monthly at the Office of the Director.",
        "Las ventanas de mantenimiento se fijan con la Oficina de Compras y el Equipo de proyecto.",
        "A Secretaria de Educação e o Escritório de Projetos; a janela de manutenção.",
        "Le Bureau des marchés et l'Équipe du projet ; fenêtre de maintenance.",
    ]
    windows += [t for rule in bundled_rules.rules for ts in rule.examples["bad"].values() for t in ts]
    ran = 0
    for lang in ("en", "es", "pt", "fr"):
        patterns = bundled_rules.context.ordinary_context.for_lang(lang)
        ordinary = _OrdinaryContext(patterns)
        for window in windows:
            possible = ordinary.possible(window)
            assert possible == [p for p in patterns if p in possible], (lang, window)
            for pattern in patterns:
                if pattern.search(window, timeout=1):
                    ran += 1
                    assert pattern in possible, (lang, pattern.pattern[:60], window)
    assert ran > 10
