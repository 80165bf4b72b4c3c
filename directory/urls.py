from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from centers.views import locator_outline
from directory import views
from directory.sitemaps import SITEMAPS

admin.site.site_header = "Treatment directory administration"
admin.site.site_title = "Treatment directory admin"

# The public pages in English at the root and in Spanish under /es/. The API, health check and
# admin stay language-free: their URLs are what other software and Twilio have been given.
urlpatterns = i18n_patterns(
    path("", include("centers.urls")),
    path("", include("helplines.urls")),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("", include("centers.portal.urls")),
    prefix_default_language=False,
) + [
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/section.xml"},
        name="sitemap-section",
    ),
    path("", include("centers.api.urls")),
    # The same in every language: one copy for browsers and CDNs to keep.
    path("outlines/<slug:name>.svg", locator_outline, name="locator-outline"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
