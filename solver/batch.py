"""Many instances at once: local processes or a Dask cluster, one row per instance.

A broken or infeasible instance is a row with its error; it never stops the rest.
"""

from __future__ import annotations

import os
import time
import traceback
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from twinning.county.instance import Instance, with_policy
from twinning.errors import InputError, UsageError
from twinning.io.files import replace_folder
from twinning.io.readers import load_instance
from twinning.messages import say
from twinning.outputs import result_files
from twinning.solving import solve
from twinning.validation import validate

INSTANCE_SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")


class BatchRow(BaseModel):
    """One instance's outcome in a batch."""

    instance: str
    parts: str = ""
    status: str = "error"
    objective: int | None = None
    gap: float | None = None
    seconds: float = 0.0
    violations: int | None = None
    error: str = ""
    lang: str = Field("en", description="The instance's language: its row is said in it.")
    out: str = Field("", description="Folder the plan was written to.")
    setting: str = Field("", description="Policy keys set for this row (a sweep's value).")
    kpis: dict[str, float] = Field(
        default_factory=dict, description="Each part's scalar KPIs, as part.kpi."
    )

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible") and not self.error and not self.violations


def instance_name(item: str | Path | Instance) -> str:
    """An instance's name in a batch: the instance's own, else its file's stem or its
    folder's name."""
    if isinstance(item, Instance):
        return item.name
    path = Path(item)
    return path.stem if path.is_file() else path.name


def batch_names(items: Sequence[str | Path | Instance]) -> list[str]:
    """Each instance's name in a batch, made distinct: a second instance of one name
    (``a/county`` and ``b/county``) is ``county-2``, a third ``county-3``, in the order
    given, so that each has its own output folder and its own summary row."""
    used: set[str] = set()
    out: list[str] = []
    for item in items:
        base = instance_name(item)
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}-{k}"
        used.add(name)
        out.append(name)
    return out


def solve_one(
    path: str | Path | Instance,
    *,
    name: str | None = None,
    parts: str | None = None,
    time_limit: float = 60.0,
    out_dir: str | Path | None = None,
    options: dict[str, Any] | None = None,
    output: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    registry: str | None = None,
) -> BatchRow:
    """Load, solve, check and write one instance; every failure becomes the row's error.

    ``options`` go to :func:`solver.solve` (seed, deterministic, ...); ``output`` to
    :meth:`solver.Plan.to_folder` (formats, lang, masked); ``settings`` are policy keys
    set on the instance for this row (``{"rotation.rate": 0.12}``), recorded in the plan,
    and the row's output folder is named after them. ``registry``: a plan registry whose
    history is merged in (:func:`twinning.registry.with_registry`, the county being the
    instance's name). ``name``: the row's name and output folder (default: the instance's,
    :func:`instance_name`; a batch makes them distinct with :func:`batch_names`).
    """
    start = time.perf_counter()
    name = name or instance_name(path)
    said = ",".join(f"{k}={v}" for k, v in (settings or {}).items())
    asked = (output or {}).get("lang")
    row = BatchRow(instance=name, parts=parts or "all", setting=said, lang=asked or "en")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inst = path if isinstance(path, Instance) else load_instance(path)
        row.lang = asked or inst.lang
        inst = with_policy(inst, settings or {})
        if registry is not None:
            from twinning.registry import with_registry

            inst = with_registry(inst, registry)
        result = solve(inst, parts, time_limit=time_limit, **(options or {}))
        if settings:
            plan = result.plan.model_copy(update={"settings": dict(settings)})
            result = result.model_copy(update={"plan": plan})
        row.kpis = {
            f"{part}.{key}": float(value)
            for part, p in result.parts.items()
            if p.kpis is not None
            for key, value in p.kpis.model_dump().items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
        }
        report = validate(inst, result.plan)
        row.parts = ",".join(result.plan.parts)
        row.status = result.status
        row.objective = result.objective
        row.gap = None if result.gap is None else round(result.gap, 6)
        row.violations = len(report.violations)
        messages = [p.message for p in result.parts.values() if p.message]
        if result.status in ("infeasible", "unknown"):
            row.error = say("batch.no_plan", row.lang, status=result.status, messages=messages)
        if out_dir is not None:
            target = Path(out_dir) / name / said if said else Path(out_dir) / name
            replace_folder(target, result_files(result, inst, **(output or {})))
            row.out = str(target)
    except InputError as exc:
        row.lang = asked or exc.lang
        row.error = exc.text(row.lang).splitlines()[0]
    except UsageError as exc:
        row.error = exc.text(row.lang)
    except OSError as exc:  # a file that cannot be read or written: the planner's to mend
        error = exc.strerror or type(exc).__name__
        row.error = say("batch.os_error", row.lang, path=str(exc.filename or name), error=error)
    except Exception as exc:  # a defect: keep the batch going, but say where
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(tb.filename).name}:{tb.lineno}"
        row.error = say("batch.defect", row.lang, error=type(exc).__name__, where=where)
    row.seconds = round(time.perf_counter() - start, 3)
    return row


