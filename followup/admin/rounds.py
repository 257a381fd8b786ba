"""Themes, follow-up rounds with their county reports, and the national conclusions."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import (
    AccessMixin,
    AuditedAdmin,
    ChoicesOnceMixin,
    InlineAccessMixin,
    VersionedFormMixin,
    excerpt,
    is_changelist,
    object_id_from_request,
)
from core import access
from followup.exports import responses
from followup.models import (
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(AccessMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "phrase", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "name_en", "code", "description")


class RoundChildInline(ChoicesOnceMixin):
    """Theme choices limited to the themes of the round being edited."""

    choices_once = ("theme",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            round_id = object_id_from_request(request)
            queryset = Theme.objects.all()
            if round_id:
                round_themes = queryset.filter(rounds__pk=round_id)
                # A round without themes asks about any theme (as the model allows).
                if round_themes.exists():
                    queryset = round_themes
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WholeRoundChoice:
    """A conclusion without a theme is the ministry's conclusion on the round as a whole."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            kwargs["empty_label"] = _("Omgången som helhet")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NationalConclusionInline(
    WholeRoundChoice, InlineAccessMixin, VersionedFormMixin, RoundChildInline, admin.StackedInline
):
    model = NationalConclusion
    fields = ("theme", "text", "written_by")
    readonly_fields = ("written_by",)
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("round", "theme", "written_by")


class CountyReportInline(InlineAccessMixin, admin.TabularInline):
    """The round's reports, as a list to open (reports are written on their own page)."""

    model = CountyReport
    fields = ("county", "status", "submitted_at", "reviewed_at")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("county", "round")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A list to open, never edited here: its rows are neither validated nor saved with the
        # round (a locked report would otherwise stop the round's own page from saving).
        return False


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(AuditedAdmin):
    list_display = (
        "title",
        "year_display",
        "deadline",
        "status",
        "report_count",
        "submitted_count",
    )
    list_filter = ("status",)
    search_fields = ("title",)
    date_hierarchy = "deadline"
    filter_horizontal = ("themes",)
    fields = ("year", "title", "deadline", "status", "themes")
    inlines = (CountyReportInline, NationalConclusionInline)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/excel/",
                self.admin_site.admin_view(self.export_view),
                name="followup_followupround_export",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round_obj = self.get_object(request, object_id)
        if round_obj is not None and access.may_export_national(request.user):
            extra_context = {
                **(extra_context or {}),
                "national_export_url": reverse(
                    "admin:followup_followupround_export", args=[object_id]
                ),
                # the report is one download, the site's (the same rules, one place)
                "report_export_url": reverse("site:report_docx", args=[round_obj.year]),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def export_view(self, request, object_id):
        """The national workbook of the round, for ministry staff."""
        round_obj = self.get_object(request, object_id)
        if round_obj is None:
            raise Http404
        if not access.may_export_national(request.user):
            raise PermissionDenied
        return responses.national_workbook_response(round_obj=round_obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_changelist(request):
            queryset = queryset.annotate(
                _report_count=Count("reports"),
                _submitted_count=Count(
                    "reports",
                    filter=Q(
                        reports__status__in=[
                            CountyReport.Status.SUBMITTED,
                            CountyReport.Status.APPROVED,
                        ]
                    ),
                ),
            )
        return queryset

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, NationalConclusion) and not instance.written_by_id:
                instance.written_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    @admin.display(description=_("år"), ordering="year")
    def year_display(self, obj):
        return str(obj.year)

    @admin.display(description=_("rapporter"), ordering="_report_count")
    def report_count(self, obj):
        return getattr(obj, "_report_count", None)

    @admin.display(description=_("inskickade eller godkända"), ordering="_submitted_count")
    def submitted_count(self, obj):
        return getattr(obj, "_submitted_count", None)


@admin.register(NationalConclusion)
class NationalConclusionAdmin(WholeRoundChoice, AuditedAdmin):
    list_display = ("round", "theme", "text_excerpt", "written_by", "updated_at")
    list_filter = ("round", "theme")
    list_select_related = ("round", "theme", "written_by")
    search_fields = ("text", "theme__name", "round__title")
    fields = ("round", "theme", "text", "written_by")
    readonly_fields = ("written_by",)

    def save_model(self, request, obj, form, change):
        if not obj.written_by_id:
            obj.written_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("slutsats"))
    def text_excerpt(self, obj):
        return excerpt(obj.text)
