"""Reports of a plan for the people who adopt it (Excel workbook, HTML page)."""
