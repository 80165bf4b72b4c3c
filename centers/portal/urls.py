from django.urls import path

from centers.portal import views

app_name = "portal"

urlpatterns = [
    path("centers/<slug:slug>/claim/", views.claim, name="claim"),
    path("claim/code/", views.claim_code, name="claim-code"),
    path("manage/sign-in/", views.sign_in, name="sign-in"),
    path("manage/sign-in/link/", views.sign_in_link, name="sign-in-link"),
    path("manage/sign-out/", views.sign_out, name="sign-out"),
    path("manage/", views.home, name="home"),
    path("manage/centers/<slug:slug>/", views.center, name="center"),
    path("manage/centers/<slug:slug>/still-accurate/", views.still_accurate, name="still-accurate"),
]
