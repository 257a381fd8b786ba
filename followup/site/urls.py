"""URLs of the review site (Swedish paths: the users are Swedish)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from followup.site.views import counties, imports, lists, rounds, start

app_name = "site"

urlpatterns = [
    path("", start.start, name="start"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # A round: the board, the comparisons, a county's page, its review steps and workbooks.
    path("omgang/<int:year>/", rounds.round_board, name="board"),
    path("omgang/<int:year>/sammanstallning.xlsx", rounds.national_workbook, name="national_xlsx"),
    path("omgang/<int:year>/jamforelse/", rounds.assessment_matrix, name="matrix"),
    path("omgang/<int:year>/finansiering/", rounds.financing, name="financing"),
    path("omgang/<int:year>/lan/<str:code>/", counties.county_page, name="county"),
    path(
        "omgang/<int:year>/lan/<str:code>/granskning/",
        counties.county_workflow,
        name="county_workflow",
    ),
    path(
        "omgang/<int:year>/lan/<str:code>/sammanstallning.xlsx",
        counties.county_workbook,
        name="county_xlsx",
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
    # Filtered lists and their downloads (same GET parameters as the page).
    path("projekt/", lists.projects, name="projects"),
    path("projekt/projekt.csv", lists.projects_csv, name="projects_csv"),
    path("projekt/projekt.xlsx", lists.projects_xlsx, name="projects_xlsx"),
    path("iakttagelser/", lists.observations, name="observations"),
    path("iakttagelser/iakttagelser.csv", lists.observations_csv, name="observations_csv"),
    path("iakttagelser/iakttagelser.xlsx", lists.observations_xlsx, name="observations_xlsx"),
    path("organisationer/", lists.organisations, name="organisations"),
    path("organisationer/organisationer.csv", lists.organisations_csv, name="organisations_csv"),
    path("organisationer/organisationer.xlsx", lists.organisations_xlsx, name="organisations_xlsx"),
]
