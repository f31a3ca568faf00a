"""A small rule folder of our own for engine tests: the bundled context, roles and rubric,
test lexicons and one rule per matcher kind."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MINI_PRODUCTS = """
version: 1
category_findings:
  database: [brand, proprietary_technology]
  operating_system: [brand, proprietary_technology]
  application: [brand]
vendors:
  - vendor: Microsoft
    products:
      - {name: SQL Server, aliases: [MSSQL], category: database, alternatives: [PostgreSQL], standards: [SQL]}
      - {name: Windows, category: operating_system, ambiguous: [Windows], alternatives: [Debian]}
      - {name: Office, category: application, ambiguous: [Office]}
      - {name: Teams, category: application, ambiguous: [Teams]}
      - {name: Power BI, category: application}
  - vendor: Oracle
    ambiguous_vendor: true
    products:
      - {name: Oracle Database, category: database}
"""

MINI_FORMATS = """
version: 1
formats:
  - {id: doc, extensions: [.doc], vendor: Microsoft, open_alternatives: ["ODF (.odt)"]}
open_formats: [ODF, PDF/A, CSV]
"""

MINI_RULES = """
version: 1
rules:
  - id: T-BRAND
    category: brand
    severity: error
    criteria: [1]
    languages: [en, es, pt]
    message: "Product {match} required"
    suggestion: "Use a functional description; alternatives: {alternatives}"
    matchers:
      - {lexicon: products, finding: brand}
    examples:
      bad: {en: ["It must run on Microsoft SQL Server."], es: ["Se usará Microsoft SQL Server."], pt: ["Será usado o Microsoft SQL Server."]}
      good: {en: ["Microsoft SQL Server or equivalent."]}
  - id: T-FORMAT
    category: proprietary_format
    severity: warning
    criteria: [6]
    languages: [en]
    message: "Format {format}; use {open_alternatives}"
    matchers:
      - {lexicon: formats}
    examples:
      bad: {en: ["Letters shall be .doc files."]}
  - id: T-PER-USER
    category: per_user_licensing
    severity: error
    criteria: [8]
    languages: [en, es, pt]
    message: "Per-user licensing"
    matchers:
      - phrases:
          en: ["per named user"]
          es: ["licencia por usuario nominal"]
          pt: ["licença por usuário"]
    examples:
      bad: {en: ["Priced per named user."], es: ["Licencias por usuarios nominales."], pt: ["Licenças por usuários."]}
      good: {en: ["Prices shall not be per named user."]}
  - id: T-ESCROW
    category: no_source_code
    severity: error
    criteria: [3]
    languages: [en]
    message: "Escrow"
    matchers:
      - tokens:
          en: [[{LOWER: source}, {LOWER: code}, {OP: "*", IS_PUNCT: false}, {LEMMA: escrow}]]
    examples:
      bad: {en: ["The source code shall be placed in escrow."]}
  - id: T-SOLE
    category: sole_source
    severity: warning
    criteria: [4]
    languages: [en]
    message: "Direct award"
    matchers:
      - regex: {en: ['\\bdirect award\\b']}
    examples:
      bad: {en: ["The contract will be concluded by direct award."]}
      good: {en: ["A direct award is allowed only in exceptional, duly justified cases."]}
  - id: T-OSS
    kind: evidence
    category: oss_allowed
    severity: info
    criteria: [2]
    languages: [en]
    message: "OSS allowed"
    matchers:
      - regex: {en: ['\\bopen[- ]source (?:solutions|software) (?:are|is) (?:admissible|allowed|welcome)']}
    examples:
      bad: {en: ["Open-source solutions are admissible."]}
"""


def write_rule_folder(
    dest: Path, rules: str = MINI_RULES, products: str = MINI_PRODUCTS, formats: str = MINI_FORMATS
) -> Path:
    (dest / "rules").mkdir(parents=True, exist_ok=True)
    (dest / "lexicons").mkdir(exist_ok=True)
    shutil.copy(ROOT / "lint_rules" / "context.yaml", dest / "context.yaml")
    shutil.copy(ROOT / "lint_rules" / "roles.yaml", dest / "roles.yaml")
    shutil.copy(ROOT / "lint_rules" / "checklist.yaml", dest / "checklist.yaml")
    (dest / "lexicons" / "products.yaml").write_text(products, encoding="utf-8")
    (dest / "lexicons" / "formats.yaml").write_text(formats, encoding="utf-8")
    (dest / "rules" / "test.yaml").write_text(rules, encoding="utf-8")
    return dest
