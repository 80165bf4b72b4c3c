from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("locator/listing", views.listing, name="locator-listing"),
    path("api/", views.docs, name="docs"),
    path("api/openapi.json", views.openapi_document, name="openapi"),
    path("api/hsds/", views.hsds_root, name="hsds-root"),
    path("api/hsds/services", views.hsds_services, name="hsds-services"),
    path("api/hsds/services/<str:object_id>", views.hsds_service, name="hsds-service"),
    path("api/hsds/organizations", views.hsds_organizations, name="hsds-organizations"),
    path(
        "api/hsds/organizations/<str:object_id>",
        views.hsds_organization,
        name="hsds-organization",
    ),
]
