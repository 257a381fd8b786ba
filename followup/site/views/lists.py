"""The filtered lists — projects, observations, organisations — and their downloads.

Every view asks the selector (``followup.selectors.lists``) for its rows, which are already
scoped by ``access.visible``; a download of a list is the same selector with the same GET
parameters, so it holds exactly the rows the page lists, page by page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from core.parameters import refused_as_bad_request
from followup.selectors import lists
from followup.site import list_files
from followup.site.views.common import role_required

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
    """Counts rows with a query of its own: the same filters, without a costly sort order (or
    takes the count the list's totals have already made)."""

    def __init__(self, object_list, per_page, *, count_queryset, count=None):
        super().__init__(object_list, per_page)
        self.count_queryset = count_queryset
        if count is not None:
            self.__dict__["count"] = count  # the cached_property below, already known

    @cached_property
    def count(self):
        return self.count_queryset.count()


def _list_page(
    request, *, build, headers, template, title, noun, downloads_prefix, rows=None, totals=None
):
    """A list page: ``build(params)`` is the selector's FilterSet for the user; ``totals``, where
    the list has them, sums every filtered row (not the page's only) and counts them too."""
    filterset = build(request.GET)
    count_queryset = filterset.qs
    if request.GET.get("ordering"):
        # Sorting by a sum (decided total) needs every group; counting the rows does not.
        unsorted = request.GET.copy()
        unsorted.pop("ordering")
        count_queryset = build(unsorted).qs
    sums = totals(count_queryset) if totals is not None else None
    paginator = _Paginator(
        filterset.qs,
        lists.PAGE_SIZE,
        count_queryset=count_queryset,
        count=sums["count"] if sums is not None else None,
    )
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
            "totals": sums,
            "is_filtered": any(value for name, value in query.items() if name != "ordering"),
            "csv_url": reverse(f"site:{downloads_prefix}_csv") + query_string,
            "xlsx_url": reverse(f"site:{downloads_prefix}_xlsx") + query_string,
        },
    )


# --- the lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteList:
    """One filtered list of the site and its downloads: which selector gives its rows (already
    scoped by ``access.visible``), how they are headed, and what the downloads write."""

    path: str  # the page's address, /<path>/, and its files, /<path>/<path>.csv|.xlsx
    title: str
    noun: str
    headers: list[Header]
    template: str
    filterset: Callable  # (user=, params=) → the FilterSet of the page
    rows: Callable  # (user=, params=) → the rows of the downloads
    table: Callable  # () → the downloads' columns
    page_rows: Callable | None = None  # a page's rows, when the page adds to the FilterSet's
    totals: Callable | None = None  # (queryset) → the sums of every filtered row, and their count


LISTS = {
    "projects": SiteList(
        path="projekt",
        title=gettext_lazy("Projekt"),
        noun=gettext_lazy("projekt"),
        headers=PROJECT_HEADERS,
        template="site/lists/projects.html",
        filterset=lists.project_filter,
        rows=lists.projects_filtered,
        table=list_files.projects_table,
        page_rows=lists.project_page_rows,
        totals=lists.project_totals,
    ),
    "observations": SiteList(
        path="iakttagelser",
        title=gettext_lazy("Iakttagelser"),
        noun=gettext_lazy("iakttagelser"),
        headers=OBSERVATION_HEADERS,
        template="site/lists/observations.html",
        filterset=lists.observation_filter,
        rows=lists.observations_filtered,
        table=list_files.observations_table,
    ),
    "organisations": SiteList(
        path="organisationer",
        title=gettext_lazy("Organisationer"),
        noun=gettext_lazy("organisationer"),
        headers=ORGANISATION_HEADERS,
        template="site/lists/organisations.html",
        filterset=lists.organisation_filter,
        rows=lists.organisations_filtered,
        table=list_files.organisations_table,
    ),
}


@role_required
def list_page(request, name: str):
    """A list page: its FilterSet's rows for the user, page by page, sortable by column."""
    site_list = LISTS[name]
    # The FilterSets validate every parameter; a value that still reaches the database out of
    # its range answers 400, never 500 (core.parameters).
    with refused_as_bad_request(request):
        return _list_page(
            request,
            build=lambda params: site_list.filterset(user=request.user, params=params),
            headers=site_list.headers,
            template=site_list.template,
            title=str(site_list.title),
            noun=str(site_list.noun),
            downloads_prefix=name,
            rows=site_list.page_rows,
            totals=site_list.totals,
        )


@role_required
def list_download(request, name: str, kind: str):
    """The list's rows, as the page filters them, as a CSV file or a workbook."""
    site_list = LISTS[name]
    rows = site_list.rows(user=request.user, params=request.GET)
    with refused_as_bad_request(request):  # the file is written before it is sent
        if kind == "csv":
            return list_files.csv_response(site_list.table(), rows)
        return list_files.xlsx_response(site_list.table(), rows, title=str(site_list.title))
