"""The registry's first schema: adoptions, their rows and the staff snapshot.

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: The adoption's rows: table -> its own columns (after id, adoption_id, county).
ROWS: dict[str, list[tuple[str, Any, bool]]] = {
    "pairs": [
        ("helper", sa.String(100), False),
        ("helped", sa.String(100), False),
        ("distance_km", sa.Float(), True),
    ],
    "memberships": [
        ("alliance", sa.String(100), False),
        ("lead", sa.String(100), False),
        ("member", sa.String(100), False),
        ("stage", sa.String(32), True),
    ],
    "moves": [
        ("staff", sa.String(100), False),
        ("kind", sa.String(16), False),
        ("role", sa.String(32), False),
        ("subject", sa.String(100), True),
        ("from_school", sa.String(100), False),
        ("to_school", sa.String(100), False),
        ("first_period", sa.String(64), False),
        ("periods", sa.Integer(), False),
        ("direction", sa.String(8), False),
        ("mentee", sa.String(100), True),
    ],
    "circuits": [
        ("staff", sa.String(100), False),
        ("subject", sa.String(100), False),
        ("home_school", sa.String(100), False),
        ("weekday", sa.String(8), False),
        ("stop", sa.Integer(), False),
        ("school", sa.String(100), False),
        ("lessons", sa.Integer(), False),
        ("km", sa.Float(), False),
        ("minutes", sa.Float(), True),
    ],
    "outreach_visits": [
        ("period", sa.String(64), False),
        ("week", sa.Integer(), False),
        ("staff", sa.String(100), False),
        ("from_school", sa.String(100), False),
        ("to_school", sa.String(100), False),
        ("subject", sa.String(100), False),
        ("kind", sa.String(16), False),
        ("days", sa.Integer(), False),
    ],
    "staff_snapshot": [
        ("staff", sa.String(100), False),
        ("school", sa.String(100), False),
        ("years_at_school", sa.Integer(), False),
    ],
}


def upgrade() -> None:
    op.create_table(
        "adoptions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("county", sa.String(200), nullable=False),
        sa.Column("cycle", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("instance", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("adopted_by", sa.String(200), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("superseded_by", sa.Integer(), sa.ForeignKey("adoptions.id"), nullable=True),
        sa.CheckConstraint("status IN ('adopted', 'superseded')", name="ck_adoptions_status"),
    )
    op.create_index("ix_adoptions_county", "adoptions", ["county"])
    op.create_index(
        "uq_adoptions_in_force",
        "adoptions",
        ["county", "cycle"],
        unique=True,
        sqlite_where=sa.text("status = 'adopted'"),
        postgresql_where=sa.text("status = 'adopted'"),
    )
    for table, columns in ROWS.items():
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column(
                "adoption_id",
                sa.Integer(),
                sa.ForeignKey("adoptions.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("county", sa.String(200), nullable=False),
            *(sa.Column(name, kind, nullable=null) for name, kind, null in columns),
        )
        op.create_index(f"ix_{table}_adoption_id", table, ["adoption_id"])
        op.create_index(f"ix_{table}_county", table, ["county"])


def downgrade() -> None:
    for table in reversed(list(ROWS)):
        op.drop_table(table)
    op.drop_table("adoptions")
