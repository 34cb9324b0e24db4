"""Telling a server URL from a file, and showing one safely. Standard library only."""

from __future__ import annotations

import re

#: URL schemes tracker opens on a PostgreSQL server (through psycopg 3, the postgres extra).
SERVER_SCHEMES = ("postgresql", "postgresql+psycopg")


def is_server_url(url: str) -> bool:
    scheme, sep, _ = url.partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def libpq_url(url: str) -> str:
    """The URL as libpq reads it (no SQLAlchemy driver name)."""
    _, _, rest = url.partition("://")
    return f"postgresql://{rest}"


def sqlalchemy_url(url: str) -> str:
    """The URL for SQLAlchemy, always on psycopg 3 (never psycopg2)."""
    _, _, rest = url.partition("://")
    return f"postgresql+psycopg://{rest}"


def hide_password(text: str) -> str:
    """`text` (a URL, or a message holding one) with any password replaced by ***."""
    text = re.sub(r"(://[^:/@?#\s]*:)[^@/?#\s]*@", r"\1***@", text)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", text)