def solve_many(
    instances: Iterable[str | Path | Instance],
    *,
    parts: str | None = None,
    time_limit: float = 60.0,
    jobs: int | None = None,
    scheduler: str | None = None,
    out_dir: str | Path | None = None,
    options: dict[str, Any] | None = None,
    output: dict[str, Any] | None = None,
    sweep: list[dict[str, Any]] | None = None,
    registry: str | None = None,
) -> Iterator[BatchRow]:
    """Solve many instances in parallel; yields one row per instance (and per value of a
    ``sweep``: policy keys set on every instance in turn) as each finishes.

    Parameters
    ----------
    instances
        Paths (files, folders) or :class:`Instance` objects.
    jobs
        Local worker processes (default: the number of cores).
    scheduler
        A Dask scheduler address (``tcp://host:port``); the instances are then solved on
        that cluster's workers instead of local processes.
    registry
        A plan registry URL: each instance gets the history of its county's adopted plans
        (the county id is the instance's name).
    """
    given = list(instances)
    names = batch_names(given)
    # Absolute, not resolved: a link that leads nowhere (or in a loop) is the row's error.
    paths = [i if isinstance(i, Instance) else Path(os.path.abspath(i)) for i in given]
    items = [
        (item, name, values)
        for item, name in zip(paths, names, strict=True)
        for values in (sweep or [{}])
    ]
    out_dir = Path(out_dir).resolve() if out_dir is not None else None
    kwargs: dict[str, Any] = {
        "parts": parts,
        "time_limit": time_limit,
        "out_dir": out_dir,
        "options": options,
        "output": output,
        "registry": registry,
    }
    if scheduler:
        yield from _on_dask(items, scheduler, kwargs)
        return
    workers = max(1, jobs or os.cpu_count() or 1)
    if workers > 1:  # the processes share the cores: one search thread each
        kwargs["options"] = {"threads": 1, **(options or {})}
    if workers == 1 or len(items) == 1:
        for item, name, values in items:
            yield solve_one(item, name=name, settings=values, **kwargs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: set[Future[BatchRow]] = {
            pool.submit(solve_one, item, name=name, settings=values, **kwargs)
            for item, name, values in items
        }
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def _on_dask(items: list[Any], scheduler: str, kwargs: dict[str, Any]) -> Iterator[BatchRow]:
    from dask.distributed import Client, as_completed

    kwargs = {**kwargs, "options": {"threads": 1, **(kwargs.get("options") or {})}}
    with Client(scheduler, timeout="30s") as client:
        futures = [
            client.submit(solve_one, item, pure=False, name=name, settings=values, **kwargs)
            for item, name, values in items
        ]
        for future in as_completed(futures):
            yield future.result()
