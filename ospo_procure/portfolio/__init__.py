"""Portfolio scans: lint thousands of tenders into a result store, and publish OSPO KPIs.

  discovery   PATHS (folders, globs, zip packages, OCDS releases) -> work items
  worker      one item -> a FileRecord (read, lint, score; runs in worker processes or on Dask)
  store       the SQLite result store (files, findings, scores) and its incremental cache
  scan        the scan as a library call: local process pool or Dask (dask_engine)
  export      the store as CSV or Parquet tables (also the Dask partition format)
  kpis        the figures an OSPO publishes, computed from a store
  dashboard   KPIs -> a self-contained HTML page or a PDF, with charts (charts)
  strings     every word the dashboard shows, in one place (for the i18n catalogue)

docs/portfolio.md describes the commands, the store's tables and running on a Dask cluster.
"""
