"""Admin of the follow-up: users, themes, rounds, county reports, observations, conclusions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from agreements.admin.base import (
    AccessMixin,
    AuditedAdmin,
    AutocompleteLabelsOnceInline,
    ChoicesOnceMixin,
    CountyScopedAdmin,
    CountyScopedInline,
    InlineAccessMixin,
    VersionedFormMixin,
    excerpt,
    is_changelist,
    object_id_from_request,
)
from core import access
from followup.exports import responses
from followup.forms import REVIEW_STEPS, ReviewStepForm, typed_before
from followup.models import (
    CountyReport,
    FollowUpRound,
    NationalConclusion,
    Observation,
    ReportStatus,
    ReviewEvent,
    Theme,
    User,
)
from followup.models.locking import lock_reason
from followup.selectors.evidence import frozen_evidence, shows_frozen_evidence
from followup.selectors.submitted import submitted_summary
from followup.services.reports import (
    WorkflowError,
    county_report_approve,
    county_report_steps,
    county_report_submit,
    default_completion_date,
)


@admin.register(User)
class UserAdmin(AccessMixin, BaseUserAdmin):
    """Django's user admin plus the counties a regional coordinator keeps."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Län"),
            {
                "fields": ("counties",),
                "description": _("De län användaren är regional samordnare för."),
            },
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            _("Personuppgifter och län"),
            {"fields": ("first_name", "last_name", "email", "counties")},
        ),
    )
    filter_horizontal = ("groups", "user_permissions", "counties")
    list_display = ("username", "full_name", "email", "county_list", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "counties")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_changelist(request):
            queryset = queryset.prefetch_related("counties")
        return queryset

    @admin.display(description=_("namn"), ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("län"))
    def county_list(self, obj):
        return ", ".join(county.short_name for county in obj.counties.all()) or "–"


