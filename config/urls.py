from django.contrib import admin
from django.urls import include, path

from core.health import health

urlpatterns = [
    path("halsa/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("followup.api.urls")),
    path("", include("followup.site.urls")),
]
