from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def claim_calls_configured(app_configs, **kwargs) -> list[Warning]:
    """Without a Twilio account and caller id, nobody can claim a listing."""
    missing = [
        name
        for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "CLAIM_CALLER_ID", "SITE_URL")
        if not getattr(settings, name)
    ]
    warnings = []
    if settings.MAILERS["default"]["BACKEND"].endswith("console.EmailBackend"):
        warnings.append(
            Warning(
                "EMAIL_HOST is not set: sign-in links, reminders and report emails are only "
                "printed to the console.",
                id="portal.W002",
            )
        )
    if not missing:
        return warnings
    return [
        *warnings,
        Warning(
            f"{', '.join(missing)} not set: centers cannot claim their listings (the claim page "
            "says so) and emails carry no links.",
            id="portal.W001",
        ),
    ]
