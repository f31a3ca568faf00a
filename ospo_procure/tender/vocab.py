"""Fixed vocabularies shared by the spec, the clause library and the templates."""

from __future__ import annotations

from ospo_procure.constants import LANGUAGES as LANGUAGES  # defined once for the whole tool

REQUIRED_CLAUSE_LANGUAGES = ("en", "es", "pt")  # every approved clause has these
PROCUREMENT_TYPES = ("custom_development", "oss_implementation", "support_maintenance", "software_subscription")
HOSTING = ("agency", "contractor", "cloud")
STATUSES = ("draft", "approved", "deprecated")
DOCUMENTS = ("tor", "contract", "grid")
CATEGORIES = (
    "background",
    "requirements",
    "oss",
    "source_code",
    "licensing",
    "ip",
    "standards",
    "exit",
    "security",
    "services",
    "sla",
    "knowledge_transfer",
    "acceptance",
    "data_protection",
    "economic",
    "award",
    "pricing",
    "community",
    "publication",
    "governance",
)
# ToR sections, in document order.
SECTIONS = (
    "background",
    "scope",
    "requirements",
    "oss",
    "deliverables",
    "ip_licensing",
    "standards",
    "security",
    "services",
    "quality",
    "exit",
    "economic",
    "award",
    "contract",
)
CRITERIA = tuple(range(1, 10))

# OSI-approved licences a spec may name (SPDX id -> full name, used as `licence_name`).
LICENCES: dict[str, str] = {
    "EUPL-1.2": "European Union Public Licence 1.2",
    "GPL-3.0-or-later": "GNU General Public License v3.0 or later",
    "GPL-3.0-only": "GNU General Public License v3.0 only",
    "GPL-2.0-or-later": "GNU General Public License v2.0 or later",
    "AGPL-3.0-or-later": "GNU Affero General Public License v3.0 or later",
    "AGPL-3.0-only": "GNU Affero General Public License v3.0 only",
    "LGPL-3.0-or-later": "GNU Lesser General Public License v3.0 or later",
    "LGPL-2.1-or-later": "GNU Lesser General Public License v2.1 or later",
    "MPL-2.0": "Mozilla Public License 2.0",
    "Apache-2.0": "Apache License 2.0",
    "MIT": "MIT License",
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "BSD-2-Clause": 'BSD 2-Clause "Simplified" License',
    "EPL-2.0": "Eclipse Public License 2.0",
    "CECILL-2.1": "CeCILL Free Software License Agreement v2.1",
}

# Values the spec provides to clause text (beyond the free variables below).
SPEC_VARIABLES = (
    "agency",
    "agency_short",
    "country",
    "title",
    "reference",
    "procurement_type",
    "licence",
    "licence_name",
    "repository_url",
    "currency",
    "budget_amount",
    "contract_months",
)
# Free variables with defaults; a spec may override them (and add others) under `variables:`.
DEFAULT_VARIABLES: dict[str, int] = {
    "support_months": 24,
    "sla_critical_hours": 4,
    "sla_major_hours": 24,
    "exit_days": 90,
    "knowledge_transfer_days": 20,
    "warranty_months": 12,
    "tco_years": 5,
    "vulnerability_days": 30,
    "acceptance_days": 30,
}
# Names an `applies_when` condition may use (see docs/tender-spec.md).
CONDITION_NAMES = (
    "procurement_type",
    "licence",
    "repository_url",
    "has_repository",
    "platform",
    "has_personal_data",
    "hosting",
    "reuses_existing_oss",
    "prefer_oss",
    "language",
    "country",
    "has_budget",
    "budget_amount",
    "currency",
    "contract_months",
)
# Sample values used to render clauses outside a build (clauses show/validate).
SAMPLE_VARIABLES: dict[str, object] = {
    "agency": "Ministry of Digital Government",
    "agency_short": "MDG",
    "country": "Uruguay",
    "title": "Case management platform",
    "reference": "MDG-2026-001",
    "procurement_type": "custom_development",
    "licence": "EUPL-1.2",
    "licence_name": LICENCES["EUPL-1.2"],
    "repository_url": "https://code.example.gov/mdg/case-management",
    "currency": "USD",
    "budget_amount": "250,000",
    "contract_months": 18,
    **DEFAULT_VARIABLES,
}
