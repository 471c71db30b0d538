"""The plan registry: adopted plans across cycles, and the history they make.

``adopt`` records a plan as adopted for a county's cycle; ``history_rows`` reads the
history back as ``history.csv`` holds it; ``merge_registry`` / ``with_registry`` give an
instance that history (and its staff's years at school advanced) for the next solve.
SQLite by default, PostgreSQL for a city or province (see :mod:`twinning.registry.store`).
"""

from twinning.registry.merge import (
    Merged,
    contradictions,
    history_csv,
    merge_registry,
    with_registry,
)
from twinning.registry.store import (
    Adoption,
    AdoptionRefused,
    RegistryError,
    adopt,
    adoption_records,
    counties,
    default_cycle,
    history_rows,
    open_registry,
    registry_exists,
    registry_url,
    row_counts,
)

__all__ = [
    "Adoption",
    "AdoptionRefused",
    "Merged",
    "RegistryError",
    "adopt",
    "adoption_records",
    "contradictions",
    "counties",
    "default_cycle",
    "history_csv",
    "history_rows",
    "merge_registry",
    "open_registry",
    "registry_exists",
    "registry_url",
    "row_counts",
    "with_registry",
]
