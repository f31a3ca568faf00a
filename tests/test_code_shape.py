"""Checks that keep the code base in one shape.

* No function in the package is longer than 60 lines unless a `# long: <reason>` comment
  on its `def` line (or the line above it) says why.
* No function is above cyclomatic grade C (radon's count, which includes boolean
  operators: above 20) unless a `# complex: <reason>` comment says why. Ruff's C901
  (pyproject.toml) counts without boolean operators and catches the worst cases while
  editing; this test is the grade the project is held to.
* Reporters never import the readers: what they know about a file comes from the results.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from radon.complexity import cc_visit

PACKAGE = Path(__file__).resolve().parents[1] / "ospo_procure"
MAX_LINES = 60
MAX_COMPLEXITY = 20  # radon grade C is 11-20


def _reason(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef, word: str) -> bool:
    """A `# word: reason` comment on the def line (and its continuation lines) or the line above."""
    head = lines[max(node.lineno - 2, 0) : node.body[0].lineno - 1]
    return any(re.search(rf"#.*\b{word}:\s*\S", line) for line in head)


def offenders(root: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        where = path.relative_to(root.parent)
        defs = {
            node.lineno: node
            for node in ast.walk(ast.parse(source, str(path)))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for node in defs.values():
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_LINES and not _reason(lines, node, "long"):
                found.append(f"{where}:{node.lineno} {node.name}: {length} lines")
        for block in cc_visit(source):
            for fn in [block, *getattr(block, "methods", [])]:
                node = defs.get(fn.lineno)
                if node is not None and fn.complexity > MAX_COMPLEXITY and not _reason(lines, node, "complex"):
                    found.append(f"{where}:{fn.lineno} {fn.name}: complexity {fn.complexity}")
    return found


def test_no_long_or_complex_function_without_a_reason() -> None:
    assert offenders() == []


def test_the_check_finds_long_and_complex_functions(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    branches = "\n".join(f"    if x == {i} or y:\n        return {i}" for i in range(12))
    (tmp_path / "a.py").write_text(f"def too_long():\n{body}\n", encoding="utf-8")
    (tmp_path / "b.py").write_text(
        f"# long: one table of cases, clearer whole\ndef fine():\n{body}\n", encoding="utf-8"
    )
    (tmp_path / "c.py").write_text(f"def tangled(x, y):\n{branches}\n", encoding="utf-8")
    (tmp_path / "d.py").write_text(f"def dispatch(x, y):  # complex: one flat table\n{branches}\n", encoding="utf-8")
    assert offenders(tmp_path) == [
        f"{tmp_path.name}/a.py:1 too_long: {MAX_LINES + 1} lines",
        f"{tmp_path.name}/c.py:1 tangled: complexity 25",
    ]


def test_reporters_do_not_import_readers() -> None:
    for path in (PACKAGE / "report").glob("*.py"):
        if path.name == "annotate.py":  # writes a Word copy through the .docx reader's walk: not a reporter
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        assert not [m for m in imported if m.startswith("ospo_procure.readers")], path.name
