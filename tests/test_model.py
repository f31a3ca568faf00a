"""The document model's values: immutable findings and waivers, derived with `evolve`."""

from __future__ import annotations

import dataclasses

import pytest

from ospo_procure.model import Finding, Location, SourceSpan, Waiver, WaiverSource


def finding() -> Finding:
    return Finding("R-1", "brand", "error", "msg", "Oracle", 4, 10, "Use Oracle here", Location(paragraph=2))


def test_evolve_is_replace() -> None:
    f = finding()
    span = SourceSpan(start_line=3, start_column=5, end_line=3, end_column=11)
    assert f.evolve(source=span, role="required") == dataclasses.replace(f, source=span, role="required")
    assert f.source is None and f.role is None  # the original is untouched
    with pytest.raises(TypeError, match="no field colour"):
        f.evolve(colour="red")


def test_findings_and_waivers_are_frozen_and_hashable() -> None:
    f = finding()
    w = Waiver("R-1", "a justified exception", source=WaiverSource("file", path="w.yaml", line=2))
    for value, attr in ((f, "severity"), (w, "rule")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, attr, "x")
    assert len({f, f.evolve(), f.evolve(waiver=w)}) == 2


def test_waiver_source_words() -> None:
    assert str(WaiverSource("file", path="ospo-waivers.yaml", line=12)) == "ospo-waivers.yaml:12"
    assert str(WaiverSource("comment")) == "comment"
    assert str(WaiverSource("marker", where="body ¶3")) == "marker in body ¶3"
    assert not WaiverSource("file", path="w.yaml").in_document and WaiverSource("comment").in_document
