"""Claim counters on sources, actors and topics, and a running total of claims.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# entity table -> SQL counting its claims for the row aliased `e`
COUNTS = {
    "source": "SELECT count(*) FROM claim_citation l WHERE l.source_id = e.id "
    "AND l.kind IN ('cited', 'inline')",
    "actor": "SELECT count(*) FROM claim_actor l WHERE l.actor_id = e.id",
    "topic": "SELECT count(*) FROM claim_topic l WHERE l.topic_id = e.id",
}


def upgrade() -> None:
    for table, count in COUNTS.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "claim_count", sa.BigInteger(), nullable=False, server_default=sa.text("0")
                )
            )
        op.execute(f"UPDATE {table} AS e SET claim_count = ({count})")
    op.create_table(
        "counter",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counter")),
    )
    op.execute("INSERT INTO counter (name, value) SELECT 'claims', count(*) FROM claim")


def downgrade() -> None:
    op.drop_table("counter")
    for table in COUNTS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("claim_count")
