"""Workbooks as file downloads: written to a temporary file (not memory), then streamed."""

import tempfile

from django.http import FileResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(write, *, filename: str) -> FileResponse:
    """Call ``write(file)`` and answer with the file as an attachment named ``filename``."""
    # FileResponse closes the file once it is sent, which removes it.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)


def county_filename(report) -> str:
    return f"uppfoljning-{report.round.year}-{report.county.code}-{report.county.short_name}.xlsx"


def national_filename(round_obj) -> str:
    return f"uppfoljning-{round_obj.year}-nationell-sammanstallning.xlsx"
