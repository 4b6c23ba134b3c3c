"""Full-text search, the claim change feed, and UTF-16 spans.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SQLITE_SEARCH = (
    # External-content FTS5 index over claim.text, kept in step by triggers so it
    # changes in the same transaction as the claims.
    "CREATE VIRTUAL TABLE claim_fts USING fts5("
    "text, content='claim', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claim_fts_delete AFTER DELETE ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claim_fts_update AFTER UPDATE OF text ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')",
)
SQLITE_SEARCH_DOWN = (
    "DROP TRIGGER IF EXISTS claim_fts_update",
    "DROP TRIGGER IF EXISTS claim_fts_delete",
    "DROP TRIGGER IF EXISTS claim_fts_insert",
    "DROP TABLE IF EXISTS claim_fts",
)
POSTGRES_SEARCH = (
    "CREATE INDEX ix_claim_text_search ON claim USING gin (to_tsvector('english', text))",
)
POSTGRES_SEARCH_DOWN = ("DROP INDEX IF EXISTS ix_claim_text_search",)


def _utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code point offset of text (one past the end included)."""
    offsets = [0] * (len(text) + 1)
    units = 0
    for index, char in enumerate(text):
        offsets[index] = units
        units += 2 if ord(char) > 0xFFFF else 1
    offsets[len(text)] = units
    return offsets


def _fill_utf16_spans() -> None:
    conn = op.get_bind()
    claim = sa.table(
        "claim",
        sa.column("id", sa.BigInteger),
        sa.column("span_start", sa.Integer),
        sa.column("span_end", sa.Integer),
        sa.column("span_utf16_start", sa.Integer),
        sa.column("span_utf16_end", sa.Integer),
    )
    conn.execute(
        claim.update().values(span_utf16_start=claim.c.span_start, span_utf16_end=claim.c.span_end)
    )
    # Only articles with characters outside the Basic Multilingual Plane differ.
    articles = conn.execute(sa.text("SELECT id, text FROM article")).all()
    for article_id, text in articles:
        if all(ord(char) <= 0xFFFF for char in text):
            continue
        offsets = _utf16_offsets(text)
        spans = conn.execute(
            sa.text("SELECT id, span_start, span_end FROM claim WHERE article_id = :a"),
            {"a": article_id},
        ).all()
        for claim_id, start, end in spans:
            conn.execute(
                claim.update()
                .where(claim.c.id == claim_id)
                .values(span_utf16_start=offsets[start], span_utf16_end=offsets[end])
            )


def upgrade() -> None:
    # SQLite rebuilds the table to change a column: keep its AUTOINCREMENT.
    with op.batch_alter_table("claim", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("span_utf16_start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("span_utf16_end", sa.Integer(), nullable=True))
    _fill_utf16_spans()
    # SQLite rebuilds the table to change a column: keep its AUTOINCREMENT.
    with op.batch_alter_table("claim", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column("span_utf16_start", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("span_utf16_end", existing_type=sa.Integer(), nullable=False)

    op.create_table(
        "claim_change",
        sa.Column("seq", ID, autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_claim_change")),
        sqlite_autoincrement=True,
    )

    # After the batch alter: SQLite's table copy would drop triggers made before it.
    statements = SQLITE_SEARCH if op.get_bind().dialect.name == "sqlite" else POSTGRES_SEARCH
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_SEARCH_DOWN if sqlite else POSTGRES_SEARCH_DOWN:
        op.execute(statement)
    op.drop_table("claim_change")
    # SQLite rebuilds the table to change a column: keep its AUTOINCREMENT.
    with op.batch_alter_table("claim", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("span_utf16_end")
        batch.drop_column("span_utf16_start")
