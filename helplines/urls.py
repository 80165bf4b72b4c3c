from django.urls import path

from . import views

app_name = "helplines"

# Included at the site root, so each path here is the full path.
urlpatterns = [
    path("helplines/voice/incoming/", views.voice_incoming, name="voice-incoming"),
    path("helplines/voice/language/", views.voice_language, name="voice-language"),
    path("helplines/voice/dial-status/", views.voice_dial_status, name="voice-dial-status"),
    path("helplines/voice/status/", views.voice_status, name="voice-status"),
    path("helplines/voice/whisper/", views.voice_whisper, name="voice-whisper"),
    path("helplines/voice/screen/", views.voice_screen, name="voice-screen"),
    path("helplines/call/<slug:slug>/", views.call, name="call"),
    path("callback/", views.callback, name="callback"),
    path("callback/sent/", views.callback_sent, name="callback-sent"),
    path("centers/<slug:slug>/callback/", views.center_callback, name="center-callback"),
    path("where-calls-go/", views.where_calls_go, name="where-calls-go"),
    path("where-calls-go/statistics/", views.call_statistics, name="statistics"),
    path("where-calls-go/history/", views.disclosure_history, name="disclosure-history"),
    path(
        "where-calls-go/history/<int:version>/",
        views.disclosure_version,
        name="disclosure-version",
    ),
]