@admin.register(Theme)
class ThemeAdmin(AccessMixin, admin.ModelAdmin):
    list_display = ("name", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code", "description")


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


class NationalConclusionInline(
    InlineAccessMixin, VersionedFormMixin, RoundChildInline, admin.StackedInline
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
        if access.may_export_national(request.user):
            url = reverse("admin:followup_followupround_export", args=[object_id])
            extra_context = {**(extra_context or {}), "national_export_url": url}
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


class ObservationInlineFormSet(forms.BaseInlineFormSet):
    """Check the theme against the round also on the add page (the model can only on change)."""

    def clean(self):
        super().clean()
        round_id = getattr(self.instance, "round_id", None)
        if not round_id:
            return
        allowed = set(Theme.objects.filter(rounds__pk=round_id).values_list("pk", flat=True))
        if not allowed:
            return
        for form in self.forms:
            theme = form.cleaned_data.get("theme") if hasattr(form, "cleaned_data") else None
            if theme and theme.pk not in allowed and not form.cleaned_data.get("DELETE"):
                form.add_error("theme", _("Temat ingår inte i omgångens teman."))


class ShortReasonField:
    """The reason for "Ej bedömt" is a sentence or two: a short box, not a page."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "not_assessed_reason":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


EVIDENCE = ("projects", "partnerships", "clusters")


class CitedAsSubmitted:
    """A locked report's observations show what they cited as it was named at submission
    (``CountyReport.frozen_evidence``), not as the register names it now."""

    def _shows_frozen(self, report) -> bool:
        return report is not None and shows_frozen_evidence(report)

    def _with_cited(self, fields, report):
        if not self._shows_frozen(report):
            return fields
        kept = [
            tuple(f for f in field if f not in EVIDENCE) if isinstance(field, tuple) else field
            for field in fields
            if field not in EVIDENCE
        ]
        return [*(field for field in kept if field != ()), "cited_evidence"]

    @admin.display(description=_("underlag (som inskickat)"))
    def cited_evidence(self, obj):
        cited = frozen_evidence(obj.report).get(obj.pk, [])
        return ", ".join(item["name"] for item in cited) or "–"


class ObservationInline(
    CitedAsSubmitted,
    ShortReasonField,
    AutocompleteLabelsOnceInline,
    CountyScopedInline,
    admin.StackedInline,
):
    model = Observation
    formset = ObservationInlineFormSet
    fields = (
        ("theme", "assessment", "kind"),
        "not_assessed_reason",
        "text",
        ("projects", "partnerships", "clusters"),
    )
    autocomplete_fields = ("projects", "partnerships", "clusters")
    choices_once = ("theme",)
    extra = 1

    def get_fields(self, request, obj=None):
        return self._with_cited(super().get_fields(request, obj), obj)  # obj: the report

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "cited_evidence") if self._shows_frozen(obj) else readonly

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("report__county", "report__round", "theme")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            report_id = object_id_from_request(request)
            queryset = Theme.objects.filter(is_active=True)
            if report_id:
                round_id = (
                    CountyReport.objects.filter(pk=report_id)
                    .values_list("round_id", flat=True)
                    .first()
                )
                round_themes = Theme.objects.filter(rounds__pk=round_id)
                if round_themes.exists():
                    queryset = round_themes
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReviewEventInline(InlineAccessMixin, admin.TabularInline):
    """The report's review steps, as recorded by the workflow (read only)."""

    model = ReviewEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CountyReport)
class CountyReportAdmin(CountyScopedAdmin):
    """The report; its status changes only through the workflow services.

    The change page shows the steps this user may take (submit, approve, return with a comment,
    reopen with a reason); they post to ``workflow_view``, which calls the services.
    """

    change_form_template = "admin/followup/countyreport/change_form.html"

    list_display = (
        "__str__",
        "round",
        "county_short_name",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "observation_count",
    )
    list_filter = ("status", "round", "county")
    list_select_related = ("round", "county", "submitted_by", "reviewed_by")
    search_fields = ("county__name", "county__short_name", "summary", "round__title")
    date_hierarchy = "submitted_at"
    readonly_fields = (
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "frozen_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("round", "county", "status", "summary")}),
        (
            _("Handläggning"),
            {
                "fields": (
                    ("submitted_at", "submitted_by"),
                    ("reviewed_at", "reviewed_by"),
                    "frozen_at",
                    "updated_at",
                ),
                "description": _(
                    "Status ändras bara genom granskningsstegen längst ned på sidan "
                    "(eller åtgärderna i listan över länsrapporter)."
                ),
            },
        ),
    )
    inlines = (ObservationInline, ReviewEventInline)
    actions = ("submit_reports", "approve_reports")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "round", "county", "submitted_summary") if obj else readonly

    def get_fieldsets(self, request, obj=None):
        # A returned report, to someone who does not read the county's work in progress: its
        # summary as submitted (followup.selectors.submitted).
        fieldsets = super().get_fieldsets(request, obj)
        if not access.reads_as_submitted(request.user, obj):
            return fieldsets
        return [
            (name, {**options, "fields": _as_submitted_fields(options["fields"])})
            for name, options in fieldsets
        ]

    def get_search_fields(self, request):
        # Search words must not find what a county writes in a returned report: only those
        # who read every report's content as it stands search the summaries.
        fields = super().get_search_fields(request)
        if access.is_administrator(request.user) or not access.is_reviewer(request.user):
            return fields
        return tuple(field for field in fields if field != "summary")

    @admin.display(description=_("sammanfattning (som inskickad)"))
    def submitted_summary(self, obj):
        return submitted_summary(obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        if is_changelist(request):
            queryset = queryset.annotate(_observation_count=Count("observations"))
        return queryset

    @admin.display(description=_("iakttagelser"), ordering="_observation_count")
    def observation_count(self, obj):
        return getattr(obj, "_observation_count", None)

    def _run_workflow(self, request, queryset, step, done_message):
        done = 0
        for report in queryset:
            try:
                step(report=report, user=request.user)
            except WorkflowError as error:
                self.message_user(request, f"{report}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    def has_workflow_permission(self, request):
        user = request.user
        return access.is_coordinator(user) or access.is_reviewer(user)

    @admin.action(description=_("Skicka in valda rapporter"), permissions=["workflow"])
    def submit_reports(self, request, queryset):
        self._run_workflow(
            request, queryset, county_report_submit, _("%(count)s rapporter skickades in.")
        )

    @admin.action(description=_("Godkänn valda rapporter"), permissions=["workflow"])
    def approve_reports(self, request, queryset):
        self._run_workflow(
            request, queryset, county_report_approve, _("%(count)s rapporter godkändes.")
        )

    # --- the workflow on the change page ------------------------------------------------

    # The reviewers' and administrators' steps are posted to ``workflow_view``. Submitting is
    # a button of the report's own form (``response_change``), so what the coordinator typed
    # is saved — validated and version-checked — before the report is sent.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/granskning/",
                self.admin_site.admin_view(self.workflow_view),
                name="followup_countyreport_workflow",
            ),
            path(
                "<path:object_id>/excel/",
                self.admin_site.admin_view(self.export_view),
                name="followup_countyreport_export",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        if report is not None:
            latest = report.events.order_by("-at", "-pk").select_related("actor").first()
            steps = county_report_steps(report=report, user=request.user)
            extra_context = {
                **(extra_context or {}),
                "workflow_steps": steps,
                "actions": ReviewEvent.Action,
                "review_steps": [step for step in steps if step in REVIEW_STEPS],
                "workflow_url": reverse("admin:followup_countyreport_workflow", args=[report.pk]),
                "default_complete_by": default_completion_date(),
                "today": timezone.localdate(),
                "typed": typed_before(request.session, report),
                "lock_reason": lock_reason(report),
                "as_submitted": access.reads_as_submitted(request.user, report),
                "county_page_url": reverse(
                    "site:county", args=[report.round.year, report.county.code]
                ),
                "county_export_url": reverse(
                    "admin:followup_countyreport_export", args=[report.pk]
                ),
                "latest_return": latest
                if latest and report.status == ReportStatus.RETURNED
                else None,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        if request.POST.get("_step") != ReviewEvent.Action.SUBMIT:
            return super().response_change(request, obj)
        # The form is saved (this is the same transaction); now the step.
        try:
            county_report_submit(report=obj, user=request.user)
        except WorkflowError as error:
            self.message_user(
                request,
                _("Dina ändringar är sparade, men rapporten skickades inte in: %(reason)s")
                % {"reason": error.message},
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                _("Dina ändringar är sparade och rapporten har skickats in till departementet."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.path)

    def export_view(self, request, object_id):
        """The county's workbook; a report the user may not see is a 404 (as a missing one)."""
        report = self.get_object(request, object_id)
        if report is None:
            raise Http404
        return responses.county_workbook_response(report=report, user=request.user)

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id):
        report = self.get_object(request, object_id)
        if report is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_url = reverse("admin:followup_countyreport_change", args=[report.pk])
        form = ReviewStepForm(request.POST, steps=REVIEW_STEPS)
        if not form.is_valid():
            self.message_user(request, form.problem(), messages.ERROR)
            form.remember_typed(request.session, report)
            return HttpResponseRedirect(change_url)
        try:
            done = form.take(report=report, user=request.user)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            form.remember_typed(request.session, report)  # the page shows it again
        else:
            self.message_user(request, done, messages.SUCCESS)
        if self.get_queryset(request).filter(pk=report.pk).exists():
            return HttpResponseRedirect(change_url)
        return HttpResponseRedirect(reverse("admin:followup_countyreport_changelist"))


def _as_submitted_fields(fields):
    return tuple("submitted_summary" if field == "summary" else field for field in fields)


@admin.register(ReviewEvent)
class ReviewEventAdmin(CountyScopedAdmin):
    """The review steps, written by the workflow services only."""

    list_display = ("at", "report", "county_short_name", "action", "to_status", "actor")
    list_filter = ("action", "report__round", "report__county")
    list_select_related = ("report__county", "report__round", "actor")
    search_fields = ("comment", "report__county__name", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Observation)
class ObservationAdmin(CitedAsSubmitted, ShortReasonField, CountyScopedAdmin):
    list_display = ("report", "theme", "assessment", "kind", "text_excerpt", "county_short_name")
    list_filter = ("theme", "assessment", "kind", "report__round", "report__county")
    list_select_related = ("report__county", "report__round", "theme")
    search_fields = ("text", "theme__name", "report__county__name")
    autocomplete_fields = ("report", "projects", "partnerships", "clusters")
    fields = (
        "report",
        ("theme", "assessment", "kind"),
        "not_assessed_reason",
        "text",
        "projects",
        "partnerships",
        "clusters",
    )

    def get_fields(self, request, obj=None):
        return self._with_cited(super().get_fields(request, obj), obj and obj.report)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "cited_evidence") if obj and self._shows_frozen(obj.report) else readonly

    @admin.display(description=_("text"))
    def text_excerpt(self, obj):
        return excerpt(obj.text)


@admin.register(NationalConclusion)
class NationalConclusionAdmin(AuditedAdmin):
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
