"""Values from the address that Python or the database cannot take: a list answers them as a
wrong filter, never with a server error.

A list's filters reach the database as typed: a year of 30 digits, an id past the largest
integer, the day after 9999-12-31. Python refuses some (``OverflowError``, ``ValueError`` from a
date), SQLite others ("Python int too large to convert to SQLite INTEGER", an
``OverflowError``), PostgreSQL the rest (``DataError``: "integer out of range", a NUL in a
string is a ``ValueError``). ``values_refused()`` turns each into ``UnusableValue`` — inside a
transaction from a savepoint, so that PostgreSQL's aborted statement leaves the transaction
usable.

- Every list of the admin (``GuardedChangeList``, given to every registered ModelAdmin by
  ``guard_every_list``) answers such a value as Django answers a filter it does not know: the
  list without its filters (``?e=1``). Its add and change forms, which take starting values
  from the address (``?owner=12``), answer one they cannot use with the form without them.
- The site's lists validate their parameters in their FilterSets (``followup.filters``) and
  answer what still gets through with a 400 page (``refused_as_bad_request``).
"""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import cache

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.sites import AdminSite
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import BadRequest, ValidationError
from django.db import DEFAULT_DB_ALIAS, DataError, connections, router, transaction
from django.http import HttpResponseRedirect

# What a value the address brought in makes Python or the database raise.
UNUSABLE = (OverflowError, ValueError, DataError, ValidationError)


class UnusableValue(Exception):
    """A parameter's value that Python or the database could not take."""


@contextmanager
def values_refused(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run queries built from the address's parameters; a value Python or the database cannot
    take raises ``UnusableValue`` (the database's error rolled back to a savepoint when in a
    transaction)."""
    in_transaction = connections[using].in_atomic_block
    try:
        with transaction.atomic(using=using) if in_transaction else nullcontext():
            yield
    except UNUSABLE as error:
        raise UnusableValue(str(error)) from error


@contextmanager
def refused_as_bad_request(request, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A page's queries from its parameters: a value nothing can take answers 400. A request
    without parameters raises as it would (that is a bug, not a value)."""
    if not request.GET:
        yield
        return
    try:
        with values_refused(using):
            yield
    except UnusableValue as refused:
        raise BadRequest(str(refused)) from refused


class GuardedChangeList(ChangeList):
    """An admin list that answers an unusable filter value as Django answers an unknown filter:
    ``IncorrectLookupParameters``, which the changelist view redirects to ``?e=1`` (the list
    without filters). The page's rows are read here, not while the template is drawn, so that
    every query from the address runs inside the guard."""

    def _guarded(self, request):
        if not request.GET:
            return nullcontext()
        return _as_incorrect_lookup(self.root_queryset.db)

    def get_queryset(self, request, exclude_parameters=None):
        with self._guarded(request):
            return super().get_queryset(request, exclude_parameters)

    def get_results(self, request):
        with self._guarded(request):
            super().get_results(request)
            len(self.result_list)  # the page's rows, read now (the template uses them as read)


@contextmanager
def _as_incorrect_lookup(using: str) -> Iterator[None]:
    try:
        with values_refused(using):
            yield
    except UnusableValue as refused:
        raise IncorrectLookupParameters(refused) from refused


@cache
def guarded(changelist_class: type[ChangeList]) -> type[ChangeList]:
    """``changelist_class`` (Django's, or an admin's own) with the guard."""
    if issubclass(changelist_class, GuardedChangeList):
        return changelist_class
    return type(f"Guarded{changelist_class.__name__}", (GuardedChangeList, changelist_class), {})


class GuardedListsAdmin:
    """ModelAdmin mixin: the list answers unusable filter values as wrong filters, the forms
    unusable starting values with the form without them."""

    def get_changelist(self, request, **kwargs):
        return guarded(super().get_changelist(request, **kwargs))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "GET" or not request.GET:
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with values_refused(router.db_for_read(self.model)):
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if hasattr(response, "render"):
                    response.render()  # the widgets query the starting values as they draw
                return response
        except UnusableValue:
            return HttpResponseRedirect(request.path)


def guard_every_list(site: AdminSite) -> None:
    """Give every admin registered on ``site`` the guarded list: the project's admins have it
    from their base class, the others (Django's groups, django-axes' login records) are
    registered again with it."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, GuardedListsAdmin):
            continue
        admin_class = type(model_admin)
        site.unregister(model)
        site.register(
            model,
            type(admin_class.__name__, (GuardedListsAdmin, admin_class), {"__module__": __name__}),
        )
