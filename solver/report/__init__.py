"""Reports of a plan for the people who adopt it: the Excel workbook and the HTML report
with its map.

The report layer reads an instance, a plan and optionally the solve's summary; the HTML
report asks the checker which rules are met (:func:`solver.check.validate`). It never
imports the models or a solver library, so a report can be made wherever a plan can be
checked. Import the modules themselves (``solver.report.html``, ``solver.report.xlsx``):
this package imports nothing, because ``solver.plan`` writes its workbook through
``solver.report.xlsx``.
"""
