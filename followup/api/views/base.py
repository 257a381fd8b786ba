"""What every resource of the API is: read-only, scoped by ``core.access``."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.http import Http404
from rest_framework import exceptions, viewsets

from core import access
from core.parameters import UnusableValue, values_refused


@contextmanager
def refused_parameters(request) -> Iterator[None]:
    """Queries built from the address: a value Python or the database cannot take (a NUL in a
    search on PostgreSQL, a number past the largest integer) answers 400, never a 500."""
    if not request.query_params:
        yield
        return
    try:
        with values_refused():
            yield
    except UnusableValue:
        raise exceptions.ParseError from None


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail of the rows ``access.visible`` gives the user: another county's
    object answers 404, exactly like one that does not exist. ``queryset`` is the model's rows
    with what the serializer reads (a fixed number of queries per page)."""

    cursor_ordering: tuple[str, ...] = ("pk",)
    filterset_takes_user = False  # the site's FilterSets that scope their choices need it

    def get_queryset(self):
        return access.visible(super().get_queryset(), self.request.user)

    def list(self, request, *args, **kwargs):
        with refused_parameters(request):
            return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # DRF would answer with Django's English message naming the model.
            raise exceptions.NotFound from None
