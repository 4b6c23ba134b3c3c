"""Probes of the database itself: can it be written right now?"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.db import SQLITE_BUSY_TIMEOUT_MS

__all__ = ["database_writable", "registries_present"]


def database_writable(engine: Engine) -> bool:
    """True when a write would be accepted: the probe writes nothing and rolls back.

    An UPDATE that matches no row still needs the database's write permission
    (a read-only SQLite file or a PostgreSQL standby refuses it). A writer busy
    elsewhere means writable, so the probe does not wait for it.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA busy_timeout=200")
            conn.rollback()  # end the transaction the PRAGMA began
        try:
            with conn.begin() as transaction:
                conn.execute(text("UPDATE counter SET value = value WHERE name = ''"))
                transaction.rollback()
        except OperationalError as exc:
            if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
                return True
            if "read" in str(exc.orig).lower() and "only" in str(exc.orig).lower():
                return False
            raise
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    return True


def registries_present(engine: Engine) -> bool:
    """True when the database holds the known sources and topics (a fresh schema holds none)."""
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT EXISTS (SELECT 1 FROM source) AND EXISTS (SELECT 1 FROM topic)")
        ).scalar_one()
    return bool(found)
