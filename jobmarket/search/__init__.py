"""Matching and search: one score (scoring.py), two backends (database, Elasticsearch), one interface (service.py)."""
