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
    path(
        "api/hsds/service_at_locations",
        views.hsds_service_at_locations,
        name="hsds-service-at-locations",
    ),
    path(
        "api/hsds/service_at_locations/<str:object_id>",
        views.hsds_service_at_location,
        name="hsds-service-at-location",
    ),
    path("api/hsds/taxonomies", views.hsds_taxonomies, name="hsds-taxonomies"),
    path("api/hsds/taxonomies/<str:object_id>", views.hsds_taxonomy, name="hsds-taxonomy"),
    path("api/hsds/taxonomy_terms", views.hsds_taxonomy_terms, name="hsds-taxonomy-terms"),
    path(
        "api/hsds/taxonomy_terms/<str:object_id>",
        views.hsds_taxonomy_term,
        name="hsds-taxonomy-term",
    ),
]
