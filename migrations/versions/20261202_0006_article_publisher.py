"""The article's own source: the publisher a whole page names for itself.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # SQLite adds a reference only by copying the table: keep its AUTOINCREMENT (ids of
    # deleted articles are never reused).
    with op.batch_alter_table("article", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("source_id", _ID, nullable=True))
        batch.create_foreign_key(
            "fk_article_source_id_source", "source", ["source_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("article", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint("fk_article_source_id_source", type_="foreignkey")
        batch.drop_column("source_id")
