"""Files as downloads: written to a temporary file (not memory) at the download priority
(``core.priority``), then streamed."""

import tempfile

from django.http import FileResponse

from core import priority

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_response(write, *, filename: str, content_type: str) -> FileResponse:
    """Call ``write(file)`` and answer with the file as an attachment named ``filename``."""
    # FileResponse closes the file once it is sent, which removes it.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        priority.run(write, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)


def workbook_response(write, *, filename: str) -> FileResponse:
    return file_response(write, filename=filename, content_type=XLSX)


def document_response(write, *, filename: str) -> FileResponse:
    return file_response(write, filename=filename, content_type=DOCX)
