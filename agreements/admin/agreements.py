"""Agreements with their priority areas, measures and financial frames; financing sources."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import (
    MONEY_FORMFIELD_OVERRIDES,
    AccessMixin,
    CountyScopedAdmin,
    CountyScopedInline,
    RowsOnTheAddPage,
    YearAndAmountColumns,
    is_changelist,
    kept_rows,
    object_id_from_request,
)
from agreements.models import (
    Agreement,
    FinancialFrame,
    FinancingSource,
    Measure,
    PriorityArea,
)
from core import formats


def priority_area_label(area: PriorityArea) -> str:
    """A priority area named with its agreement, for lists that span agreements."""
    agreement = area.agreement
    return f"{agreement.county.short_name} {agreement.period} · {area}"


@admin.register(FinancingSource)
class FinancingSourceAdmin(AccessMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "category", "code", "sort_order")
    list_editable = ("sort_order",)
    list_filter = ("category",)
    search_fields = ("name", "name_en", "code", "description")


# --- Inlines on the agreement's page -------------------------------------------------------------


class AgreementChildInline(CountyScopedInline):
    """An inline on the agreement page whose choices are limited to the agreement being edited."""

    def agreement_id(self, request):
        return object_id_from_request(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agreement_id = self.agreement_id(request)
        if db_field.name == "priority_area":
            # On the add page there is no agreement yet, so nothing to choose from.
            kwargs["queryset"] = (
                PriorityArea.objects.filter(agreement_id=agreement_id)
                if agreement_id
                else PriorityArea.objects.none()
            )
        elif db_field.name == "measure":
            kwargs["queryset"] = (
                Measure.objects.filter(agreement_id=agreement_id).select_related("priority_area")
                if agreement_id
                else Measure.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PriorityAreaInline(CountyScopedInline, admin.TabularInline):
    model = PriorityArea
    fields = ("number", "name", "description")
    extra = 1
    formfield_overrides = {
        **MONEY_FORMFIELD_OVERRIDES,
        # A short description fits in the table row; longer text on the area's own page.
        models.TextField: {
            "widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 2, "cols": 50})
        },
    }


class ByAreaNumberForm(forms.ModelForm):
    """A measure or a frame on the agreement's page names its priority area by number, so an
    area added on the same page counts at once: the agreement is entered in one sitting."""

    area_number = forms.IntegerField(
        label=_("Insatsområde (nr)"),
        min_value=1,
        help_text=_("Numret på ett insatsområde ovan, också ett som läggs till nu."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.priority_area_id:
            self.initial.setdefault("area_number", self.instance.priority_area.number)


class FrameByNumberForm(ByAreaNumberForm):
    measure_number = forms.IntegerField(
        label=_("Åtgärd (nr)"),
        min_value=1,
        required=False,
        help_text=_("Tomt: ramen gäller hela insatsområdet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.measure_id:
            self.initial.setdefault("measure_number", self.instance.measure.number)


class ByAreaNumberFormSet(forms.BaseInlineFormSet):
    """Checks each row's area (and measure) number against the rows of the page's other
    inlines — the areas and measures the agreement will have once saved — and names the row."""

    area_formset = None  # set by the agreement's admin when it builds the page's formsets
    measure_formset = None

    def clean(self):
        super().clean()
        if self.area_formset is None:
            return
        areas = {form.cleaned_data.get("number") for form in kept_rows(self.area_formset)}
        measures = (
            {
                (form.cleaned_data.get("area_number"), form.cleaned_data.get("number"))
                for form in kept_rows(self.measure_formset)
            }
            if self.measure_formset is not None
            else set()
        )
        seen = set()
        for form in kept_rows(self):
            area = form.cleaned_data.get("area_number")
            if area is not None and area not in areas:
                form.add_error(
                    "area_number",
                    _("Avtalet har inget insatsområde nr %(number)s; lägg till det ovan.")
                    % {"number": area},
                )
            measure = form.cleaned_data.get("measure_number")
            if measure and (area, measure) not in measures:
                form.add_error(
                    "measure_number",
                    _("Insatsområde %(area)s har ingen åtgärd nr %(number)s.")
                    % {"area": area, "number": measure},
                )
            if self.model is Measure:
                key = (area, form.cleaned_data.get("number"))
                if key in seen:
                    form.add_error("number", _("Åtgärden %(area)s.%(number)s finns redan ovan.")
                                   % {"area": key[0], "number": key[1]})  # fmt: skip
                seen.add(key)
            else:
                self._check_frame(form, area, measure, seen)

    def _check_frame(self, form, area, measure, seen) -> None:
        """What the model checks once the frame has its area: the year inside the agreement's
        period, and one frame per area (or measure), source and year."""
        agreement, year = self.instance, form.cleaned_data.get("year")
        known = year and agreement.start_year and agreement.end_year
        if known and not agreement.covers_year(year):
            form.add_error(
                "year",
                _("Året ligger utanför avtalets period %(period)s.") % {"period": agreement.period},
            )
        key = (area, measure or None, form.cleaned_data.get("source"), year)
        if key in seen:
            form.add_error(
                None,
                _("Det finns redan en ram för åtgärden, källan och året.")
                if measure
                else _("Det finns redan en ram för insatsområdet, källan och året."),
            )
        seen.add(key)


class MeasureInline(RowsOnTheAddPage, AgreementChildInline, admin.TabularInline):
    model = Measure
    fk_name = "agreement"
    form = ByAreaNumberForm
    formset = ByAreaNumberFormSet
    fields = ("area_number", "number", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("priority_area")


class FinancialFrameInline(RowsOnTheAddPage, AgreementChildInline, admin.TabularInline):
    model = FinancialFrame
    fk_name = "agreement"
    form = FrameByNumberForm
    formset = ByAreaNumberFormSet
    fields = ("area_number", "measure_number", "source", "year", "amount")
    choices_once = ("source",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("priority_area", "measure__priority_area", "source")
        )


@admin.register(Agreement)
class AgreementAdmin(CountyScopedAdmin):
    list_display = (
        "__str__",
        "county_short_name",
        "kind",
        "period",
        "lead_body",
        "signed_on",
        "status",
        "measure_count",
    )
    list_filter = ("status", "kind", "county")
    list_select_related = ("county", "lead_body")
    search_fields = ("county__name", "county__short_name", "lead_body__name", "description")
    autocomplete_fields = ("lead_body",)
    date_hierarchy = "signed_on"
    readonly_fields = ("created_at", "updated_at", "frame_total")
    fieldsets = (
        (None, {"fields": ("county", "kind", ("start_year", "end_year"), "lead_body")}),
        (_("Beslut"), {"fields": ("signed_on", "status", "description")}),
        (_("Summering"), {"fields": ("frame_total", "created_at", "updated_at")}),
    )
    inlines = (PriorityAreaInline, MeasureInline, FinancialFrameInline)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        if is_changelist(request):
            queryset = queryset.annotate(_measure_count=Count("measures"))
        return queryset

    def _create_formsets(self, request, obj, change):
        """The measures' and frames' rows are checked against the areas (and measures) the
        same page adds: they know each other's formsets."""
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        by_model = {formset.model: formset for formset in formsets}
        for model in (Measure, FinancialFrame):
            if model in by_model:
                by_model[model].area_formset = by_model.get(PriorityArea)
                by_model[model].measure_formset = by_model.get(Measure)
        return formsets, inline_instances

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Measure, FinancialFrame):
            return super().save_formset(request, form, formset, change)
        # The areas (and measures) are saved by now, in the inlines' order: numbers to rows.
        agreement = form.instance
        areas = {area.number: area for area in agreement.priority_areas.all()}
        measures = {
            (m.priority_area.number, m.number): m
            for m in Measure.objects.filter(agreement=agreement).select_related("priority_area")
        }
        for row in formset.forms:
            if getattr(row, "cleaned_data", None) and not row.cleaned_data.get("DELETE"):
                number = row.cleaned_data.get("area_number")
                if number in areas:
                    row.instance.priority_area = areas[number]
                if formset.model is FinancialFrame:
                    row.instance.measure = measures.get(
                        (number, row.cleaned_data.get("measure_number"))
                    )
        return super().save_formset(request, form, formset, change)

    @admin.display(description=_("period"), ordering="start_year")
    def period(self, obj):
        return obj.period

    @admin.display(description=_("åtgärder"), ordering="_measure_count")
    def measure_count(self, obj):
        return getattr(obj, "_measure_count", None)

    @admin.display(description=_("finansiella ramar totalt (kr)"))
    def frame_total(self, obj):
        if obj.pk is None:
            return "–"
        return formats.amount(obj.frames.aggregate(total=Sum("amount"))["total"] or 0)


