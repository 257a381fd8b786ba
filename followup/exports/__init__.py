"""Excel workbooks of the follow-up: a county's summary and the national summary of a round.

- ``county.write_county_workbook`` — the county's two pages and its data sheets,
- ``national.write_national_workbook`` — the conclusions, key figures per county, the themes ×
  counties matrix, financing with a chart, all projects and observations,
- ``permissions`` — who may download which workbook (on top of ``core.access``).

Both are written with XlsxWriter in ``constant_memory`` mode: rows stream from the database
(``values_list(...).iterator()``, totals aggregated in SQL) straight into the file, so memory does
not grow with the number of projects. openpyxl's ``write_only`` mode was measured at about 1.5×
XlsxWriter's time for the same rows; openpyxl stays for reading workbooks in tests.
"""
