"""Any text, of any length, in any field of the claim, sign-in and portal forms gets an answer
that is not a server error, and the deploy checks say what is missing."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from centers.portal.checks import claim_calls_configured
from tests.factories import make_center

from .conftest import make_manager

TEXT = st.text(st.characters(codec="utf-8"), max_size=3000) | st.sampled_from(
    ["", "\x00", "<script>alert(1)</script>", "9" * 400, "\u202e\ufeff", "%00", "../../etc"]
)
FIELDS = {
    "claim": ["name", "email", "role", "confirm", "website"],
    "code": ["code"],
    "sign-in": ["email", "next"],
    "availability": ["availability-availability", "availability-wait_days"],
    "hours": ["hours-opens_0", "hours-closes_0", "hours-opens_6", "hours-closes_6"],
    "details": ["details-website", "details-description", "details-intake_phone"],
    "corrections": ["corrections-name", "corrections-state", "corrections-zip_code",
                    "corrections-phone", "corrections-street", "corrections-city"],
}  # fmt: skip


@pytest.mark.django_db
@examples(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=st.sampled_from(sorted(FIELDS)), values=st.lists(TEXT, min_size=7, max_size=7))
def test_no_form_answers_with_a_server_error(client, fake_twilio, form, values):
    center = make_center(phone="+12175550111")
    manager = make_manager(center)
    data = dict(zip(FIELDS[form], values, strict=False))
    if form == "claim":
        url = reverse("portal:claim", args=[center.slug])
    elif form == "code":
        client.post(reverse("portal:claim", args=[center.slug]), {
            "name": "A", "email": "a@x.example", "role": "Nurse", "confirm": "on"})  # fmt: skip
        url = reverse("portal:claim-code")
    elif form == "sign-in":
        url = reverse("portal:sign-in")
    else:
        client.force_login(manager.user)
        url = reverse("portal:center", args=[center.slug])
        data["section"] = form

    response = client.post(url, data)

    assert response.status_code < 500
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_deploy_checks_name_what_claims_and_emails_need(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    settings.CLAIM_CALLER_ID = ""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

    warnings = claim_calls_configured(None)

    assert [w.id for w in warnings] == ["portal.W002", "portal.W001"]
    assert "TWILIO_ACCOUNT_SID" in warnings[1].msg and "CLAIM_CALLER_ID" in warnings[1].msg
    settings.TWILIO_ACCOUNT_SID, settings.CLAIM_CALLER_ID = "AC1", "+12025550100"
    settings.TWILIO_AUTH_TOKEN, settings.SITE_URL = "token", "https://x.example"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    assert claim_calls_configured(None) == []
