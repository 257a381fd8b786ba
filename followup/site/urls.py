"""URLs of the review site (Swedish paths: the users are Swedish)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from followup.site.views import start

app_name = "site"

urlpatterns = [
    path("", start.start, name="start"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
]
