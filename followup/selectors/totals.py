"""Project totals as the database keeps them."""

from django.db.models import F, QuerySet


def with_decided_total(queryset: QuerySet) -> QuerySet:
    """Each project's decided financing, as the database keeps it (``ProjectTotal``).

    The join is inner (every project has its totals row, added with it by a trigger): the
    planner may then walk the index on the decided amount, so sorting or filtering the country's
    projects by amount reads no financing line at all. A project with no decided line has
    decided 0 kr: it shows, sorts and filters as 0.
    """
    return queryset.filter(totals__isnull=False).annotate(decided_total=F("totals__decided"))
