from django.contrib import admin
from django.urls import include, path

from directory import views

admin.site.site_header = "Treatment directory administration"
admin.site.site_title = "Treatment directory admin"

urlpatterns = [
    path("", include("centers.urls")),
    path("", include("helplines.urls")),
    path("", include("centers.api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
