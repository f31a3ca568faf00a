"""The figures an OSPO publishes about a portfolio, computed from a result store.

A tender counts when it was read (status ok, text found). A signal counts when the linter
reported it as an error or a warning and no waiver covers it: info-level mentions (the
system being replaced, an example) are context, not lock-in.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure import __version__
from ospo_procure.message import from_stored
from ospo_procure.model import FINDING_CATEGORIES
from ospo_procure.portfolio.store import Store
from ospo_procure.portfolio.strings import current_language, text
from ospo_procure.report.words import words

HEADLINE = ("brand", "per_user_licensing", "proprietary_format", "vendor_certification")
_READ = "x.status = 'ok' AND x.unreadable = 0"
_SIGNAL = "f.kind = 'finding' AND f.severity IN ('error', 'warning') AND f.waived = 0"
_SEVERITY_ORDER = "CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def ratio(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass
class Criterion:
    number: int
    title: str
    mean: float
    counts: list[int]  # tenders scoring 0..5


@dataclass
class Group:
    """A buyer or a period: its tenders, average score and the share with each signal."""

    label: str
    tenders: int
    mean: float
    shares: dict[str, Share]


@dataclass
class TenderReport:
    id: int
    name: str
    source: str
    path: str
    kind: str
    buyer: str
    date: str
    language: str
    words: int
    overall: float
    errors: int
    warnings: int
    categories: list[str]  # signal categories, most frequent first
    scores: list[tuple[int, str, int]]
    findings: list[dict[str, Any]]  # errors and warnings (waived ones last); info mentions are context
    more: int  # findings beyond those listed


@dataclass
class Kpis:
    store: str
    generated: str
    tenders: int
    unreadable: list[tuple[str, str]]
    words: int
    mean: float
    any_error: Share
    shares: dict[str, Share]
    products: list[tuple[str, str, int]] = field(default_factory=list)  # (product, vendor, tenders)
    vendors: list[tuple[str, int]] = field(default_factory=list)
    formats: list[tuple[str, int]] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    overall: list[float] = field(default_factory=list)  # every tender's overall score
    periods: list[Group] = field(default_factory=list)
    period_kind: str = "quarter"  # or "year" when dates have no month
    undated: int = 0
    buyers: list[Group] = field(default_factory=list)
    first_date: str = ""
    last_date: str = ""
    worst: list[TenderReport] = field(default_factory=list)
    rules: str = ""  # the result key(s) the figures come from
    version: str = __version__


def _criterion_titles() -> dict[int, str]:
    """Criterion titles from the bundled rubric in the dashboard's language (stored titles
    follow each tender's language)."""
    try:
        from ospo_procure.paths import data_dir
        from ospo_procure.portfolio.strings import current_language
        from ospo_procure.scoring import load_rubric

        rubric = load_rubric(data_dir("lint_rules") / "checklist.yaml")
        lang = current_language()
        return {n: spec["title"].get(lang) or spec["title"]["en"] for n, spec in rubric.criteria.items()}
    except Exception:  # a broken installation still gets a dashboard, with stored titles
        return {}


def _shares(store: Store, where: str, params: tuple[Any, ...], total: int) -> dict[str, Share]:
    rows = store.query(
        f"SELECT f.category, COUNT(DISTINCT f.file_id) FROM findings f JOIN files x ON x.id = f.file_id "
        f"WHERE {_READ} AND {_SIGNAL} AND {where} GROUP BY f.category",
        params,
    )
    counts = {r[0]: r[1] for r in rows}
    return {c: Share(counts.get(c, 0), total) for c in FINDING_CATEGORIES}


def quarter(date: str, kind: str) -> str:
    return date[:4] if kind == "year" else f"{date[:4]} Q{(int(date[5:7]) - 1) // 3 + 1}"


def compute(store: Store, *, top: int = 12, worst: int = 10) -> Kpis:
    total = store.query(f"SELECT COUNT(*) FROM files x WHERE {_READ}")[0][0]
    unreadable = [
        (r["source"], words(current_language()).text(from_stored(r["error"])) or text("no_text_layer"))
        for r in store.query("SELECT source, error FROM files WHERE status = 'error' OR unreadable = 1 ORDER BY source")
    ]
    agg = store.query(f"SELECT COALESCE(SUM(words), 0), AVG(overall) FROM files x WHERE {_READ}")[0]
    any_error = store.query(f"SELECT COUNT(*) FROM files x WHERE {_READ} AND x.errors > 0")[0][0]
    keys = [r[0] for r in store.query(f"SELECT DISTINCT result_key FROM files x WHERE {_READ} ORDER BY 1")]
    k = Kpis(
        store=Path(store.path).name,
        generated=_dt.date.today().isoformat(),
        tenders=total,
        unreadable=unreadable,
        words=int(agg[0]),
        mean=float(agg[1] or 0.0),
        any_error=Share(any_error, total),
        shares=_shares(store, "1", (), total),
        rules=", ".join(key[:12] for key in keys[:3]) + (" …" if len(keys) > 3 else ""),
    )
    if not total:
        return k
    _names(store, k, top)
    _criteria(store, k)
    _periods(store, k)
    _buyers(store, k, top)
    k.worst = _worst(store, worst)
    return k


