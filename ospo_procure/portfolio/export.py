"""The store's tables for spreadsheets and BI tools (CSV, Parquet), and FileRecords as
Arrow tables (the Dask engine's partition format, with the store's column names).

    ospo-procure export STORE -o DIR --format csv|parquet   ->  DIR/files.*, findings.*, scores.*
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from ospo_procure.errors import UsageError
from ospo_procure.fsutil import atomic_write_bytes
from ospo_procure.portfolio.records import FileRecord, FindingRow, Meta, ScoreRow
from ospo_procure.portfolio.store import Store

TABLES = ("files", "findings", "scores")
EXPORT_FORMATS = ("csv", "parquet")


def export_store(store_path: Path, out_dir: Path, fmt: str = "csv") -> list[tuple[str, int, Path]]:
    """Write each table of the store as DIR/<table>.<fmt>; returns (table, rows, path)."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    written = []
    with Store(store_path, create=False) as store:
        for name in TABLES:
            columns, rows = store.table(name)
            data = _csv(columns, rows) if fmt == "csv" else _parquet(columns, rows)
            path = atomic_write_bytes(out_dir / f"{name}.{fmt}", data, inputs=[store_path])
            written.append((name, len(rows), path))
    return written


def _csv(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheet programs then read UTF-8 right


def _parquet(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


# -- FileRecords <-> Arrow (Dask partitions) ----------------------------------------------
_RECORD_SCALARS = [f.name for f in fields(FileRecord) if f.name not in ("meta", "findings", "scores")]
_META = [f.name for f in fields(Meta)]


def records_to_tables(records: list[FileRecord]) -> dict[str, Any]:
    """Three Arrow tables (files, findings, scores) holding the records; rows are tied by `source`."""
    import pyarrow as pa

    files = {c: [getattr(r, c) for r in records] for c in _RECORD_SCALARS}
    files.update({f"meta_{c}": [getattr(r.meta, c) for r in records] for c in _META})
    finding_rows = [{"source": r.source, **asdict(f)} for r in records for f in r.findings]
    score_rows = [{"source": r.source, **asdict(s)} for r in records for s in r.scores]
    finding_cols = ["source", *(f.name for f in fields(FindingRow))]
    score_cols = ["source", *(f.name for f in fields(ScoreRow))]
    return {
        "files": pa.table(files),
        "findings": pa.table({c: [row[c] for row in finding_rows] for c in finding_cols}),
        "scores": pa.table({c: [row[c] for row in score_rows] for c in score_cols}),
    }


def tables_to_records(tables: dict[str, Any]) -> list[FileRecord]:
    findings: dict[str, list[FindingRow]] = {}
    for row in tables["findings"].to_pylist():
        findings.setdefault(row.pop("source"), []).append(FindingRow(**row))
    scores: dict[str, list[ScoreRow]] = {}
    for row in tables["scores"].to_pylist():
        scores.setdefault(row.pop("source"), []).append(ScoreRow(**row))
    out = []
    for row in tables["files"].to_pylist():
        meta = Meta(**{c: row.pop(f"meta_{c}") for c in _META})
        source = row["source"]
        out.append(
            FileRecord(**row, meta=meta, findings=tuple(findings.get(source, ())), scores=tuple(scores.get(source, ())))
        )
    return out


def write_partition(records: list[FileRecord], folder: Path, name: str) -> Path:
    """A partition: folder/name.{findings,scores,files}.parquet, the files table written last
    (its presence says the partition is complete)."""
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    tables = records_to_tables(records)
    for table in ("findings", "scores", "files"):
        final = folder / f"{name}.{table}.parquet"
        tmp = folder / f".{name}.{table}.parquet.tmp"
        pq.write_table(tables[table], tmp)
        tmp.replace(final)
    return folder / f"{name}.files.parquet"


def read_partition(files_table: Path) -> list[FileRecord]:
    import pyarrow.parquet as pq

    stem = files_table.name[: -len(".files.parquet")]
    return tables_to_records(
        {t: pq.read_table(files_table.with_name(f"{stem}.{t}.parquet")) for t in ("files", "findings", "scores")}
    )


def remove_partition(files_table: Path) -> None:
    stem = files_table.name[: -len(".files.parquet")]
    for t in ("files", "findings", "scores"):  # the completeness marker first
        files_table.with_name(f"{stem}.{t}.parquet").unlink(missing_ok=True)
