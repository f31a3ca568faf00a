"""A cleaned, in-memory copy of a .docx package for python-docx (the annotator's input).

The reader walks only the parts that hold text, through `SafeZip`; python-docx loads every
part of the package with plain `zipfile` and gives up on things Word shrugs off. So before
python-docx sees a received document, its package is rebuilt here:

  * every member is read through `SafeZip` (size, ratio and total caps; duplicates refused),
    so a bomb hidden in a part the linter never reads cannot reach python-docx;
  * member names that are not part names (absolute, `..`, backslashes) are left out, and so
    are relationships whose target is missing or outside the package;
  * XML parts that declare a DTD (a part the reader never parses, e.g. settings.xml) are left
    out with their relationships;
  * a macro-enabled document or template renamed to .docx becomes a plain document: its
    main part gets the .docx content type and the macro parts are left out.
What was left out is returned as notes for the user. The source file is only read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from ospo_procure.errors import InputError
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.readers.safe_xml import open_zip, parse_xml

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAINS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_MACRO_RELS = ("vbaProject", "wordVbaData", "keyMapCustomizations", "attachedToolbars")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _is_part_name(name: str) -> bool:
    if not name or name.endswith("/") or name.startswith("/") or "\\" in name:
        return False
    return all(seg not in ("", ".", "..") for seg in name.split("/"))


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _rels_source(rels_name: str) -> str:
    """The part a .rels member describes ("" for the package)."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]) if folder.endswith("_rels") else ""


def clean_package(path: Path, limits: Limits) -> tuple[bytes, list[str]]:
    """The package rebuilt for python-docx, and notes on what was left out."""
    notes: list[str] = []
    members: dict[str, bytes] = {}
    with open_zip(path, limits, "docx") as z:
        odd = [n for n in z.names() if not _is_part_name(n) and not n.endswith("/")]
        for name in z.names():
            if _is_part_name(name):
                members[name] = z.read(name)
    if odd:
        notes.append(f"{len(odd)} zip member(s) with names that are not part names left out of the copy")
    dtd = [n for n, data in members.items() if _is_xml(n) and _DOCTYPE.search(data, 0, 65536)]
    for name in dtd:
        del members[name]
    if dtd:
        notes.append("XML part(s) declaring a DTD left out of the copy: " + ", ".join(sorted(dtd)[:5]))
    _main_type(members, notes)
    for name in [n for n in members if n.endswith(".rels")]:
        members[name] = _clean_rels(name, members, notes)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return buf.getvalue(), notes


def _main_type(members: dict[str, bytes], notes: list[str]) -> None:
    """Give a macro-enabled document or a template the plain .docx main content type."""
    raw = members.get("[Content_Types].xml")
    if raw is None:
        raise InputError(Message("corrupt .docx: no [Content_Types].xml"))
    root = parse_xml(raw, "[Content_Types].xml", "docx")
    changed = False
    for override in root.iter(CT_NS + "Override"):
        if override.get("ContentType") in _OTHER_MAINS:
            override.set("ContentType", DOCX_MAIN)
            changed = True
    if not changed:
        return
    for name in [n for n in members if posixpath.basename(n) in ("vbaProject.bin", "vbaData.xml")]:
        del members[name]
    members["[Content_Types].xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    notes.append("a macro-enabled document or template: the annotated copy is a plain .docx, without its macros")


def _clean_rels(name: str, members: dict[str, bytes], notes: list[str]) -> bytes:
    root = parse_xml(members[name], name, "docx")
    folder = posixpath.dirname(_rels_source(name))
    dropped = 0
    for rel in list(root.iter(REL)):
        rtype = rel.get("Type", "").rsplit("/", 1)[-1]
        if rtype in _MACRO_RELS:
            root.remove(rel)
            continue
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        resolved = posixpath.normpath(joined) if joined else ""
        if not _is_part_name(resolved) or resolved not in members:
            root.remove(rel)
            dropped += 1
    if dropped:
        notes.append(f"{dropped} relationship(s) in {name} to missing or out-of-package parts left out")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
