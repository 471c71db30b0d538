"""Reports of a plan for the people who adopt it: the HTML report with its map (the Excel
workbook, written with every plan's files, is :mod:`twinning.io.workbook`).

The report layer reads an instance, a plan and optionally the solve's summary; the HTML
report asks the checker which rules are met (:func:`twinning.validation.validate`). It never
imports the models or a solver library, so a report can be made wherever a plan can be
checked. Import the modules themselves (``twinning.report.html``): this package imports
nothing.
"""
