"""The API's filters: the site's own FilterSets (``followup.filters``) where a list has one —
the same parameters, bounds and validation as the page and its downloads — and small ones
for the lists the site has none for (as strict: numbers in ASCII digits, within bounds).

The site's FilterSets sort with ``?ordering=``; the API's lists are cursor pages in a fixed
order (``pagination.py``), so their sort filter is left out here and nothing else. A value that
is not valid answers 400 with the field's message (the page shows it beside the field).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agreements.models import Agreement, Cluster, Municipality, Partnership
from followup.filters import ObservationFilter, OrganisationFilter, ProjectFilter, _ListFilter
from followup.models import CountyReport, NationalConclusion, ReportStatus


class SiteFilterBackend(DjangoFilterBackend):
    """django-filter's backend, giving the FilterSets that scope their choices the user."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if getattr(view, "filterset_takes_user", False):
            kwargs["user"] = request.user
        return kwargs


class ProjectApiFilter(ProjectFilter):
    ordering = None


# The source filter reads a financing source's code (its queryset's to_field_name), which the
# schema generator cannot see through the filter's method.
extend_schema_field(OpenApiTypes.STR)(ProjectApiFilter.base_filters["source"])


class ObservationApiFilter(ObservationFilter):
    ordering = None


class OrganisationApiFilter(OrganisationFilter):
    ordering = None


def _county(field_name: str = "county__code"):
    return django_filters.CharFilter(
        field_name=field_name, label=_("Länskod (SCB), t.ex. 04"), max_length=2
    )


def _year(field_name: str):
    return django_filters.NumberFilter(
        field_name=field_name, label=_("År"), min_value=1990, max_value=2100
    )


class MunicipalityApiFilter(_ListFilter):
    county = _county()

    class Meta:
        model = Municipality
        fields: list[str] = []


class AgreementApiFilter(_ListFilter):
    county = _county()
    year = django_filters.NumberFilter(
        label=_("Avtal som gäller året"), method="filter_year", min_value=1990, max_value=2100
    )

    class Meta:
        model = Agreement
        fields: list[str] = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class PartnershipApiFilter(_ListFilter):
    county = _county()
    level = django_filters.ChoiceFilter(label=_("Nivå"), choices=Partnership.Level.choices)

    class Meta:
        model = Partnership
        fields: list[str] = []


class ClusterApiFilter(_ListFilter):
    county = _county()

    class Meta:
        model = Cluster
        fields: list[str] = []


class ReportApiFilter(_ListFilter):
    round = _year("round__year")
    county = _county()
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)

    class Meta:
        model = CountyReport
        fields: list[str] = []


class ConclusionApiFilter(_ListFilter):
    round = _year("round__year")

    class Meta:
        model = NationalConclusion
        fields: list[str] = []
