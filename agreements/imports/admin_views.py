"""The import pages on the project admin: template download, upload → preview → confirm."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.imports import uploads
from agreements.imports.permissions import importable_counties
from agreements.imports.reader import size_mb
from agreements.imports.services import ImportRefused, PlanChanged, projects_import
from agreements.imports.template import write_template
from agreements.models import County
from followup import access
from followup.exports import downloads

PREVIEW_CHANGES_SHOWN = 500


class ImportForm(forms.Form):
    county = forms.ModelChoiceField(
        label=gettext_lazy("Län"), queryset=County.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=gettext_lazy("Ifylld importmall (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if len(counties) == 1:  # shown as text; the choice is still checked on POST
            self.fields["county"].widget = forms.HiddenInput()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(limit)s MB.")
                % {"size": size_mb(uploaded.size), "limit": size_mb(limit)}
            )
        return uploaded


def template_filename(county: County) -> str:
    return f"importmall-projekt-{county.code}-{county.short_name}.xlsx"


class ProjectImportAdminMixin:
    """Adds the Excel import to the project admin (changelist buttons and two pages)."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="agreements_project_import",
            ),
            path(
                "import/mall/",
                self.admin_site.admin_view(self.import_template_view),
                name="agreements_project_import_template",
            ),
            *super().get_urls(),
        ]

    def _may_import_somewhere(self, request) -> bool:
        user = request.user
        return self.has_add_permission(request) and (
            access.is_administrator(user) or bool(access.coordinated_county_ids(user))
        )

    def changelist_view(self, request, extra_context=None):
        if self._may_import_somewhere(request):
            counties = access.coordinated_county_ids(request.user)
            extra_context = {
                **(extra_context or {}),
                "project_import_url": reverse("admin:agreements_project_import"),
                "project_template_url": reverse("admin:agreements_project_import_template")
                if len(counties) == 1 and not access.is_administrator(request.user)
                else None,
            }
        return super().changelist_view(request, extra_context)

    def _counties(self, request):
        if not self._may_import_somewhere(request):
            raise PermissionDenied
        return importable_counties(request.user).order_by("code")

    def import_template_view(self, request):
        """The county's template; ``?lan=04``, or the coordinator's only county."""
        counties = self._counties(request)
        code = request.GET.get("lan")
        if code:
            county = counties.filter(code=code).first()
        else:
            county = counties.first() if counties.count() == 1 else None
        if county is None:
            raise Http404
        return downloads.workbook_response(
            lambda file: write_template(file, county=county), filename=template_filename(county)
        )

    def import_view(self, request):
        counties = self._counties(request)
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, counties)
        initial = {}
        if len(counties) == 1:
            initial["county"] = counties[0]
        elif request.GET.get("lan"):
            initial["county"] = counties.filter(code=request.GET["lan"]).first()
        form = ImportForm(
            request.POST or None, request.FILES or None, counties=counties, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            return self._preview(request, form.cleaned_data["county"], form.cleaned_data["file"])
        single = counties[0] if len(counties) == 1 else None
        return self._render(request, {"form": form, "counties": counties, "single_county": single})

    def _preview(self, request, county, uploaded):
        token = uploads.save(uploaded)
        try:
            result = projects_import(
                county=county, user=request.user, file=uploads.path_for(token), dry_run=True
            )
        except ImportRefused:
            uploads.discard(token)
            raise PermissionDenied from None
        if result.ok and result.has_changes:
            uploads.remember(
                request.session,
                token,
                county_id=county.pk,
                digest=result.digest,
                filename=uploaded.name,
            )
        else:
            uploads.discard(token)
            token = None
        return self._render_preview(request, result, token=token, filename=uploaded.name)

    def _confirm(self, request, counties):
        token = request.POST.get("token")
        entry = uploads.recall(request.session, token)
        if entry is None:
            self.message_user(
                request,
                _(
                    "Förhandsgranskningen finns inte längre (den har gått ut eller redan "
                    "sparats). Ladda upp filen igen."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:agreements_project_import"))
        if "cancel" in request.POST:
            uploads.forget(request.session, token)
            self.message_user(request, _("Importen är avbruten. Ingenting har sparats."))
            return HttpResponseRedirect(reverse("admin:agreements_project_changelist"))
        county = counties.filter(pk=entry["county"]).first()
        if county is None:
            uploads.forget(request.session, token)
            raise PermissionDenied
        path = uploads.path_for(token)
        try:
            result = projects_import(
                county=county,
                user=request.user,
                file=path,
                dry_run=False,
                expected_digest=entry["digest"],
            )
        except ImportRefused:
            uploads.forget(request.session, token)
            raise PermissionDenied from None
        except PlanChanged:
            result = projects_import(county=county, user=request.user, file=path, dry_run=True)
            uploads.remember(
                request.session,
                token,
                county_id=county.pk,
                digest=result.digest,
                filename=entry["filename"],
            )
            self.message_user(
                request,
                _(
                    "Registret har ändrats sedan förhandsgranskningen. Ingenting har sparats; "
                    "granska ändringarna nedan igen."
                ),
                messages.WARNING,
            )
            return self._render_preview(
                request, result, token=token if result.ok else None, filename=entry["filename"]
            )
        if not result.written:
            uploads.forget(request.session, token)
            return self._render_preview(request, result, token=None, filename=entry["filename"])
        uploads.forget(request.session, token)
        self.message_user(
            request,
            _("Importen är sparad i %(county)s. %(summary)s")
            % {"county": county.name, "summary": summary(result.counts)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:agreements_project_changelist"))

    def _render_preview(self, request, result, *, token, filename):
        context = {
            "result": result,
            "token": token,
            "filename": filename,
            "counts": [
                (sheet, counts["create"], counts["update"], counts["unchanged"])
                for sheet, counts in result.counts.items()
            ],
            "changes": result.changes[:PREVIEW_CHANGES_SHOWN],
            "changes_hidden": max(0, len(result.changes) - PREVIEW_CHANGES_SHOWN),
            "template_url": reverse("admin:agreements_project_import_template")
            + f"?lan={result.county.code}",
        }
        return self._render(request, context)

    def _render(self, request, context):
        opts = self.model._meta
        return TemplateResponse(
            request,
            "admin/agreements/project/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": _("Importera projekt från Excel"),
                "template_url_base": reverse("admin:agreements_project_import_template"),
                **context,
            },
        )


def summary(counts: dict) -> str:
    """``Projekt: nya 1, ändrade 1. Finansiering: nya 2.`` — sheets without changes left out."""
    parts = []
    for sheet, numbers in counts.items():
        done = []
        if numbers["create"]:
            done.append(_("nya %(count)s") % {"count": numbers["create"]})
        if numbers["update"]:
            done.append(_("ändrade %(count)s") % {"count": numbers["update"]})
        if done:
            parts.append(f"{sheet}: {', '.join(done)}.")
    return " ".join(parts)
