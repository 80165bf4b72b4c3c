from django.urls import path

from centers import views

app_name = "centers"

urlpatterns = [
    path("", views.home, name="home"),
    path("find/", views.find, name="find"),
    path("centers/", views.center_list, name="list"),
    path("centers/map.json", views.map_points, name="map-points"),
    path("centers/<slug:slug>/", views.center_detail, name="detail"),
    path("centers/<slug:slug>/report/", views.report_problem, name="report-problem"),
    path("therapies/<slug:slug>/", views.therapy, name="therapy"),
    path("care-settings/<slug:slug>/", views.care_setting, name="care-setting"),
    path("compare/", views.compare, name="compare"),
    path("compare/tray/", views.compare_tray, name="compare-tray"),
    path("visitor/", views.visitor, name="visitor"),
    path(
        "guides/inpatient-vs-outpatient/",
        views.guide_inpatient_outpatient,
        name="guide-inpatient-outpatient",
    ),
]
