"""Opening a registry, adopting a plan into it, reading its history back.

A registry is a database URL: a file path or ``sqlite:///county.db`` (SQLite, nothing to
install or start) or ``postgresql://user:pass@host/db`` (a city's or province's server,
many counties in one registry). Its schema is migrated to the newest revision each time
it is opened. Every statement is built with SQLAlchemy Core, so every value is bound as a
parameter; every query filters on the county.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, Engine

from twinning.county.instance import HistoryEntry, Instance
from twinning.errors import UsageError
from twinning.messages import Msg, msg
from twinning.plan import Plan
from twinning.registry.schema import (
    ADOPTED,
    ROW_TABLES,
    SUPERSEDED,
    adoptions,
    circuits,
    memberships,
    moves,
    outreach_visits,
    pairs,
    staff_snapshot,
)

MIGRATIONS = Path(__file__).with_name("migrations")

#: Roster kinds that take a person away from home for the cycle: history kind ``exchange``,
#: so that "nobody moves who moved last cycle" sees them. A mentor stays at home (kind
#: ``mentor``); an itinerant teacher's circuit is not a move.
MOVE_KINDS = ("exchange", "secondment", "headship")


class RegistryError(UsageError):
    """The registry cannot be used: a bad URL, a database that cannot be reached or that
    does not exist (when read), a plan that does not belong to the instance. Its message
    is a code of the catalogue (``registry.*``); the command line prints it and exits 2."""

    def __init__(self, message: Msg | str) -> None:
        super().__init__(message if isinstance(message, Msg) else msg("text", text=message))


class AdoptionRefused(RegistryError):
    """An adoption the registry refuses: the cycle is adopted already (use replace)."""


@dataclass(frozen=True)
class Adoption:
    """One adoption record (without its rows)."""

    id: int
    county: str
    cycle: str
    status: str
    instance: str
    fingerprint: str
    adopted_by: str
    adopted_at: datetime
    note: str
    superseded_by: int | None


# ---- URLs and opening --------------------------------------------------------------------


def registry_url(url: str | Path) -> URL:
    """The SQLAlchemy URL of a registry given as a path, ``sqlite:///...`` or
    ``postgresql://...`` (driven by psycopg 3)."""
    text = str(url).strip()
    if not text:
        raise RegistryError(msg("registry.empty_url"))
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser()))
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise RegistryError(msg("registry.not_url", url=text)) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed
    shown = parsed.render_as_string(hide_password=True)
    raise RegistryError(msg("registry.unsupported", url=shown, backend=backend))


def in_memory(url: URL) -> bool:
    """Whether a SQLite URL names a database in memory (``sqlite://``,
    ``sqlite:///:memory:``, ``mode=memory``): one that keeps nothing after the command."""
    if url.get_backend_name() != "sqlite":
        return False
    database = url.database or ""
    mode = url.query.get("mode")
    return database in ("", ":memory:") or "mode=memory" in database or mode == "memory"


