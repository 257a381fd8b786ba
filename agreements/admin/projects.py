"""Projects and their financing lines."""

from django.contrib import admin
from django.db.models import F, Sum
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import (
    CountyScopedAdmin,
    CountyScopedInline,
    YearAndAmountColumns,
    is_changelist,
)
from agreements.imports.admin_views import ProjectImportAdminMixin
from agreements.models import FinancingLine, Project
from core import formats


class FinancingLineInline(CountyScopedInline, admin.TabularInline):
    model = FinancingLine
    fields = ("source", "financier", "year", "amount", "kind", "note")
    autocomplete_fields = ("financier",)
    choices_once = ("source",)
    extra = 2

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project", "source", "financier")


@admin.register(Project)
class ProjectAdmin(ProjectImportAdminMixin, CountyScopedAdmin):
    # As the site's project list: the measure under the title, dates as 2001-03-15 — owner,
    # status, start and amount stay in view at 1 440 px.
    list_display = (
        "reference_number",
        "title_and_measure",
        "county_short_name",
        "owner",
        "status",
        "start",
        "decided_total",
    )
    list_filter = ("status", "county", "agreement__kind", "owner__kind")
    list_select_related = ("county", "measure__priority_area", "owner")
    search_fields = (
        "reference_number",
        "title",
        "description",
        "owner__name",
        "municipality__name",
    )
    date_hierarchy = "start_date"
    autocomplete_fields = (
        "agreement",
        "measure",
        "owner",
        "municipality",
        "partnership",
        "cluster",
    )
    readonly_fields = ("financing_summary", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("county", "reference_number", "title", "status")}),
        (
            _("Plats i avtalet"),
            {
                "fields": ("agreement", "measure"),
                "description": _("Åtgärden måste höra till det valda avtalet."),
            },
        ),
        (
            _("Projektägare och sammanhang"),
            {"fields": ("owner", "municipality", "partnership", "cluster")},
        ),
        (None, {"fields": (("start_date", "end_date"), "description")}),
        (
            _("Finansiering"),
            {
                "fields": ("financing_summary",),
                "description": _(
                    "Beloppen förs in som finansiären rapporterade dem; aktörerna räknade "
                    "medfinansiering olika. Skriv en anmärkning när det behövs."
                ),
            },
        ),
        (_("Historik"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (FinancingLineInline,)

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related, "agreement__county")
        )
        if is_changelist(request):
            # As the database keeps it (agreements.models.totals): no line is summed here.
            queryset = queryset.annotate(_decided_total=F("totals__decided"))
        return queryset

    @admin.display(description=_("projektnamn"), ordering="title")
    def title_and_measure(self, obj):
        return format_html(
            '{}<span class="row-detail">{} {}</span>', obj.title, _("Åtgärd"), obj.measure
        )

    @admin.display(description=_("start"), ordering="start_date")
    def start(self, obj):
        return formats.iso_date(obj.start_date)

    @admin.display(description=_("beslutat (kr)"), ordering="_decided_total")
    def decided_total(self, obj):
        return formats.amount(getattr(obj, "_decided_total", None))

    @admin.display(description=_("summa per källa"))
    def financing_summary(self, obj):
        if obj.pk is None:
            return "–"
        rows = (
            obj.financing_lines.values("source__name", "kind")
            .annotate(total=Sum("amount"))
            .order_by("source__sort_order", "kind")
        )
        kinds = dict(FinancingLine.Kind.choices)
        lines = [
            (row["source__name"], kinds[row["kind"]], formats.amount(row["total"])) for row in rows
        ]
        if not lines:
            return _("Inga finansieringsrader ännu.")
        return format_html_join("", "<div>{} · {}: {} kr</div>", lines)


@admin.register(FinancingLine)
class FinancingLineAdmin(YearAndAmountColumns, CountyScopedAdmin):
    list_display = (
        "project",
        "county_short_name",
        "source",
        "financier",
        "year_display",
        "amount_display",
        "kind",
    )
    list_filter = ("kind", "source__category", "source", "year", "project__county")
    list_select_related = ("project__county", "source", "financier")
    search_fields = ("project__reference_number", "project__title", "financier__name", "note")
    autocomplete_fields = ("project", "financier")
