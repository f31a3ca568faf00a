"""YAML loading with line numbers and schema validation that names file and line.

Every data file the OSPO edits (rules, lexicons, rubric, clauses, tender specs, waivers)
goes through `load_yaml` and `validate`, so a mistake is reported as
``lint_rules/rules/brand.yaml:42: unknown key 'sevrity' (allowed: ...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo_procure.errors import DataError

if TYPE_CHECKING:  # imported where used: a lint whose rule set is cached parses no YAML
    import yaml

MAX_DATA_FILE_BYTES = 5 * 1024 * 1024
LineMap = dict[tuple[Any, ...], int]


def read_data_file(path: Path) -> tuple[bytes, str]:
    """The bytes and UTF-8 text (a BOM is allowed) of a data file, or a one-line DataError.

    Read with a byte cap from a regular file only: a FIFO or a device (/dev/zero) named as a
    spec, waiver or rule file is refused before it is read, whatever size it claims.
    """
    from ospo_procure.fsutil import NotRegularFile, TooLarge, read_regular

    try:
        raw = read_regular(path, MAX_DATA_FILE_BYTES)
        return raw, raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError("no such file", path=path) from None
    except NotRegularFile as exc:
        if exc.kind == "a folder":
            raise DataError("is a directory, expected a YAML file", path=path) from None
        raise DataError(f"is {exc.kind}, not a regular file; give a saved YAML file", path=path) from None
    except TooLarge:
        raise DataError(f"data file larger than {MAX_DATA_FILE_BYTES // 2**20} MB", path=path) from None
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text", path=path) from None
    except OSError as exc:
        raise DataError(f"cannot read ({exc.strerror or exc})", path=path) from None


def load_yaml(path: str | Path, *, text: str | None = None) -> tuple[Any, LineMap]:
    """Parse one YAML file; return the data and a map from key path to 1-based line."""
    import yaml

    p = Path(path)
    if text is None:
        _, text = read_data_file(p)
    # libyaml's parser is about 7x faster on the 300 KB products lexicon; same safe constructor.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: LineMap = {}
        _walk(node, (), lines, p, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(f"invalid YAML: {problem}", path=p, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise DataError(f"invalid YAML: {exc}", path=p) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible date 2026-02-30
        raise DataError(f"invalid value: {exc}", path=p, line=_bad_value_line(text, str(exc))) from None
    finally:
        loader.dispose()
    return data, lines


def _walk(node: yaml.Node, at: tuple[Any, ...], lines: LineMap, path: Path, seen_nodes: set[int]) -> None:
    import yaml

    # Aliases make the node graph a DAG that can expand exponentially ("billion laughs"):
    # data files have no need for them, so refuse any node reached twice.
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in seen_nodes:
            raise DataError(
                "YAML anchors/aliases are not allowed in data files", path=path, line=node.start_mark.line + 1
            )
        seen_nodes.add(id(node))
    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DataError("YAML merge keys (<<) are not allowed", path=path, line=key_node.start_mark.line + 1)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise DataError(f"duplicate key {key!r} (first at line {seen[key]})", path=path, line=line)
            seen[key] = line
            here = (*at, key)
            _walk(value_node, here, lines, path, seen_nodes)
            lines[here] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*at, i), lines, path, seen_nodes)


def _bad_value_line(text: str, message: str) -> int | None:
    """Best effort: the first line holding a token quoted in the error, else None."""
    for token in message.replace("'", " ").split():
        if len(token) > 3 and any(ch.isdigit() for ch in token):
            for number, line in enumerate(text.splitlines(), start=1):
                if token in line:
                    return number
    return None


def line_of(lines: LineMap, at: tuple[Any, ...]) -> int | None:
    """The line of `at`, or of its nearest ancestor that has one."""
    at = tuple(at)
    while at:
        if at in lines:
            return lines[at]
        at = at[:-1]
    return lines.get(())


def validate(data: Any, schema: dict[str, Any], path: str | Path, lines: LineMap) -> None:
    """Validate against a JSON schema; raise DataError for the most relevant error."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    at = tuple(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in (error.instance or {}) if k not in allowed]
        if extra:
            at = (*at, extra[0])
            message = f"unknown key {extra[0]!r} (allowed: {', '.join(allowed)})"
    elif error.validator == "required":
        message = f"missing required field: {error.message.split(' is a required')[0]}"
    where = ".".join(str(k) for k in at)
    if where and error.validator != "additionalProperties":
        message = f"{where}: {message}"
    if len(message) > 300:
        message = message[:297] + "..."
    raise DataError(message, path=path, line=line_of(lines, at))
