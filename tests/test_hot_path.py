"""What keeps a lint fast, tested for what it must not change: spaCy is imported only for
token patterns that can match, tokens and sentences are computed only where needed and give
the same sentences, a paragraph of thousands of sentences is handled in linear time, and
`--max-seconds` bounds the lint itself."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from rulefolder import write_rule_folder

from ospo_procure.errors import LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.lint import lint_document, lint_paths, lint_text
from ospo_procure.model import Block, Document, Location
from ospo_procure.rules.matchers import BlockContext

_SPACY_PROBE = """
import sys
from ospo_procure.lint import lint_text
from ospo_procure.rules import load_ruleset
ruleset = load_ruleset(sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None)
result = lint_text(sys.argv[2], language="en", ruleset=ruleset)
print(sorted(f.rule for f in result.findings), "spacy" in sys.modules)
"""


def _probe(rules: str, text: str, env: dict[str, str]) -> str:
    cmd = [sys.executable, "-c", _SPACY_PROBE, rules, text]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # the first run may build the cache
    return subprocess.run(cmd, env=env, capture_output=True, check=True, text=True).stdout.strip()


@pytest.fixture
def child_env(tmp_path):
    return {**os.environ, "OSPO_PROCURE_CACHE": str(tmp_path / "cache")}


def test_a_lint_with_the_bundled_rules_never_imports_spacy(child_env):
    text = "The system must run on Microsoft SQL Server. Licences are priced per named user."
    assert _probe("", text, child_env) == "['BRAND-PRODUCT', 'LIC-PER-USER', 'TECH-PLATFORM'] False"


def test_spacy_runs_only_where_a_token_pattern_can_match(tmp_path, child_env):
    rules = str(write_rule_folder(tmp_path / "r"))
    assert _probe(rules, "Licences are priced per named user.", child_env) == "['T-PER-USER'] False"
    found = _probe(rules, "The source code shall be placed in escrow.", child_env)
    assert found == "['T-ESCROW'] True"


def test_sentence_lookup_agrees_with_a_linear_scan():
    rnd = random.Random(3)
    for _ in range(200):
        length = rnd.randint(1, 400)
        cuts = sorted(rnd.sample(range(1, length), min(length - 1, rnd.randint(0, 12)))) if length > 1 else []
        bounds = [0, *cuts, length]
        ctx = BlockContext("x" * length, "en")
        ctx.sents = list(itertools.pairwise(bounds))
        for _ in range(20):
            start = rnd.randint(0, length)
            end = min(length, start + rnd.randint(0, 30))
            expected = next(((s, max(e, end)) for s, e in ctx.sents if s <= start < e), (0, length))
            assert ctx.sentence(start, end) == expected


def test_one_long_paragraph_gives_the_findings_of_its_sentences(bundled_rules):
    """Thousands of sentences in one paragraph: the same findings, sentence by sentence, as
    the sentences linted one by one (and in linear time: see benchmarks/bench_lint.py)."""
    sentences = [
        "The database must run on Microsoft SQL Server 2022.",
        "Licences shall be priced per named user.",
        "The Contractor shall report progress monthly.",
        "Monthly statistics shall be delivered as .xls workbooks.",
    ]
    alone = {
        s: sorted((f.rule, f.match) for f in lint_text(s, language="en", ruleset=bundled_rules).findings)
        for s in sentences
    }
    rnd = random.Random(5)
    chosen = [rnd.choice(sentences) for _ in range(3000)]
    result = lint_text(" ".join(chosen), language="en", ruleset=bundled_rules, score=False)
    assert len(result.findings) == sum(len(alone[s]) for s in chosen)
    starts, pos = {}, 0
    for s in chosen:
        starts[pos] = s
        pos += len(s) + 1
    for f in result.findings:
        assert f.sentence is not None and f.sentence[0] in starts
        assert (f.rule, f.match) in alone[starts[f.sentence[0]]]


def _document(blocks: int) -> Document:
    text = "The system must run on Microsoft SQL Server. The Contractor shall report monthly."
    return Document(
        path="big.txt", format="txt", blocks=[Block(text, Location(paragraph=i + 1)) for i in range(blocks)]
    )


def test_max_seconds_bounds_the_lint_itself(bundled_rules):
    with pytest.raises(LimitExceeded, match=r"linting took over 0 s .*--max-seconds"):
        lint_document(_document(50), ruleset=bundled_rules, language="en", limits=Limits(max_seconds=0))
    # within the limit, the same document lints in full
    result = lint_document(_document(50), ruleset=bundled_rules, language="en", limits=Limits(max_seconds=60))
    assert len({f.block_index for f in result.findings}) == 50


def test_a_lint_over_max_seconds_is_a_file_error_and_other_files_go_on(tmp_path, bundled_rules, monkeypatch):
    slow, fine = tmp_path / "slow.txt", tmp_path / "fine.txt"
    slow.write_text("The system must run on Microsoft SQL Server.\n\n" * 40, encoding="utf-8")
    fine.write_text("The system must run on Oracle Database.", encoding="utf-8")
    import ospo_procure.lint as lint

    ticks = iter([0.0, 100.0])  # the first lint starts, then finds 100 s gone; later, time stands still
    monkeypatch.setattr(lint, "_now", lambda: next(ticks, 200.0))
    results = lint_paths([slow, fine], ruleset=bundled_rules, limits=Limits(max_seconds=60))
    assert results[0].error is not None and "linting took over 60 s" in results[0].error
    assert "--max-seconds" in results[0].error and "not fully checked" in results[0].error
    assert results[1].error is None and [f.rule for f in results[1].findings]


def test_the_cli_reports_a_lint_over_max_seconds_on_one_line(tmp_path: Path):
    doc = tmp_path / "t.txt"
    doc.write_text("The system must run on Microsoft SQL Server.\n\n" * 60000, encoding="utf-8")  # a few seconds
    proc = subprocess.run(
        [sys.executable, "-m", "ospo_procure", "lint", str(doc), "--max-seconds", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "linting took over 1 s (max_seconds limit; raise it with --max-seconds)" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
