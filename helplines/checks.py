"""System checks for the helpline settings: a bad value should stop a deploy, not a caller."""

from collections.abc import Iterable

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from directory import phones


@checks.register()
def fallback_number_is_dialable(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """Twilio dials the fallback as written: it must be one E.164 number, no extension."""
    number = settings.HELPLINE_FALLBACK_NUMBER
    try:
        stored = phones.normalise(number)
    except phones.InvalidPhoneNumber as error:
        stored, reason = "", str(error)
    else:
        reason = "write it in E.164 form, e.g. +18006624357"
    if ";ext=" in stored:
        stored, reason = "", "a fallback line cannot have an extension"
    if stored and stored == number:
        return []
    return [
        checks.Error(
            f"HELPLINE_FALLBACK_NUMBER {number!r} cannot be dialed: {reason}.",
            hint="Callers no advertiser can take are put through to this number.",
            id="helplines.E001",
        )
    ]


@checks.register(deploy=True)
def webhooks_can_be_verified(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    if settings.TWILIO_AUTH_TOKEN:
        return []
    return [
        checks.Warning(
            "TWILIO_AUTH_TOKEN is not set: every Twilio webhook will be refused with 403.",
            hint="Set it to the auth token of the Twilio account that owns the helpline numbers.",
            id="helplines.W001",
        )
    ]


@checks.register(deploy=True)
def cache_is_shared(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """The callback rate limit and facet counts live in the cache: one per process without
    Redis, so several gunicorn workers would each allow the full limit."""
    if not settings.REDIS_URL:
        return [
            checks.Warning(
                "REDIS_URL is not set: each process keeps its own cache, so with N processes "
                "a client may send N times the callback rate limit.",
                hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) when serving with more "
                "than one process.",
                id="helplines.W002",
            )
        ]
    try:
        import django_redis  # noqa: F401
        import redis  # noqa: F401
    except ImportError as error:
        return [
            checks.Error(
                f"REDIS_URL is set but {error.name} cannot be imported: every page using the "
                "cache would fail.",
                hint="Install the project's dependencies (pip install -e .).",
                id="helplines.E002",
            )
        ]
    return []


@checks.register()
def pause_rate_is_a_percentage(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    if 0 <= settings.HELPLINE_PAUSE_BELOW_PERCENT <= 100:
        return []
    return [
        checks.Error(
            f"HELPLINE_PAUSE_BELOW_PERCENT is {settings.HELPLINE_PAUSE_BELOW_PERCENT}: it must be "
            "a percentage, 0 to 100.",
            hint="0 turns the acceptance-rate rule off; 50 pauses an advertiser that accepted "
            "fewer than half its calls in the last hour.",
            id="helplines.E003",
        )
    ]


@checks.register(deploy=True)
def admins_hear_of_pauses(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    if settings.ADMINS:
        return []
    return [
        checks.Warning(
            "ADMINS is not set: nobody is emailed when an advertiser is paused for missed calls.",
            hint="Set ADMINS to a comma-separated list of addresses, and the EMAIL_* settings.",
            id="helplines.W003",
        )
    ]
