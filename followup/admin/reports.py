"""County reports: the report page with its observations, evidence and review steps;
the review events and observations on their own."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from agreements.admin.base import (
    AutocompleteLabelsOnceInline,
    CountyScopedAdmin,
    CountyScopedInline,
    InlineAccessMixin,
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
    Notice,
    Observation,
    ReportStatus,
    ReviewComment,
    ReviewEvent,
    Theme,
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

    def get_extra(self, request, obj=None, **kwargs):
        """A row for each of the round's themes the report has no observation on yet (a new
        report: one per theme), the theme chosen; a row left empty is not saved."""
        return len(themes_still_open(request, obj))

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


def report_round(request, report: CountyReport | None) -> FollowUpRound | None:
    """The round a report page is about: the report's own, else the one chosen in the link
    (``?round=``), else the open round."""
    if report is not None and report.round_id:
        return report.round
    chosen = request.GET.get("round", "")
    rounds = FollowUpRound.objects.all()
    if chosen.isdigit():
        return rounds.filter(pk=int(chosen)).first()
    return rounds.filter(status=FollowUpRound.Status.OPEN).order_by("-year").first()


def themes_still_open(request, report: CountyReport | None) -> list[Theme]:
    """The round's themes the report has no observation on yet, in the round's order (asked
    once per request: the row count and the rows' themes come from the same answer)."""
    cache = request.__dict__.setdefault("_themes_still_open", {})
    key = report.pk if report is not None else None
    if key not in cache:
        round_obj = report_round(request, report)
        themes = (
            round_obj.themes.order_by("sort_order", "name") if round_obj else Theme.objects.none()
        )
        if report is not None and report.pk:
            themes = themes.exclude(observations__report=report)
        cache[key] = list(themes)
    return cache[key]


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

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ObservationInline):  # the same rows on the page and its POST
            kwargs["initial"] = [{"theme": theme.pk} for theme in themes_still_open(request, obj)]
        return kwargs

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        round_obj = report_round(request, None)
        if round_obj is not None:
            initial.setdefault("round", round_obj.pk)
        return initial

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
        if not obj:
            return readonly
        return (*readonly, "round", "county", "submitted_summary", "review_comments")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self._fieldsets(request, obj))
        if obj is not None and obj.comments.exclude(sent_with=None).exists():
            fieldsets.insert(1, (_("Departementets kommentarer"), {"fields": ("review_comments",)}))
        return fieldsets

    @admin.display(description=_("kommentarer per tema"))
    def review_comments(self, obj):
        """The comments the ministry sent, by theme, with the county's replies: answered on the
        county's page (the link)."""
        sent = obj.comments.exclude(sent_with=None).select_related("theme", "replied_by")
        items = format_html_join(
            "",
            "<li><strong>{}</strong> · {}<blockquote>{}</blockquote>{}</li>",
            (
                (
                    comment.theme.display_name if comment.theme else _("Rapporten som helhet"),
                    _("åtgärdad") if comment.handled else _("att åtgärda"),
                    comment.text,
                    format_html("<p>{} {}</p>", _("Länets svar:"), comment.reply)
                    if comment.reply
                    else "",
                )
                for comment in sent.order_by("theme__sort_order", "created_at", "pk")
            ),
        )
        url = reverse("site:county", args=[obj.round.year, obj.county.code]) + "#kommentarer"
        link = format_html(
            '<p><a href="{}">{}</a></p>', url, _("Svara och markera som åtgärdade på länets sida")
        )
        return format_html('<ul class="review-comments">{}</ul>{}', items, link)

    def _fieldsets(self, request, obj=None):
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


class WrittenBySystem:
    """Rows the system writes (review steps, e-mail): people read them, nobody edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(WrittenBySystem, CountyScopedAdmin):
    """The review steps, written by the workflow services only."""

    list_display = ("at", "report", "county_short_name", "action", "to_status", "actor")
    list_filter = ("action", "report__round", "report__county")
    list_select_related = ("report__county", "report__round", "actor")
    search_fields = ("comment", "report__county__name", "actor__username")
    date_hierarchy = "at"


@admin.register(ReviewComment)
class ReviewCommentAdmin(WrittenBySystem, CountyScopedAdmin):
    """The review's comments, for reading and audit: written and answered on the county's page
    (a reviewer's comments not yet sent are the reviewers' only)."""

    list_display = ("created_at", "report", "county_short_name", "theme", "author", "decision",
                    "handled_at")  # fmt: skip
    list_filter = ("report__round", "report__county", ("handled_at", admin.EmptyFieldListFilter))
    list_select_related = ("report__county", "report__round", "theme", "author", "sent_with")
    search_fields = ("text", "reply", "report__county__name")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not access.is_reviewer(request.user):
            queryset = queryset.exclude(sent_with=None)
        return queryset

    @admin.display(description=_("skickad med"), ordering="sent_with__at")
    def decision(self, obj):
        event = obj.sent_with
        if event is None:
            return _("inte skickad")
        return f"{event.get_action_display()} {formats.date_format(timezone.localtime(event.at))}"


@admin.register(Notice)
class NoticeAdmin(WrittenBySystem, CountyScopedAdmin):
    """The e-mail the system sent, or is still trying to send (followup.services.notices)."""

    list_display = ("created_at", "kind", "county_short_name", "round", "address", "sent_at",
                    "attempts")  # fmt: skip
    list_filter = ("kind", "round", "county", ("sent_at", admin.EmptyFieldListFilter))
    list_select_related = ("county", "round", "recipient")
    search_fields = ("address", "county__name", "recipient__username")
    date_hierarchy = "created_at"


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
