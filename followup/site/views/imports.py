"""Import of projects from Excel on the review site: a county's template, upload → preview →
confirm. The steps are ``agreements.imports.flow``'s, the same as the admin's import page.

Only those who may import into the county (its coordinator, an administrator) see these pages;
to anyone else they answer 404, as for a county that does not exist.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agreements.imports import flow
from agreements.imports.forms import UploadForm
from agreements.imports.services import ImportRefused
from agreements.imports.template import write_template
from agreements.models import County
from core import downloads
from followup.site.views.common import importable_county_or_404, role_required, round_or_404


@role_required
def import_template(request, code: str):
    """The county's import template, filled with its projects, financing and organisations."""
    county = importable_county_or_404(request.user, code)
    return downloads.workbook_response(
        lambda file: write_template(file, county=county),
        filename=flow.template_filename(county),
    )


@role_required
def county_import(request, year: int, code: str):
    """The upload form; a POSTed file is checked (nothing is written) and previewed."""
    round_obj = round_or_404(year)
    county = importable_county_or_404(request.user, code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            preview = flow.upload_preview(
                session=request.session,
                user=request.user,
                county=county,
                uploaded=form.cleaned_data["file"],
            )
        except ImportRefused:
            raise Http404 from None
        return _render_preview(request, round_obj, county, preview)
    return render(request, "site/import.html", {"round": round_obj, "county": county, "form": form})


@require_POST
@role_required
def county_import_confirm(request, year: int, code: str):
    """Save the previewed file (or cancel it); back to the county page with the counts."""
    round_obj = round_or_404(year)
    county = importable_county_or_404(request.user, code)
    token = request.POST.get("token", "")
    try:
        if "cancel" in request.POST:
            flow.upload_cancel(session=request.session, token=token)
            messages.info(request, flow.CANCELLED)
            return redirect("site:county", year=year, code=code)
        preview = flow.upload_confirm(
            session=request.session,
            user=request.user,
            token=token,
            counties=County.objects.filter(pk=county.pk),
        )
    except flow.PreviewGone as gone:
        messages.error(request, gone.message)
        return redirect("site:county_import", year=year, code=code)
    except ImportRefused:
        raise Http404 from None
    if preview.saved:
        messages.success(request, flow.saved_message(preview))
        return redirect("site:county", year=year, code=code)
    if preview.replanned:
        messages.warning(request, flow.REPLANNED)
    return _render_preview(request, round_obj, county, preview)


def _render_preview(request, round_obj, county, preview):
    return render(
        request,
        "site/import_preview.html",
        {"round": round_obj, "county": county, **preview.context()},
    )
