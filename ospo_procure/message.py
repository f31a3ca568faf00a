"""A message said where it arises and worded where it is shown: file warnings and read errors.

A reader, a waiver check or a matcher knows what went wrong but not the language of the
report that will show it. It makes a `Message`: the English text (a catalogue msgid with
named `{placeholders}`) and its values. A Message *is* that English text (a `str`), so logs,
tests and the CLI's status lines read it unchanged; a reporter words it in the report's
language with `Words.text(message)` (report/words.py), through the same catalogue as every
other string. Values may be Messages themselves, or a `Location` (said as `Words.location`).

It pickles as its msgid and values (portfolio workers send results between processes), so
it is still a Message on the other side.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """`Message("page {n} has no text layer", n=3)`: English now, any language later.

    The extractor (`python -m ospo_procure.i18n update`) finds the msgid of every
    `Message("...")` call; the msgid must be a literal string, never an f-string.
    """

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, /, **values: Any) -> Message:
        self = super().__new__(cls, msgid.format(**{k: _english(v) for k, v in values.items()}) if values else msgid)
        self.msgid = msgid
        self.values = values
        return self

    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]:
        return _restore, (self.msgid, self.values)


def _restore(msgid: str, values: dict[str, Any]) -> Message:
    return Message(msgid, **values)


def _english(value: Any) -> Any:
    label = getattr(value, "label", None)
    return label() if callable(label) and not isinstance(value, str) else value


def to_stored(text: str) -> str:
    """A warning or error as stored text (the portfolio's database): a Message as JSON with
    its msgid and values, so the dashboard words it later; any other string as it is."""
    if not isinstance(text, Message):
        return text
    import json

    return json.dumps(_encode(text), ensure_ascii=False)


def from_stored(text: str) -> str:
    """The inverse of `to_stored` (a stored plain string stays a string)."""
    if not text.startswith('{"msgid"'):
        return text
    import json

    try:
        decoded = _decode(json.loads(text))
    except (ValueError, TypeError, KeyError):
        return text
    return decoded if isinstance(decoded, str) else text


def _encode(value: Any) -> Any:
    from dataclasses import asdict

    from ospo_procure.model import Location

    if isinstance(value, Message):
        return {"msgid": value.msgid, "values": {k: _encode(v) for k, v in value.values.items()}}
    if isinstance(value, Location):
        return {"location": asdict(value)}
    return value if isinstance(value, (str, int, float)) or value is None else str(value)


def _decode(value: Any) -> Any:
    from ospo_procure.model import Location

    if isinstance(value, dict) and "msgid" in value:
        return Message(value["msgid"], **{k: _decode(v) for k, v in value["values"].items()})
    if isinstance(value, dict) and "location" in value:
        return Location(**value["location"])
    return value