# --- The parts on their own pages ----------------------------------------------------------------


class PriorityAreaMeasureInline(CountyScopedInline, admin.TabularInline):
    model = Measure
    fk_name = "priority_area"
    fields = ("number", "name")
    extra = 1


@admin.register(PriorityArea)
class PriorityAreaAdmin(CountyScopedAdmin):
    list_display = ("__str__", "agreement", "county_short_name")
    list_filter = ("agreement__county", "agreement__kind")
    list_select_related = ("agreement__county",)
    search_fields = ("name", "description", "agreement__county__name")
    autocomplete_fields = ("agreement",)
    inlines = (PriorityAreaMeasureInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)


class PriorityAreaChoiceMixin:
    """Priority areas named with their agreement; on a change page only the same agreement's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "priority_area":
            queryset = PriorityArea.objects.select_related("agreement__county").order_by(
                "agreement__county__code", "agreement__start_year", "number"
            )
            object_id = object_id_from_request(request)
            if object_id:
                agreement_id = (
                    self.model.objects.filter(pk=object_id)
                    .values_list("agreement_id", flat=True)
                    .first()
                )
                queryset = queryset.filter(agreement_id=agreement_id)
            kwargs["queryset"] = queryset
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            formfield.label_from_instance = priority_area_label
            return formfield
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Measure)
class MeasureAdmin(PriorityAreaChoiceMixin, CountyScopedAdmin):
    list_display = ("code", "name", "priority_area", "agreement", "county_short_name")
    list_filter = ("agreement__county", "agreement__kind")
    list_select_related = ("priority_area", "agreement__county")
    search_fields = (
        "name",
        "description",
        "priority_area__name",
        "agreement__county__name",
        "agreement__county__short_name",
    )
    fields = ("priority_area", "number", "name", "description")
    ordering = (
        "agreement__county__code",
        "agreement__start_year",
        "priority_area__number",
        "number",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=_("kod"), ordering="priority_area__number")
    def code(self, obj):
        return obj.code


@admin.register(FinancialFrame)
class FinancialFrameAdmin(YearAndAmountColumns, PriorityAreaChoiceMixin, CountyScopedAdmin):
    list_display = (
        "priority_area",
        "measure",
        "source",
        "year_display",
        "amount_display",
        "county_short_name",
        "agreement",
    )
    list_filter = ("agreement__county", "source__category", "source", "year")
    list_select_related = (
        "priority_area",
        "measure__priority_area",
        "source",
        "agreement__county",
    )
    search_fields = ("priority_area__name", "measure__name", "agreement__county__name")
    autocomplete_fields = ("measure",)
    fields = ("priority_area", "measure", "source", "year", "amount")
