"""The library installs as ``twinning`` and nothing else: every package folder of
``solver/`` and ``cli/`` is listed under the name it is imported by."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _listed() -> tuple[list[str], dict[str, str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool = config["tool"]["setuptools"]
    return tool["packages"], tool["package-dir"]


def test_every_package_folder_is_installed_under_twinning() -> None:
    packages, folders = _listed()
    assert folders == {"twinning": "solver", "twinning.cli": "cli"}
    found = set()
    for top, name in (("solver", "twinning"), ("cli", "twinning.cli")):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top)
            found.add(".".join([name, *rel.parts]) if rel.parts else name)
    assert sorted(found) == sorted(packages)


def test_nothing_is_installed_under_a_generic_name() -> None:
    packages, _ = _listed()
    assert all(p == "twinning" or p.startswith("twinning.") for p in packages)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["scripts"] == {"twinning": "twinning.cli.main:main"}
