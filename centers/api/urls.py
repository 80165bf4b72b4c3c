from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("locator/listing", views.listing, name="locator-listing"),
]
