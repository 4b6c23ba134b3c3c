"""Sources and actors: a case-folded `search_text`; JSON columns stored as UTF-8 text.

Filters and the `q` prefix search matched names with SQL `lower()` (ASCII only
on SQLite) and aliases inside their JSON text, where non-ASCII letters were
escaped (`"\\u0160akalien\\u0117"`). Each row now carries its name and aliases
case-folded in Python, fenced by U+001F, and JSON is rewritten unescaped.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEPARATOR = "\x1f"
# table -> its JSON columns
TABLES = {"source": ("aliases", "domains"), "actor": ("aliases",)}


def _fold(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip().casefold()


def _search_text(name: str, aliases: Iterable[str]) -> str:
    # As app.repository.filters.search_text computes it, frozen here.
    names = dict.fromkeys(_fold(n) for n in (name, *aliases) if n.strip())
    return SEPARATOR + SEPARATOR.join(names) + SEPARATOR


def _loads(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    connection = op.get_bind()
    for table, json_columns in TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("search_text", sa.Text(), nullable=False, server_default=sa.text("''"))
            )
        columns = ", ".join(("id", "name", *json_columns))
        rows = connection.execute(sa.text(f"SELECT {columns} FROM {table}")).all()
        assignments = ", ".join(f"{c} = :{c}" for c in ("search_text", *json_columns))
        update = sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id")
        for row in rows:
            values = {c: _loads(getattr(row, c)) for c in json_columns}
            params = {c: json.dumps(v, ensure_ascii=False) for c, v in values.items()}
            params["search_text"] = _search_text(row.name, values["aliases"] or ())  # type: ignore[arg-type]
            connection.execute(update, {"id": row.id, **params})


def downgrade() -> None:
    connection = op.get_bind()
    for table, json_columns in TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_column("search_text")
        # Back to the escaped form the older code matched aliases in.
        rows = connection.execute(
            sa.text(f"SELECT id, {', '.join(json_columns)} FROM {table}")
        ).all()
        assignments = ", ".join(f"{c} = :{c}" for c in json_columns)
        update = sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id")
        for row in rows:
            params = {c: json.dumps(_loads(getattr(row, c))) for c in json_columns}
            connection.execute(update, {"id": row.id, **params})
