"""The FilterSets of the review site's lists: projects, observations and organisations.

Parameters are plain GET names (``?county=04&status=pagaende&ordering=-decided_total``): a
filtered list is a bookmarkable URL. Sorting comes from a whitelist; the county list offers
only the counties the user reads. The selectors (``followup.selectors.lists``) build them over
querysets already scoped by ``access.visible``.
"""

from collections.abc import Sequence

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    County,
    FinancingLine,
    FinancingSource,
    Measure,
    Municipality,
    Organisation,
    OrganisationKind,
    Project,
)
from agreements.models.fields import FIRST_YEAR, LAST_YEAR
from core import access, languages
from followup.models import Assessment, FollowUpRound, Observation, Theme
from followup.selectors.totals import with_decided_total

# The largest amount a list is filtered by: more than any project's decided total.
AMOUNT_LIMIT = 10**15


class _Ordering(django_filters.OrderingFilter):
    """``?ordering=`` from a whitelist only; an unknown field is ignored, never an error."""

    def __init__(self, *args, default: Sequence[str], **kwargs):
        self.default = list(default)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs.order_by(*self.default, "pk")
        fields = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*fields, *self.default, "pk")


class _ProjectOrdering(_Ordering):
    def filter(self, qs, value):
        wanted = value and any(param.lstrip("-") == "decided_total" for param in value)
        if not wanted:
            return super().filter(qs, value)
        if "decided_total" not in qs.query.annotations:
            qs = with_decided_total(qs)
        # Ties broken by reference number alone: a join to the county for every project of the
        # country would cost a fifth of this sort at 100 000 projects.
        fields = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*fields, "reference_number", "pk")


def _reads_a_number(field: forms.Field) -> bool:
    """Does ``field`` turn what is typed into a number (itself, or the id of a row)?"""
    if isinstance(field, forms.IntegerField):  # DecimalField and FloatField are IntegerFields
        return True
    if isinstance(field, forms.ModelChoiceField):
        opts = field.queryset.model._meta
        key = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
        return isinstance(key, models.IntegerField)
    return False


class _ParameterForm(forms.Form):
    """The form of a list's filters, as strict as the database: a number is written in ASCII
    digits (Python would read "٢٠٠١" as 2001 and "²" not at all), and every number field has
    bounds, so that no value the address brings reaches the database out of range."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField) and (
                field.min_value is None or field.max_value is None
            ):
                raise ImproperlyConfigured(f"The number filter {name!r} needs bounds.")

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            typed = self.data.get(name)
            if (
                name in cleaned
                and isinstance(typed, str)
                and _reads_a_number(field)
                and not typed.isascii()
            ):
                message = field.error_messages.get("invalid") or field.error_messages.get(
                    "invalid_choice"
                )
                self.add_error(name, ValidationError(message, code="invalid"))
        return cleaned


class _ListFilter(django_filters.FilterSet):
    """A list's filters; a sort order that is not on the whitelist falls back to the default.
    A value that is not valid is said next to its field and filters nothing (``_ParameterForm``)."""

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (_ParameterForm, form_class), {})

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "ordering" in self.form.errors:
            queryset = self.filters["ordering"].filter(queryset, None)
        return queryset


def _words(value: str) -> list[str]:
    return value.split()[:8]


def _any_of(fields: Sequence[str], word: str) -> Q:
    """``word`` occurs in one of ``fields`` (case-insensitive)."""
    # SQLite folds case for ASCII letters only: "örebro" must still find "Örebro".
    variants = {word} if word.isascii() else {word, word.lower(), word.capitalize()}
    condition = Q()
    for field in fields:
        for variant in variants:
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


def _search(queryset: QuerySet, fields: Sequence[str], value: str) -> QuerySet:
    """Every word must occur in one of ``fields``."""
    for word in _words(value):
        queryset = queryset.filter(_any_of(fields, word))
    return queryset


class _Select(forms.Select):
    """A select rendered in Python: the municipality and measure lists have hundreds of
    options, and Django's per-option templates would make them the slowest part of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if key == chosen else "", label)
                for key, label in ((str(key), label) for key, label in self.choices)
            ),
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


