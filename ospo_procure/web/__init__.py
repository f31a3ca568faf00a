"""The web page of `ospo-procure serve`: review drafts, build tenders, browse clauses, an API.

`app.create_app()` builds the application; every call into the library goes through
`engine.py`, and each lint or build runs in its own process (`jobs.py`).
"""
