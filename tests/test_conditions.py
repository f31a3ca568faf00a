"""The applies_when condition language: parsing, evaluation, errors with columns, no eval."""

from __future__ import annotations

import pytest

from ospo_procure.tender.conditions import ConditionError, parse

ENV = {
    "procurement_type": "custom_development",
    "licence": "EUPL-1.2",
    "has_personal_data": True,
    "hosting": "cloud",
    "reuses_existing_oss": False,
    "repository_url": None,
    "contract_months": 18,
}


@pytest.mark.parametrize(
    "source, expected",
    [
        ("true", True),
        ("false", False),
        ("has_personal_data", True),
        ("not reuses_existing_oss", True),
        ("procurement_type == 'custom_development'", True),
        ('procurement_type != "custom_development"', False),
        ("hosting in ['contractor', 'cloud']", True),
        ("hosting not in ['contractor', 'cloud']", False),
        ("has_personal_data and hosting == 'agency'", False),
        ("has_personal_data and (hosting == 'agency' or hosting == 'cloud')", True),
        ("not (licence == 'MIT') and contract_months == 18", True),
        ("false or true and false", False),  # and binds tighter than or
        ("not not true", True),
        ("repository_url == null", True),
        ("repository_url", False),
        ("'EUPL' in licence", True),
        ("contract_months in [12, 18, 24,]", True),
        ("unknown_name == 'x'", False),  # missing values are null at evaluation
    ],
)
def test_evaluates(source: str, expected: bool) -> None:
    assert parse(source).evaluate(ENV) is expected


@pytest.mark.parametrize(
    "source, column, fragment",
    [
        ("", 1, "empty"),
        ("hosting = 'cloud'", 9, "use =="),
        ("hosting == ", 12, "expected a value"),
        ("(true", 6, "expected ')'"),
        ("true)", 5, "unexpected"),
        ("hosting in ['a' 'b']", 17, "expected ',' or ']'"),
        ("hosting in [licence]", 13, "literals only"),
        ("'unterminated", 1, "unterminated"),
        ("true true", 6, "unexpected"),
        ("__import__('os').system('id')", 17, "unexpected character"),
        ("a.b", 2, "unexpected character"),
        ("x ** 2", 3, "unexpected character"),
    ],
)
def test_syntax_errors_name_the_column(source: str, column: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as exc:
        parse(source)
    assert exc.value.column == column
    assert fragment in exc.value.message


def test_unknown_names_are_rejected_with_column() -> None:
    cond = parse("hosting == 'cloud' and colour == 'red'")
    with pytest.raises(ConditionError) as exc:
        cond.check_names(["hosting"])
    assert exc.value.column == 24 and "colour" in exc.value.message
    assert cond.names() == {"hosting", "colour"}


def test_no_eval_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("eval/exec must never be called")

    monkeypatch.setattr(builtins, "eval", boom)
    monkeypatch.setattr(builtins, "exec", boom)
    assert parse("hosting in ['cloud'] and not reuses_existing_oss").evaluate(ENV)


def test_nesting_and_length_are_bounded() -> None:
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse("(" * 200 + "true" + ")" * 200)
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse("not " * 200 + "true")
    with pytest.raises(ConditionError, match="longer than"):
        parse("true or " * 1000 + "true")


def test_membership_in_non_list_is_false() -> None:
    assert parse("hosting in contract_months").evaluate(ENV) is False
    assert parse("hosting not in repository_url").evaluate(ENV) is True