def _county_choices():
    names = County.objects.values_list("code", languages.display_name_of())
    return [(code, f"{code} {name}") for code, name in names]


def _offer_readable_counties(filterset: django_filters.FilterSet, user) -> None:
    """The county list offers only the counties whose data ``user`` reads. Another county's
    code in the address still validates, and finds nothing, as a shared link should."""
    ids = access.readable_county_ids(user)
    if ids is None:
        return
    codes = set(County.objects.filter(pk__in=ids).values_list("code", flat=True))
    field = filterset.form.fields["county"]
    field.widget.choices = [
        (code, label) for code, label in field.choices if code in codes or not code
    ]


def _search_filter(label):
    return django_filters.CharFilter(
        label=label, method="filter_text", widget=forms.TextInput(attrs={"type": "search"})
    )


# --- projects ----------------------------------------------------------------------------------


class ProjectFilter(_ListFilter):
    q = _search_filter(_("Sök (diarienummer, projektnamn, projektägare)"))
    county = django_filters.ChoiceFilter(
        widget=_Select(),
        label=_("Län"),
        field_name="county__code",
        choices=_county_choices,
        empty_label=_("Alla"),
    )
    municipality = django_filters.ModelChoiceFilter(
        widget=_Select(),
        label=_("Kommun"),
        field_name="municipality",
        to_field_name="code",
        queryset=Municipality.objects.order_by("name", "code"),
        empty_label=_("Alla"),
    )
    measure = django_filters.ChoiceFilter(
        widget=_Select(), label=_("Åtgärd"), field_name="measure_id", empty_label=_("Alla")
    )
    owner_kind = django_filters.ModelChoiceFilter(
        widget=_Select(),
        label=_("Typ av projektägare"),
        field_name="owner__kind",
        to_field_name="code",
        queryset=OrganisationKind.objects.all(),
        empty_label=_("Alla"),
    )
    status = django_filters.ChoiceFilter(
        widget=_Select(), label=_("Status"), choices=Project.Status.choices, empty_label=_("Alla")
    )
    source = django_filters.ModelChoiceFilter(
        widget=_Select(),
        label=_("Finansieringskälla"),
        to_field_name="code",
        queryset=FinancingSource.objects.all(),
        method="filter_financing",
        empty_label=_("Alla"),
    )
    year = django_filters.NumberFilter(
        label=_("År (finansiering)"),
        method="filter_financing",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
    )
    amount_min = django_filters.NumberFilter(
        label=_("Beslutat belopp från (kr)"),
        method="filter_amount",
        min_value=0,
        max_value=AMOUNT_LIMIT,
        widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
    )
    amount_max = django_filters.NumberFilter(
        label=_("Beslutat belopp till (kr)"),
        method="filter_amount",
        min_value=0,
        max_value=AMOUNT_LIMIT,
        widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
    )
    ordering = _ProjectOrdering(
        fields={
            "county__code": "county",
            "reference_number": "reference_number",
            "title": "title",
            "owner__name": "owner",
            "municipality__name": "municipality",
            "status": "status",
            "start_date": "start_date",
            "decided_total": "decided_total",
        },
        default=["county__code", "reference_number"],
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["measure"].extra["choices"] = _measure_choices(user)
        _offer_readable_counties(self, user)

    def filter_text(self, queryset, name, value):
        for word in _words(value):
            # Owners as a subquery, not a join: the scan of projects stays a plain scan.
            owners = Organisation.objects.filter(_any_of(["name"], word)).values("pk")
            queryset = queryset.filter(
                _any_of(["reference_number", "title"], word) | Q(owner__in=owners)
            )
        return queryset

    def filter_financing(self, queryset, name, value):
        # Source and year narrow together: a financing line from that source in that year.
        return queryset  # applied once in filter_queryset

    def filter_amount(self, queryset, name, value):
        return queryset  # applied once in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        lines = Q()
        if data.get("source") is not None:
            lines &= Q(source=data["source"])
        if data.get("year") is not None:
            lines &= Q(year=data["year"])
        if lines:
            # An IN over the matching lines, not EXISTS per project: at 100 000 projects the
            # count is five times cheaper, and the page as cheap.
            projects = FinancingLine.objects.filter(lines).values("project_id")
            queryset = queryset.filter(pk__in=projects)
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None or high is not None:
            if "decided_total" not in queryset.query.annotations:
                queryset = with_decided_total(queryset)
            if low is not None:
                queryset = queryset.filter(decided_total__gte=low)
            if high is not None:
                queryset = queryset.filter(decided_total__lte=high)
        return queryset


def _measure_choices(user):
    measures = access.visible(Measure.objects.all(), user).order_by(
        "agreement__county__code", "agreement__start_year", "priority_area__number", "number"
    )
    rows = measures.values_list(
        "pk", "agreement__county__short_name", "priority_area__number", "number", "name"
    )
    return [(pk, f"{county} {area}.{number} {name}") for pk, county, area, number, name in rows]


def _round_choices():
    return [(year, str(year)) for year in FollowUpRound.objects.values_list("year", flat=True)]


class ObservationFilter(_ListFilter):
    q = _search_filter(_("Sök i texten"))
    round = django_filters.ChoiceFilter(
        widget=_Select(),
        label=_("Omgång (år)"),
        field_name="report__round__year",
        choices=_round_choices,
        empty_label=_("Alla"),
    )
    county = django_filters.ChoiceFilter(
        widget=_Select(),
        label=_("Län"),
        field_name="report__county__code",
        choices=_county_choices,
        empty_label=_("Alla"),
    )
    theme = django_filters.ModelChoiceFilter(
        widget=_Select(), label=_("Tema"), queryset=Theme.objects.all(), empty_label=_("Alla")
    )
    assessment = django_filters.ChoiceFilter(
        widget=_Select(), label=_("Bedömning"), choices=Assessment.choices, empty_label=_("Alla")
    )
    kind = django_filters.ChoiceFilter(
        widget=_Select(), label=_("Typ"), choices=Observation.Kind.choices, empty_label=_("Alla")
    )
    ordering = _Ordering(
        fields={
            "report__round__year": "round",
            "report__county__code": "county",
            "theme__sort_order": "theme",
            "assessment": "assessment",
            "kind": "kind",
        },
        default=["-report__round__year", "report__county__code", "theme__sort_order"],
    )

    class Meta:
        model = Observation
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        _offer_readable_counties(self, user)

    def filter_text(self, queryset, name, value):
        return _search(queryset, ["text"], value)


# --- organisations -----------------------------------------------------------------------------


class OrganisationFilter(_ListFilter):
    q = _search_filter(_("Sök (namn, organisationsnummer)"))
    kind = django_filters.ModelChoiceFilter(
        widget=_Select(),
        label=_("Typ av aktör"),
        to_field_name="code",
        queryset=OrganisationKind.objects.all(),
        empty_label=_("Alla"),
    )
    county = django_filters.ChoiceFilter(
        widget=_Select(),
        label=_("Hemlän"),
        field_name="county__code",
        choices=_county_choices,
        empty_label=_("Alla"),
    )
    ordering = _Ordering(
        fields={
            "name": "name",
            "kind__sort_order": "kind",
            "org_number": "org_number",
            "county__code": "county",
            "municipality__name": "municipality",
        },
        default=["name"],
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        digits = value.replace("-", "").replace(" ", "")
        if not digits.isdigit():
            return _search(queryset, ["name"], value)
        # Numbers are stored as NNNNNN-NNNN; "5560125790" and "556012-5790" both find one.
        needle = f"{digits[:6]}-{digits[6:]}" if len(digits) > 6 else digits
        return queryset.filter(Q(name__icontains=value) | Q(org_number__contains=needle))
