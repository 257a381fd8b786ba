"""URLs of the review site (Swedish paths: the users are Swedish)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from followup.site.views import lists, start

app_name = "site"

urlpatterns = [
    path("", start.start, name="start"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
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
