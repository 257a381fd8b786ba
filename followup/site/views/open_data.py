"""Open data, public (no login): each year's package to download as a zip."""

import datetime

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.response import TemplateResponse

from followup.opendata import archive
from followup.opendata.package import LICENCE
from followup.opendata.tables import TABLES


def open_data_page(request):
    """The years there is a package for, and what a package holds (two small queries)."""
    return render(
        request,
        "site/open_data.html",
        {"years": archive.published_years(), "tables": TABLES, "licence": LICENCE},
    )


def open_data_zip(request, year: int):
    """The year's package; a year without an approved report answers 404 (nothing built)."""
    if year not in archive.published_years():
        raise Http404
    try:
        found = archive.archive_for(year)
    except archive.Busy:
        response = TemplateResponse(request, "site/open_data_busy.html", status=503)
        response["Retry-After"] = "60"
        return response
    modified = datetime.datetime.fromtimestamp(found.path.stat().st_mtime, tz=datetime.UTC)
    response = FileResponse(
        open(found.path, "rb"),  # noqa: SIM115  (closed by FileResponse)
        as_attachment=True,
        filename=found.filename,
        content_type="application/zip",
    )
    response["Last-Modified"] = modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
