"""Reports of a plan for the people who adopt it: the HTML report with its map.

The report layer sits above :mod:`solver.plan` and :mod:`solver.result`: it reads an
instance, a plan and optionally the solve's summary, asks the checker which rules are met
(:func:`solver.check.validate`), and never imports the models or a solver library, so that
a report can be made anywhere a plan can be checked.
"""

from __future__ import annotations

from solver.report.html import render_html

__all__ = ["render_html"]
