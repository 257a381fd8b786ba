"""The review site's filtered lists: projects, observations and organisations.

Each list is a django-filter FilterSet (``followup.filters``) over a queryset already scoped by
``access.visible``, so the page and its CSV and Excel downloads show the same rows to the same
user; a filtered list is a bookmarkable URL, and the comparison matrix links to
``/iakttagelser/?round=2001&county=04&theme=3``.
"""

from django.db.models import QuerySet

from agreements.models import Organisation, Project
from core import access
from followup.filters import ObservationFilter, OrganisationFilter, ProjectFilter
from followup.models import Observation
from followup.selectors.totals import ProjectSums, project_sums, with_decided_total

PAGE_SIZE = 50


def _data(params):
    # Always bound, so that the default sort order applies to an empty query string too.
    return params if params is not None else {}


def project_filter(*, user, params) -> ProjectFilter:
    """The project FilterSet for ``user``: its form for the page, ``.qs`` the visible rows."""
    queryset = access.visible(Project.objects.all(), user).select_related(
        "county", "municipality", "owner__kind", "measure__priority_area"
    )
    return ProjectFilter(_data(params), queryset, user=user)


def projects_filtered(*, user, params) -> QuerySet:
    """The projects ``user`` may see that match ``params``, with their decided total."""
    queryset = project_filter(user=user, params=params).qs
    if "decided_total" not in queryset.query.annotations:
        queryset = with_decided_total(queryset)
    return queryset


def project_totals(queryset: QuerySet) -> ProjectSums:
    """The number of projects in ``queryset`` — the FilterSet's rows, every page of them, as the
    downloads hold them — and their decided and outcome amounts summed (one query, from the
    totals the database keeps per project)."""
    return project_sums(queryset)


def project_page_rows(queryset: QuerySet, *, offset: int, limit: int) -> list:
    """One page of ``queryset`` with decided totals, summed for the page's rows only.

    Ordering and slicing run on the projects alone (an index walk at any size); the sum over
    financing lines is then computed for these rows, not for every project in the country.
    """
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
    rows = with_decided_total(
        Project.objects.filter(pk__in=ids).select_related(
            "county", "municipality", "owner__kind", "measure__priority_area"
        )
    ).order_by()
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row.pk])


# --- observations ------------------------------------------------------------------------------


def observation_filter(*, user, params) -> ObservationFilter:
    """Observations ``user`` may read (never a draft's for a reviewer) matching ``params``."""
    queryset = access.visible(Observation.objects.all(), user).select_related(
        "report__round", "report__county", "theme"
    )
    return ObservationFilter(_data(params), queryset, user=user)


def observations_filtered(*, user, params) -> QuerySet:
    return observation_filter(user=user, params=params).qs


# --- organisations -----------------------------------------------------------------------------


def organisation_filter(*, user, params) -> OrganisationFilter:
    queryset = access.visible(Organisation.objects.all(), user).select_related(
        "kind", "county", "municipality"
    )
    return OrganisationFilter(_data(params), queryset)


def organisations_filtered(*, user, params) -> QuerySet:
    return organisation_filter(user=user, params=params).qs
