"""The import pages on the project admin: template download, upload → preview → confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from agreements.imports import flow
from agreements.imports.forms import CountyUploadForm
from agreements.imports.services import ImportRefused
from agreements.imports.template import write_template
from agreements.models import County
from core import access, downloads


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
        return access.importable(County.objects.all(), request.user).order_by("code")

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
            lambda file: write_template(file, county=county),
            filename=flow.template_filename(county),
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
        form = CountyUploadForm(
            request.POST or None, request.FILES or None, counties=counties, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                preview = flow.upload_preview(
                    session=request.session,
                    user=request.user,
                    county=form.cleaned_data["county"],
                    uploaded=form.cleaned_data["file"],
                )
            except ImportRefused:
                raise PermissionDenied from None
            return self._render_preview(request, preview)
        single = counties[0] if len(counties) == 1 else None
        return self._render(request, {"form": form, "counties": counties, "single_county": single})

    def _confirm(self, request, counties):
        token = request.POST.get("token")
        try:
            if "cancel" in request.POST:
                flow.upload_cancel(session=request.session, token=token)
                self.message_user(request, flow.CANCELLED)
                return HttpResponseRedirect(reverse("admin:agreements_project_changelist"))
            preview = flow.upload_confirm(
                session=request.session, user=request.user, token=token, counties=counties
            )
        except flow.PreviewGone as gone:
            self.message_user(request, gone.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:agreements_project_import"))
        except ImportRefused:
            raise PermissionDenied from None
        if preview.saved:
            self.message_user(request, flow.saved_message(preview), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:agreements_project_changelist"))
        if preview.replanned:
            self.message_user(request, flow.REPLANNED, messages.WARNING)
        return self._render_preview(request, preview)

    def _render_preview(self, request, preview):
        context = {
            **preview.context(),
            "template_url": reverse("admin:agreements_project_import_template")
            + f"?lan={preview.result.county.code}",
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
