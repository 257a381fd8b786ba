"""URLs of the review site (Swedish paths: the users are Swedish)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from followup.site.views import (
    counties,
    imports,
    lists,
    open_data,
    profile,
    register,
    rounds,
    start,
)

app_name = "site"

urlpatterns = [
    path("", start.start, name="start"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/profil/", profile.profile, name="profile"),
    path("konto/profil/api-nycklar/", profile.api_token_new, name="api_token_new"),
    path(
        "konto/profil/api-nycklar/<int:pk>/aterkalla/",
        profile.api_token_revoke_view,
        name="api_token_revoke",
    ),
    # Open data: each year's package, public (no login).
    path("oppna-data/", open_data.open_data_page, name="open_data"),
    path("oppna-data/<int:year>.zip", open_data.open_data_zip, name="open_data_zip"),
    # A round: the board, the comparisons, a county's page, its review steps and workbooks.
    path("omgang/<int:year>/", rounds.round_board, name="board"),
    path("omgang/<int:year>/sammanstallning.xlsx", rounds.national_workbook, name="national_xlsx"),
    path("omgang/<int:year>/rapportutkast.docx", rounds.report_document, name="report_docx"),
    path("omgang/<int:year>/jamforelse/", rounds.assessment_matrix, name="matrix"),
    path("omgang/<int:year>/finansiering/", rounds.financing, name="financing"),
    path("omgang/<int:year>/lan/<str:code>/", counties.county_page, name="county"),
    path(
        "omgang/<int:year>/lan/<str:code>/granskning/",
        counties.county_workflow,
        name="county_workflow",
    ),
    path("omgang/<int:year>/lan/<str:code>/paminn/", counties.county_remind, name="county_remind"),
    path(
        "omgang/<int:year>/lan/<str:code>/kommentarer/",
        counties.county_comment_add,
        name="county_comment_add",
    ),
    path(
        "omgang/<int:year>/lan/<str:code>/kommentarer/<int:pk>/",
        counties.county_comment,
        name="county_comment",
    ),
    path(
        "omgang/<int:year>/lan/<str:code>/sammanstallning.xlsx",
        counties.county_workbook,
        name="county_xlsx",
    ),
    path(
        "omgang/<int:year>/lan/<str:code>/presentation.docx",
        counties.county_report_document,
        name="county_docx",
    ),
    # Import of projects from Excel, for those who may import into the county.
    path(
        "omgang/<int:year>/lan/<str:code>/importera/",
        imports.county_import,
        name="county_import",
    ),
    path(
        "omgang/<int:year>/lan/<str:code>/importera/spara/",
        imports.county_import_confirm,
        name="county_import_confirm",
    ),
    path("lan/<str:code>/utveckling/", counties.county_development, name="development"),
    path("lan/<str:code>/importmall.xlsx", imports.import_template, name="import_template"),
    # The register's detail pages, scoped as the lists are (another county's answers 404).
    path("projekt/<int:pk>/", register.project_page, name="project"),
    path("organisationer/<int:pk>/", register.organisation_page, name="organisation"),
    path("partnerskap/<int:pk>/", register.partnership_page, name="partnership"),
    path("kluster/<int:pk>/", register.cluster_page, name="cluster"),
    # Filtered lists and their downloads (same GET parameters as the page): one view each.
    *(
        route
        for name, site_list in lists.LISTS.items()
        for route in (
            path(f"{site_list.path}/", lists.list_page, {"name": name}, name=name),
            *(
                path(
                    f"{site_list.path}/{site_list.path}.{kind}",
                    lists.list_download,
                    {"name": name, "kind": kind},
                    name=f"{name}_{kind}",
                )
                for kind in ("csv", "xlsx")
            ),
        )
    ),
]