def _engine(url: URL, create: bool) -> Engine:
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    if in_memory(url):
        shown = f"sqlite:///{url.database}" if url.database else "sqlite://"
        raise RegistryError(msg("registry.in_memory", url=shown))
    path = Path(str(url.database))
    if not path.parent.is_dir():
        raise RegistryError(msg("registry.no_folder", path=str(path), folder=str(path.parent)))
    if not create and not path.exists():  # SQLite would create the file on connecting
        raise RegistryError(msg("registry.missing", path=str(path)))
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    # pysqlite begins transactions lazily and never for DDL; take the write lock at BEGIN
    # instead, so that a transaction (a migration, an adoption) is whole and two writers
    # queue rather than fail half-way (SQLAlchemy's documented recipe).
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _described(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


@contextmanager
def open_registry(url: str | Path, *, create: bool = True) -> Iterator[Engine]:
    """An engine on the registry, its schema migrated to the newest revision.

    ``create``: a registry that does not exist yet (a missing SQLite file, a database
    without the registry's tables) is made, as adopting does; without it, such a registry
    is refused and nothing is created, as reading does. A database in memory is always
    refused: it would keep nothing.

    Raises
    ------
    RegistryError
        On a bad URL or a database that cannot be opened or reached (naming it, never
        its password), or one that does not exist when ``create`` is False.
    """
    where = registry_url(url)
    engine = _engine(where, create)
    try:
        try:
            if not create:
                with engine.connect() as conn:
                    empty = schema_revision(conn) is None
                    conn.rollback()
                if empty:
                    raise RegistryError(msg("registry.empty", where=_described(where)))
            migrate(engine)
            yield engine
        except sa.exc.SQLAlchemyError as exc:
            said = msg("registry.unusable", where=_described(where), reason=_reason(exc))
            raise RegistryError(said) from None
    finally:
        engine.dispose()


def registry_exists(url: str | Path) -> bool:
    """Whether the registry holds anything to read, found without creating it (False for
    a missing SQLite file or a database without the registry's tables).

    Raises
    ------
    RegistryError
        On a bad URL, a database in memory, or one that cannot be reached.
    """
    try:
        with open_registry(url, create=False):
            return True
    except RegistryError as exc:
        if exc.msg.code in ("registry.missing", "registry.empty"):
            return False
        raise


def _reason(exc: sa.exc.SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of twinning knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def schema_revision(conn: Connection) -> str | None:
    """The registry's schema revision (None for an empty database)."""
    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Upgrade the registry's schema to the newest revision (a no-op when it is there)."""
    head = head_revision()
    with engine.connect() as conn:
        current = schema_revision(conn)
        conn.rollback()
        if current == head:
            return
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()


# ---- cycles and counties -----------------------------------------------------------------


def default_cycle(inst: Instance) -> str:
    """The cycle a plan of this instance is for: the school year of the first period
    (``2025-2026-1`` -> ``2025-2026``), else the whole first period."""
    first = inst.policy.horizon.periods[0]
    found = re.match(r"\s*(\d{4}-\d{4})", first)
    return found.group(1) if found else first


def _years(cycle: str) -> int | None:
    found = re.search(r"\d{4}", cycle)
    return int(found.group()) if found else None


# ---- adopting ----------------------------------------------------------------------------


def adopt(
    url: str | Path,
    inst: Instance,
    plan: Plan,
    *,
    county: str | None = None,
    cycle: str | None = None,
    by: str,
    note: str = "",
    replace: bool = False,
    kpis: dict[str, Any] | None = None,
) -> Adoption:
    """Record ``plan`` as the plan adopted for ``cycle`` of ``county``, in one transaction.

    Parameters
    ----------
    inst
        The instance the plan was made for (its policy with the plan's settings applied).
    county
        County id; default: the instance's name.
    cycle
        Cycle id; default: :func:`default_cycle`.
    by, note
        Who adopted it, and why or with what reservations.
    replace
        Re-adopt a cycle: the plan in force is kept, marked superseded by this one.
    kpis
        The plan's KPIs as the checker recounts them, stored with it.

    Raises
    ------
    AdoptionRefused
        The cycle is adopted already and ``replace`` is not set (checked first, and kept
        by the database's unique index when two adoptions race).
    RegistryError
        The plan was made for another instance, or the registry cannot be used.
    """
    county = county or inst.name
    cycle = cycle or default_cycle(inst)
    if plan.fingerprint and plan.fingerprint != inst.fingerprint():
        raise RegistryError(
            msg(
                "registry.other_instance",
                plan=plan.instance,
                plan_fingerprint=plan.fingerprint,
                instance=inst.name,
                fingerprint=inst.fingerprint(),
            )
        )
    with open_registry(url) as engine:
        try:
            with engine.begin() as conn:
                return _adopt(conn, inst, plan, county, cycle, by, note, replace, kpis or {})
        except sa.exc.IntegrityError:
            said = msg("registry.adopted_meanwhile", county=county, cycle=cycle)
            raise AdoptionRefused(said) from None


def _adopt(
    conn: Connection,
    inst: Instance,
    plan: Plan,
    county: str,
    cycle: str,
    by: str,
    note: str,
    replace: bool,
    kpis: dict[str, Any],
) -> Adoption:
    in_force = conn.execute(
        sa.select(adoptions.c.id, adoptions.c.adopted_by, adoptions.c.adopted_at)
        .where(
            adoptions.c.county == county,
            adoptions.c.cycle == cycle,
            adoptions.c.status == ADOPTED,
        )
        .with_for_update()
    ).first()
    if in_force is not None and not replace:
        raise AdoptionRefused(
            msg(
                "registry.adopted_already",
                county=county,
                cycle=cycle,
                record=in_force.id,
                by=in_force.adopted_by,
                at=f"{_utc(in_force.adopted_at):%Y-%m-%d %H:%M}",
            )
        )
    if in_force is not None:
        conn.execute(
            sa.update(adoptions)
            .where(adoptions.c.id == in_force.id, adoptions.c.county == county)
            .values(status=SUPERSEDED)
        )
    now = datetime.now(UTC)
    new_id = conn.execute(
        sa.insert(adoptions)
        .values(
            county=county,
            cycle=cycle,
            status=ADOPTED,
            instance=inst.name,
            fingerprint=inst.fingerprint(),
            policy=inst.policy.model_dump(mode="json"),
            kpis={"objective": plan.objective, "status": plan.status, **kpis},
            adopted_by=by,
            adopted_at=now,
            note=note,
        )
        .returning(adoptions.c.id)
    ).scalar_one()
    if in_force is not None:
        conn.execute(
            sa.update(adoptions)
            .where(adoptions.c.id == in_force.id, adoptions.c.county == county)
            .values(superseded_by=new_id)
        )
    for table, rows in _plan_rows(inst, plan).items():
        if rows:
            conn.execute(
                sa.insert(table), [{"adoption_id": new_id, "county": county, **r} for r in rows]
            )
    return Adoption(
        new_id, county, cycle, ADOPTED, inst.name, inst.fingerprint(), by, now, note, None
    )


def _plan_rows(inst: Instance, plan: Plan) -> dict[sa.Table, list[dict[str, Any]]]:
    return {
        pairs: [
            {"helper": p.helper, "helped": p.helped, "distance_km": p.distance_km}
            for p in plan.pairs
        ],
        memberships: [
            {"alliance": m.alliance, "lead": m.lead, "member": m.member, "stage": m.stage}
            for m in plan.alliances
        ],
        moves: [
            m.model_dump(
                include={
                    "staff",
                    "kind",
                    "role",
                    "subject",
                    "from_school",
                    "to_school",
                    "first_period",
                    "periods",
                    "direction",
                    "mentee",
                }
            )
            for m in plan.roster
        ],
        circuits: [{**c.model_dump(exclude={"order"}), "stop": c.order} for c in plan.circuits],
        outreach_visits: [v.model_dump() for v in plan.outreach],
        staff_snapshot: [
            {"staff": t.id, "school": t.school, "years_at_school": t.years_at_school}
            for t in inst.staff
        ],
    }


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# ---- reading -----------------------------------------------------------------------------


def adoption_records(url: str | Path, county: str) -> list[Adoption]:
    """Every adoption record of a county, superseded ones too, oldest first."""
    with open_registry(url, create=False) as engine, engine.connect() as conn:
        found = conn.execute(
            sa.select(adoptions)
            .where(adoptions.c.county == county)
            .order_by(adoptions.c.cycle, adoptions.c.id)
        ).all()
    return [
        Adoption(
            r.id,
            r.county,
            r.cycle,
            r.status,
            r.instance,
            r.fingerprint,
            r.adopted_by,
            _utc(r.adopted_at),
            r.note,
            r.superseded_by,
        )
        for r in found
    ]


def _in_force(county: str, upto: str | None, before: str | None) -> sa.Select[Any]:
    query = sa.select(adoptions.c.id, adoptions.c.cycle).where(
        adoptions.c.county == county, adoptions.c.status == ADOPTED
    )
    if upto is not None:
        query = query.where(adoptions.c.cycle <= upto)
    if before is not None:
        query = query.where(adoptions.c.cycle < before)
    return query


def history_rows(
    url: str | Path,
    county: str,
    *,
    upto_cycle: str | None = None,
    before_cycle: str | None = None,
) -> list[HistoryEntry]:
    """The county's history as ``history.csv`` holds it, from the plans in force.

    Pairs (helper -> helped), alliance memberships (lead -> member; the lead's own row is
    not history), moves (kind ``exchange``: exchanges, secondments and headships, home ->
    host) and mentor pairs (kind ``mentor``, with the mentee); the period of every row is
    the cycle id, as a hand-kept ``history.csv`` holds it. ``upto_cycle`` keeps cycles up
    to and including it, ``before_cycle`` those before it (cycles ordered as text).
    """
    with open_registry(url, create=False) as engine, engine.connect() as conn:
        return _history(conn, county, upto_cycle, before_cycle)


def _history(
    conn: Connection, county: str, upto: str | None, before: str | None
) -> list[HistoryEntry]:
    chosen = _in_force(county, upto, before).subquery()
    rows: list[HistoryEntry] = []
    for r in conn.execute(
        sa.select(chosen.c.cycle, pairs.c.helper, pairs.c.helped)
        .join(chosen, pairs.c.adoption_id == chosen.c.id)
        .where(pairs.c.county == county)
        .order_by(chosen.c.cycle, pairs.c.helper, pairs.c.helped)
    ):
        rows.append(
            HistoryEntry(kind="pair", period=r.cycle, from_school=r.helper, to_school=r.helped)
        )
    for r in conn.execute(
        sa.select(chosen.c.cycle, memberships.c.lead, memberships.c.member)
        .join(chosen, memberships.c.adoption_id == chosen.c.id)
        .where(memberships.c.county == county, memberships.c.member != memberships.c.lead)
        .order_by(chosen.c.cycle, memberships.c.lead, memberships.c.member)
    ):
        rows.append(
            HistoryEntry(kind="alliance", period=r.cycle, from_school=r.lead, to_school=r.member)
        )
    seen: set[HistoryEntry] = set()
    for m in conn.execute(
        sa.select(
            chosen.c.cycle,
            moves.c.kind,
            moves.c.staff,
            moves.c.from_school,
            moves.c.to_school,
            moves.c.mentee,
        )
        .join(chosen, moves.c.adoption_id == chosen.c.id)
        .where(moves.c.county == county, moves.c.kind.in_((*MOVE_KINDS, "mentor")))
        .order_by(chosen.c.cycle, moves.c.kind, moves.c.staff, moves.c.first_period)
    ):
        mentor = m.kind == "mentor"
        row = HistoryEntry(
            kind="mentor" if mentor else "exchange",
            period=m.cycle,
            staff=m.staff,
            from_school=m.from_school,
            to_school=m.to_school,
            mentee=m.mentee if mentor else None,
        )
        if row not in seen:  # a person away twice in one cycle is one row of history
            seen.add(row)
            rows.append(row)
    order = {"pair": 0, "alliance": 1, "exchange": 2, "mentor": 3}
    rows.sort(key=lambda h: (h.period, order[h.kind]))
    return rows


@dataclass(frozen=True)
class Snapshot:
    """The staff as they were when the latest plan before a cycle was adopted."""

    cycle: str
    years: dict[str, tuple[str, int]]  # staff id -> (school, years_at_school)


def latest_snapshot(url: str | Path, county: str, before_cycle: str) -> Snapshot | None:
    """The staff snapshot of the county's latest plan in force before ``before_cycle``."""
    with open_registry(url, create=False) as engine, engine.connect() as conn:
        return _snapshot(conn, county, before_cycle)


def _snapshot(conn: Connection, county: str, before: str) -> Snapshot | None:
    latest = conn.execute(
        _in_force(county, None, before).order_by(adoptions.c.cycle.desc()).limit(1)
    ).first()
    if latest is None:
        return None
    found = conn.execute(
        sa.select(
            staff_snapshot.c.staff, staff_snapshot.c.school, staff_snapshot.c.years_at_school
        ).where(staff_snapshot.c.county == county, staff_snapshot.c.adoption_id == latest.id)
    )
    return Snapshot(latest.cycle, {r.staff: (r.school, r.years_at_school) for r in found})


def before_cycle(
    url: str | Path, county: str, cycle: str, *, missing_ok: bool = False
) -> tuple[list[HistoryEntry], Snapshot | None]:
    """The county's history before ``cycle`` and its latest staff snapshot, read in one
    transaction (what :func:`twinning.registry.merge.with_registry` needs).

    ``missing_ok``: a registry that does not exist yet has no history (adopting, which
    creates it); else it is refused, and nothing is created."""
    if missing_ok and not registry_exists(url):
        return [], None
    with open_registry(url, create=False) as engine, engine.connect() as conn:
        return _history(conn, county, None, cycle), _snapshot(conn, county, cycle)


def counties(url: str | Path) -> list[str]:
    """The counties with an adoption in the registry."""
    with open_registry(url, create=False) as engine, engine.connect() as conn:
        found = conn.execute(sa.select(adoptions.c.county).distinct().order_by(adoptions.c.county))
        return [r.county for r in found]


def row_counts(url: str | Path, county: str | None = None) -> dict[str, int]:
    """Rows per table (of one county, or all): for tests and the benchmark record."""
    with open_registry(url, create=False) as engine, engine.connect() as conn:
        out = {}
        for table in (adoptions, *ROW_TABLES):
            query = sa.select(sa.func.count()).select_from(table)
            if county is not None:
                query = query.where(table.c.county == county)
            out[table.name] = int(conn.execute(query).scalar_one())
        return out


def years_elapsed(since: str, until: str) -> int:
    """Whole years from one cycle to another by their first 4-digit years (0 if unknown)."""
    start, end = _years(since), _years(until)
    if start is None or end is None:
        return 0
    return max(0, end - start)
