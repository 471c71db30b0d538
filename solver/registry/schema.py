"""The registry's tables (SQLAlchemy Core): adopted plans, their rows, a staff snapshot.

Every table carries the county, indexed, so that one registry serves many counties and
every query of one county filters on it. The migrations in ``migrations/versions`` create
exactly these tables; a test compares them.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Status of an adoption: the plan in force for its cycle, or one replaced (kept as record).
ADOPTED = "adopted"
SUPERSEDED = "superseded"

adoptions = sa.Table(
    "adoptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("county", sa.String(200), nullable=False, index=True),
    sa.Column("cycle", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("instance", sa.String(200), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("policy", sa.JSON, nullable=False),
    sa.Column("kpis", sa.JSON, nullable=False),
    sa.Column("adopted_by", sa.String(200), nullable=False),
    sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("superseded_by", sa.Integer, sa.ForeignKey("adoptions.id"), nullable=True),
    sa.CheckConstraint("status IN ('adopted', 'superseded')", name="ck_adoptions_status"),
    # One plan in force per county and cycle, kept by the database itself: of two planners
    # adopting the same cycle at once, the second insert fails even if both looked first.
    sa.Index(
        "uq_adoptions_in_force",
        "county",
        "cycle",
        unique=True,
        sqlite_where=sa.text("status = 'adopted'"),
        postgresql_where=sa.text("status = 'adopted'"),
    ),
)


def _rows(name: str, *columns: sa.Column[object]) -> sa.Table:
    """A table of one adoption's rows: the adoption, its county, then its own columns."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "adoption_id",
            sa.Integer,
            sa.ForeignKey("adoptions.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("county", sa.String(200), nullable=False, index=True),
        *columns,
    )


pairs = _rows(
    "pairs",
    sa.Column("helper", sa.String(100), nullable=False),
    sa.Column("helped", sa.String(100), nullable=False),
    sa.Column("distance_km", sa.Float, nullable=True),
)

memberships = _rows(
    "memberships",
    sa.Column("alliance", sa.String(100), nullable=False),
    sa.Column("lead", sa.String(100), nullable=False),
    sa.Column("member", sa.String(100), nullable=False),
    sa.Column("stage", sa.String(32), nullable=True),
)

moves = _rows(
    "moves",
    sa.Column("staff", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("subject", sa.String(100), nullable=True),
    sa.Column("from_school", sa.String(100), nullable=False),
    sa.Column("to_school", sa.String(100), nullable=False),
    sa.Column("first_period", sa.String(64), nullable=False),
    sa.Column("periods", sa.Integer, nullable=False),
    sa.Column("direction", sa.String(8), nullable=False),
    sa.Column("mentee", sa.String(100), nullable=True),
)

circuits = _rows(
    "circuits",
    sa.Column("staff", sa.String(100), nullable=False),
    sa.Column("subject", sa.String(100), nullable=False),
    sa.Column("home_school", sa.String(100), nullable=False),
    sa.Column("weekday", sa.String(8), nullable=False),
    sa.Column("stop", sa.Integer, nullable=False),
    sa.Column("school", sa.String(100), nullable=False),
    sa.Column("lessons", sa.Integer, nullable=False),
    sa.Column("km", sa.Float, nullable=False),
    sa.Column("minutes", sa.Float, nullable=True),
)

outreach_visits = _rows(
    "outreach_visits",
    sa.Column("period", sa.String(64), nullable=False),
    sa.Column("week", sa.Integer, nullable=False),
    sa.Column("staff", sa.String(100), nullable=False),
    sa.Column("from_school", sa.String(100), nullable=False),
    sa.Column("to_school", sa.String(100), nullable=False),
    sa.Column("subject", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
)

#: Who was where, and for how many years, when the plan was adopted: the next cycle's
#: years at school are advanced from it when the planner's staff.csv was not updated.
staff_snapshot = _rows(
    "staff_snapshot",
    sa.Column("staff", sa.String(100), nullable=False),
    sa.Column("school", sa.String(100), nullable=False),
    sa.Column("years_at_school", sa.Integer, nullable=False),
)

#: The tables holding an adoption's rows, in the order they are written.
ROW_TABLES = (pairs, memberships, moves, circuits, outreach_visits, staff_snapshot)
