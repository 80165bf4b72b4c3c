"""The whole claim, as a center lives it: the call, the code, the emailed link, the update."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from centers.models import Center
from tests.factories import make_center

from .conftest import ACCOUNT_SID, sign_in_link

pytestmark = pytest.mark.django_db


def test_a_center_claims_its_listing_and_says_it_has_a_ten_day_wait(client, fake_twilio):
    center = make_center(name="Harbor Recovery", phone="+12175550111")

    # The claimant follows the invitation on the center's page.
    page = client.get(center.get_absolute_url())
    claim_url = reverse("portal:claim", args=[center.slug])
    assert claim_url in page.text
    response = client.post(
        claim_url,
        {"name": "Ana Ruiz", "email": "ana@harbor.example", "role": "Intake coordinator",
         "confirm": "on", "website": ""},
    )  # fmt: skip
    assert response.status_code == 302

    # Our fake Twilio received the outbound call, authenticated, with the code in its TwiML.
    [call] = fake_twilio.calls
    assert call["To"] == "+12175550111"
    assert fake_twilio.auth[0].startswith("Basic ")
    code = fake_twilio.codes()[0]
    assert ", ".join(code) in call["Twiml"]
    assert ACCOUNT_SID not in call["Twiml"]

    # Someone at the center tells Ana the code; she enters it.
    verified = client.post(reverse("portal:claim-code"), {"code": code})
    assert "You now manage the listing" in verified.text

    # She signs in with the emailed link and says: waiting list, about 10 days.
    link = sign_in_link(mail.outbox[-1])
    assert client.post(link).url == reverse("portal:center", args=[center.slug])
    saved = client.post(
        reverse("portal:center", args=[center.slug]),
        {"section": "availability", "availability-availability": "waiting_list",
         "availability-wait_days": "10"},
    )  # fmt: skip
    assert saved.status_code == 302

    center.refresh_from_db()
    assert (center.availability, center.wait_days) == (Center.Availability.WAITING_LIST, 10)
    assert center.availability_stated_at is not None
    portal_page = client.get(reverse("portal:center", args=[center.slug])).text
    assert "Last stated on" in portal_page
    # The history says who set it.
    assert center.changes.get(field="wait_days").changed_by.email == "ana@harbor.example"

    # A second, unrelated person cannot edit the center.
    client.logout()
    stranger = get_user_model().objects.create_user("sam", "sam@elsewhere.example")
    client.force_login(stranger)
    refused = client.post(
        reverse("portal:center", args=[center.slug]),
        {"section": "availability", "availability-availability": "not_now"},
    )
    assert refused.status_code == 403
    center.refresh_from_db()
    assert center.availability == Center.Availability.WAITING_LIST
