"""The full workbook: one Excel file with goals, activities, indicators, targets and
results, exported and imported in the same layout (see :mod:`goals.workbook.columns`).

- :mod:`~goals.workbook.columns`: the sheets and their columns, declared once;
- :mod:`~goals.workbook.export`: the write-only export, streamed to a file;
- :mod:`~goals.workbook.safety`: what an uploaded file must pass before openpyxl opens it;
- :mod:`~goals.workbook.importer`: reader → a planner per sheet → apply (through the
  services, in one transaction).
"""
