"""The filtered lists — projects, observations, organisations — and their downloads.

Every view asks the selector (``followup.selectors.lists``) for its rows, which are already
scoped by ``access.visible``; a download of a list is the same selector with the same GET
parameters, so it holds exactly the rows the page lists, page by page.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import access
from followup.selectors import lists
from followup.site import downloads

PAGE_PARAM = "sida"


@dataclass(frozen=True)
class Header:
    label: str
    key: str = ""  # the ?ordering= name; empty: not sortable
    numeric: bool = False


PROJECT_HEADERS = [
    Header(gettext_lazy("Län"), "county"),
    Header(gettext_lazy("Diarienummer"), "reference_number"),
    Header(gettext_lazy("Projektnamn och åtgärd"), "title"),
    Header(gettext_lazy("Projektägare"), "owner"),
    Header(gettext_lazy("Kommun"), "municipality"),
    Header(gettext_lazy("Status"), "status"),
    Header(gettext_lazy("Start"), "start_date"),
    Header(gettext_lazy("Beslutat (kr)"), "decided_total", numeric=True),
]
OBSERVATION_HEADERS = [
    Header(gettext_lazy("Omgång"), "round"),
    Header(gettext_lazy("Län"), "county"),
    Header(gettext_lazy("Tema"), "theme"),
    Header(gettext_lazy("Bedömning"), "assessment"),
    Header(gettext_lazy("Typ"), "kind"),
    Header(gettext_lazy("Rapport")),
    Header(gettext_lazy("Text")),
]
ORGANISATION_HEADERS = [
    Header(gettext_lazy("Namn"), "name"),
    Header(gettext_lazy("Typ av aktör"), "kind"),
    Header(gettext_lazy("Organisationsnummer"), "org_number"),
    Header(gettext_lazy("Hemlän"), "county"),
    Header(gettext_lazy("Hemkommun"), "municipality"),
]


def _require_role(user) -> None:
    if not access.has_role(user):
        raise PermissionDenied


def _url(request, **changes) -> str:
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    for name, value in changes.items():
        params[name] = value
    return f"?{params.urlencode()}" if params else "?"


def _columns(request, headers: list[Header]) -> list[dict]:
    current = request.GET.get("ordering", "").split(",")[0]
    columns = []
    for header in headers:
        sort = None
        if header.key and current.lstrip("-") == header.key:
            sort = "descending" if current.startswith("-") else "ascending"
        url = ""
        if header.key:
            url = _url(request, ordering=f"-{header.key}" if sort == "ascending" else header.key)
        columns.append({"header": header, "sort": sort, "url": url})
    return columns


class _Paginator(Paginator):
    """Counts rows with a query of its own: the same filters, without a costly sort order."""

    def __init__(self, object_list, per_page, *, count_queryset):
        super().__init__(object_list, per_page)
        self.count_queryset = count_queryset

    @cached_property
    def count(self):
        return self.count_queryset.count()


def _list_page(request, *, build, headers, template, title, noun, downloads_prefix, rows=None):
    """A list page: ``build(params)`` is the selector's FilterSet for the user."""
    filterset = build(request.GET)
    count_queryset = filterset.qs
    if request.GET.get("ordering"):
        # Sorting by a sum (decided total) needs every group; counting the rows does not.
        unsorted = request.GET.copy()
        unsorted.pop("ordering")
        count_queryset = build(unsorted).qs
    paginator = _Paginator(filterset.qs, lists.PAGE_SIZE, count_queryset=count_queryset)
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    if rows is None:
        rows = list(page.object_list)
    else:
        offset = page.start_index() - 1 if paginator.count else 0
        rows = rows(filterset.qs, offset=offset, limit=paginator.per_page)
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    query_string = f"?{query.urlencode()}" if query else ""
    form = filterset.form
    for name in form.errors:
        if name in form.fields:  # tie the message to its field for screen readers
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}-fel"}
            )
    return render(
        request,
        template,
        {
            "title": title,
            "noun": noun,
            "filter": filterset,
            "form_fields": [field for field in filterset.form if field.name != "ordering"],
            "ordering": request.GET.get("ordering", ""),
            "columns": _columns(request, headers),
            "page": page,
            "rows": rows,
            "is_filtered": any(value for name, value in query.items() if name != "ordering"),
            "csv_url": reverse(f"site:{downloads_prefix}_csv") + query_string,
            "xlsx_url": reverse(f"site:{downloads_prefix}_xlsx") + query_string,
        },
    )


# --- projects ------------------------------------------------------------------------------


@login_required
def projects(request):
    _require_role(request.user)
    return _list_page(
        request,
        build=lambda params: lists.project_filter(user=request.user, params=params),
        headers=PROJECT_HEADERS,
        template="site/lists/projects.html",
        title=_("Projekt"),
        noun=_("projekt"),
        downloads_prefix="projects",
        rows=lists.project_page_rows,
    )


@login_required
def projects_csv(request):
    _require_role(request.user)
    rows = lists.projects_filtered(user=request.user, params=request.GET)
    return downloads.csv_response(downloads.projects_table(), rows)


@login_required
def projects_xlsx(request):
    _require_role(request.user)
    rows = lists.projects_filtered(user=request.user, params=request.GET)
    return downloads.xlsx_response(downloads.projects_table(), rows, title=_("Projekt"))


# --- observations --------------------------------------------------------------------------


@login_required
def observations(request):
    _require_role(request.user)
    return _list_page(
        request,
        build=lambda params: lists.observation_filter(user=request.user, params=params),
        headers=OBSERVATION_HEADERS,
        template="site/lists/observations.html",
        title=_("Iakttagelser"),
        noun=_("iakttagelser"),
        downloads_prefix="observations",
    )


@login_required
def observations_csv(request):
    _require_role(request.user)
    rows = lists.observations_filtered(user=request.user, params=request.GET)
    return downloads.csv_response(downloads.observations_table(), rows)


@login_required
def observations_xlsx(request):
    _require_role(request.user)
    rows = lists.observations_filtered(user=request.user, params=request.GET)
    return downloads.xlsx_response(downloads.observations_table(), rows, title=_("Iakttagelser"))


# --- organisations -------------------------------------------------------------------------


@login_required
def organisations(request):
    _require_role(request.user)
    return _list_page(
        request,
        build=lambda params: lists.organisation_filter(user=request.user, params=params),
        headers=ORGANISATION_HEADERS,
        template="site/lists/organisations.html",
        title=_("Organisationer"),
        noun=_("organisationer"),
        downloads_prefix="organisations",
    )


@login_required
def organisations_csv(request):
    _require_role(request.user)
    rows = lists.organisations_filtered(user=request.user, params=request.GET)
    return downloads.csv_response(downloads.organisations_table(), rows)


@login_required
def organisations_xlsx(request):
    _require_role(request.user)
    rows = lists.organisations_filtered(user=request.user, params=request.GET)
    return downloads.xlsx_response(downloads.organisations_table(), rows, title=_("Organisationer"))