def _names(store: Store, k: Kpis, top: int) -> None:
    base = f"FROM findings f JOIN files x ON x.id = f.file_id WHERE {_READ} AND {_SIGNAL}"
    k.products = [
        (r[0], r[1], r[2])
        for r in store.query(
            f"SELECT f.product, MAX(f.vendor), COUNT(DISTINCT f.file_id) AS n {base} AND f.product != '' "
            "AND f.category IN ('brand', 'proprietary_technology', 'vendor_certification') "
            "GROUP BY f.product ORDER BY n DESC, f.product LIMIT ?",
            (top,),
        )
    ]
    k.vendors = [
        (r[0], r[1])
        for r in store.query(
            f"SELECT f.vendor, COUNT(DISTINCT f.file_id) AS n {base} AND f.vendor != '' "
            "GROUP BY f.vendor ORDER BY n DESC, f.vendor LIMIT ?",
            (top,),
        )
    ]
    k.formats = [
        (r[0], r[1])
        for r in store.query(
            f"SELECT f.product, COUNT(DISTINCT f.file_id) AS n {base} AND f.product != '' "
            "AND f.category = 'proprietary_format' GROUP BY f.product ORDER BY n DESC, f.product LIMIT ?",
            (top,),
        )
    ]


def _criteria(store: Store, k: Kpis) -> None:
    titles = _criterion_titles()
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    stored: dict[int, Counter[str]] = defaultdict(Counter)
    for r in store.query(
        f"SELECT s.criterion, s.title, s.score, COUNT(*) FROM scores s JOIN files x ON x.id = s.file_id "
        f"WHERE {_READ} GROUP BY s.criterion, s.title, s.score"
    ):
        counts[r[0]][max(0, min(5, r[2]))] += r[3]
        stored[r[0]][r[1]] += r[3]
    for n in sorted(counts):
        c = counts[n]
        mean = sum(score * m for score, m in enumerate(c)) / max(1, sum(c))
        title = titles.get(n) or stored[n].most_common(1)[0][0]
        k.criteria.append(Criterion(n, title, mean, c))
    k.overall = [r[0] for r in store.query(f"SELECT overall FROM files x WHERE {_READ} AND overall IS NOT NULL")]


def _group_shares(store: Store, key_sql: str, labels: list[str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in store.query(
        f"SELECT {key_sql} AS g, f.category, COUNT(DISTINCT f.file_id) FROM findings f JOIN files x ON x.id = f.file_id "
        f"WHERE {_READ} AND {_SIGNAL} GROUP BY g, f.category"
    ):
        if r[0] in labels:
            out[r[0]][r[1]] = r[2]
    return out


def _periods(store: Store, k: Kpis) -> None:
    dated = store.query(f"SELECT date, overall FROM files x WHERE {_READ} AND date != ''")
    k.undated = k.tenders - len(dated)
    if not dated:
        return
    k.period_kind = "quarter" if all(len(r[0]) >= 7 for r in dated) else "year"
    k.first_date, k.last_date = min(r[0] for r in dated), max(r[0] for r in dated)
    key_sql = (
        "substr(x.date, 1, 4) || ' Q' || ((CAST(substr(x.date, 6, 2) AS INTEGER) - 1) / 3 + 1)"
        if k.period_kind == "quarter"
        else "substr(x.date, 1, 4)"
    )
    groups: dict[str, list[float]] = defaultdict(list)
    for r in dated:
        groups[quarter(r[0], k.period_kind)].append(r[1] or 0.0)
    labels = sorted(groups)
    shares = _group_shares(store, f"CASE WHEN x.date = '' THEN NULL ELSE {key_sql} END", labels)
    for label in labels:
        n = len(groups[label])
        k.periods.append(
            Group(label, n, sum(groups[label]) / n, {c: Share(shares[label].get(c, 0), n) for c in FINDING_CATEGORIES})
        )


def _buyers(store: Store, k: Kpis, top: int) -> None:
    rows = store.query(
        f"SELECT buyer, COUNT(*) AS n, AVG(overall) FROM files x WHERE {_READ} AND buyer != '' "
        "GROUP BY buyer ORDER BY n DESC, buyer LIMIT ?",
        (top,),
    )
    labels = [r[0] for r in rows]
    shares = _group_shares(store, "x.buyer", labels)
    k.buyers = [
        Group(r[0], r[1], float(r[2] or 0.0), {c: Share(shares[r[0]].get(c, 0), r[1]) for c in FINDING_CATEGORIES})
        for r in rows
    ]


def _worst(store: Store, n: int, per_tender: int = 12) -> list[TenderReport]:
    out: list[TenderReport] = []
    for r in store.query(
        f"SELECT * FROM files x WHERE {_READ} AND overall IS NOT NULL ORDER BY overall, errors DESC, source LIMIT ?",
        (n,),
    ):
        findings = [
            dict(f)
            for f in store.query(
                f"SELECT f.* FROM findings f WHERE f.file_id = ? AND f.kind = 'finding' AND f.severity != 'info' "
                f"ORDER BY f.waived, {_SEVERITY_ORDER}, f.seq",
                (r["id"],),
            )
        ]
        cats = Counter(f["category"] for f in findings if f["severity"] in ("error", "warning") and not f["waived"])
        scores = [
            (s[0], s[1], s[2])
            for s in store.query(
                "SELECT criterion, title, score FROM scores WHERE file_id = ? ORDER BY criterion", (r["id"],)
            )
        ]
        out.append(
            TenderReport(
                id=r["id"],
                name=r["title"] or r["name"],
                source=r["source"],
                path=r["path"],
                kind=r["kind"],
                buyer=r["buyer"],
                date=r["date"],
                language=r["language"],
                words=r["words"],
                overall=r["overall"],
                errors=r["errors"],
                warnings=r["warnings"],
                categories=[c for c, _ in cats.most_common()],
                scores=scores,
                findings=findings[:per_tender],
                more=max(0, len(findings) - per_tender),
            )
        )
    return out
