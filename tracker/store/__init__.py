"""The database: tables, engine set-up, queries, migrations, backup and export.

Everything leaving this package is a plain value from `tracker.domain.models`.
"""
