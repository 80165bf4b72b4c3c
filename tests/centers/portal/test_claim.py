"""Claiming a listing: a call to the phone already on it, a code, and what the code grants."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from centers.models import CenterManager, Claim
from tests.centers.test_center_page_queries import CENTER_PAGE_QUERIES
from tests.factories import make_advertiser, make_center

from .conftest import CALLER_ID, make_manager

pytestmark = pytest.mark.django_db

CLAIMANT = {
    "name": "Ana Ruiz",
    "email": "ana@harbor.example",
    "role": "Intake coordinator",
    "confirm": "on",
    "website": "",
}


def claim(client, center, **changes: str):
    return client.post(reverse("portal:claim", args=[center.slug]), {**CLAIMANT, **changes})


def enter(client, code: str):
    return client.post(reverse("portal:claim-code"), {"code": code})


def test_every_center_page_invites_its_center_to_claim_it(client, django_assert_num_queries):
    center = make_center(phone="+12175550111")

    with django_assert_num_queries(CENTER_PAGE_QUERIES):  # unchanged by the invitation
        response = client.get(center.get_absolute_url())

    assert "Is this your center?" in response.text
    assert reverse("portal:claim", args=[center.slug]) in response.text
    assert response["Cache-Control"].startswith("public")


def test_the_claim_page_names_the_number_it_will_call(client, django_assert_num_queries):
    center = make_center(phone="+12175550111")

    with django_assert_num_queries(2):  # the center, the footer's helplines
        response = client.get(reverse("portal:claim", args=[center.slug]))

    assert "(217) 555-0111" in response.text
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.text


def test_a_claim_calls_the_listing_phone_with_the_code_and_who_asked(client, fake_twilio):
    center = make_center(name="Harbor Recovery", phone="+12175550111;ext=12")

    response = claim(client, center, phone="+12025550199")  # a typed number is ignored

    assert response.status_code == 302
    [call] = fake_twilio.calls
    assert call["To"] == "+12175550111"
    assert call["SendDigits"] == "ww12"
    assert call["From"] == CALLER_ID
    twiml = call["Twiml"]
    assert "Ana Ruiz" in twiml and "Intake coordinator" in twiml and "ana@harbor.example" in twiml
    assert "Harbor Recovery" in twiml
    code = fake_twilio.codes()[0]
    assert twiml.count(", ".join(code)) == 2  # read twice
    made = Claim.objects.get()
    assert made.status == Claim.Status.AWAITING_CODE
    assert code not in made.code_hash and made.code_matches(code)
    assert made.phone_called == "+12175550111;ext=12"


def test_the_right_code_makes_a_manager_and_emails_a_sign_in_link(client, fake_twilio):
    center = make_center(phone="+12175550111")
    claim(client, center)

    response = enter(client, " ".join(fake_twilio.codes()[0][:3] + fake_twilio.codes()[0][3:]))

    assert response.status_code == 200
    assert "You now manage the listing" in response.text
    manager = CenterManager.objects.get()
    assert (manager.center, manager.user.email, manager.role) == (
        center, "ana@harbor.example", "Intake coordinator",
    )  # fmt: skip
    assert not manager.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["ana@harbor.example"]
    assert "/manage/sign-in/link/?sesame=" in message.body


def test_wrong_codes_count_down_then_lock_the_claim(client, fake_twilio):
    center = make_center(phone="+12175550111")
    claim(client, center)
    right = fake_twilio.codes()[0]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    answers = [enter(client, wrong) for _ in range(5)]

    assert [a.status_code for a in answers] == [400] * 5
    assert "You have 4 more tries" in answers[0].text
    assert "You have 1 more try" in answers[3].text
    assert "Too many wrong codes" in answers[4].text
    assert "Too many wrong codes" in enter(client, right).text
    assert Claim.objects.get().status == Claim.Status.LOCKED
    assert not CenterManager.objects.exists()


def test_a_code_expires_after_ten_minutes(client, fake_twilio):
    center = make_center(phone="+12175550111")
    claim(client, center)
    Claim.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))

    response = enter(client, fake_twilio.codes()[0])

    assert response.status_code == 400
    assert "expired" in response.text
    assert not CenterManager.objects.exists()


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", "١٢٣٤٥٦", "x" * 5000])
def test_a_code_that_is_not_six_digits_is_refused_without_costing_a_try(client, fake_twilio, code):
    center = make_center(phone="+12175550111")
    claim(client, center)

    response = enter(client, code)

    assert response.status_code == 400
    assert Claim.objects.get().attempts == 0


def test_a_listing_phone_is_called_at_most_three_times_a_day(client, fake_twilio):
    center = make_center(phone="+12175550111")

    answers = [claim(client, center, email=f"p{n}@x.example") for n in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 400]
    assert "already been called three times today" in answers[3].text
    assert len(fake_twilio.calls) == 3
    Claim.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert claim(client, center).status_code == 302


def test_claims_from_one_client_are_limited(client, fake_twilio):
    centers = [make_center() for _ in range(6)]

    answers = [claim(client, center) for center in centers]

    assert [a.status_code for a in answers] == [302] * 5 + [400]
    assert "Too many claims from here" in answers[5].text
    assert len(fake_twilio.calls) == 5


def test_a_twilio_failure_is_explained_and_not_counted(client, fake_twilio):
    center = make_center(phone="+12175550111")
    fake_twilio.fail_with = 500

    response = claim(client, center)

    assert response.status_code == 400
    assert "We could not place the call just now" in response.text
    assert "Ana Ruiz" in response.text  # what was typed is kept
    assert Claim.objects.get().status == Claim.Status.CALL_FAILED
    fake_twilio.fail_with = None
    assert [claim(client, center).status_code for _ in range(3)] == [302] * 3


def test_an_unreachable_twilio_is_explained(client, fake_twilio, settings):
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    center = make_center(phone="+12175550111")

    response = claim(client, center)

    assert response.status_code == 400
    assert "We could not place the call just now" in response.text


def test_without_twilio_settings_the_claim_is_explained(client, settings):
    settings.TWILIO_ACCOUNT_SID = ""
    center = make_center(phone="+12175550111")

    response = claim(client, center)

    assert response.status_code == 400
    assert "We could not place the call just now" in response.text


def test_a_listing_without_a_phone_cannot_be_claimed_by_phone(client, fake_twilio):
    center = make_center()
    center.phone = ""
    center.save()

    page = client.get(reverse("portal:claim", args=[center.slug]))
    response = claim(client, center)

    assert "no phone number we can call" in page.text
    assert response.status_code == 400
    assert fake_twilio.calls == []


def test_a_paid_advertisers_listing_goes_to_an_editor(client, fake_twilio):
    advertiser = make_advertiser()
    claim(client, advertiser.center)

    response = enter(client, fake_twilio.codes()[0])

    assert "An editor checks claims" in response.text
    made = Claim.objects.get()
    assert (made.status, made.review_reason) == (Claim.Status.REVIEW, Claim.Review.PAID)
    assert not CenterManager.objects.exists()
    assert mail.outbox == []


def test_a_second_claim_on_a_managed_listing_goes_to_an_editor(client, fake_twilio):
    center = make_center(phone="+12175550111")
    make_manager(center)
    claim(client, center)

    enter(client, fake_twilio.codes()[0])

    made = Claim.objects.get()
    assert (made.status, made.review_reason) == (Claim.Status.REVIEW, Claim.Review.MANAGED)
    assert CenterManager.objects.count() == 1
    # The current manager hears who else asked, in case the claimant is not at the center.
    [message] = mail.outbox
    assert message.to == [CenterManager.objects.get().user.email]
    assert "Ana Ruiz, Intake coordinator, ana@harbor.example" in message.body


def test_hostile_text_is_stripped_of_controls_and_escaped(client, fake_twilio):
    center = make_center(phone="+12175550111")

    claim(client, center, name="Ana\x07 <script>alert(1)</script>\x1b", role="Director\u202e")
    response = enter(client, "000000")

    made = Claim.objects.get()
    assert made.name == "Ana <script>alert(1)</script>"
    assert made.role == "Director\u202e"  # a format character, not a control: kept, escaped
    assert "<script>alert(1)" not in fake_twilio.calls[0]["Twiml"]
    assert "&lt;script&gt;" in fake_twilio.calls[0]["Twiml"]
    assert "<script>" not in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "x" * 101}, "at most 100 characters"),
        ({"email": "a" * 140 + "@example.com"}, "at most 150 characters"),
        ({"email": "not an address"}, "Enter a valid email address"),
        ({"role": "\x07\x01"}, "only invisible characters"),
        ({"name": "Ana\x00"}, "Null characters are not allowed"),
        ({"confirm": ""}, "confirm that you work at this center"),
    ],
)
def test_bad_claims_get_clear_errors_and_no_call(client, fake_twilio, changes, message):
    center = make_center(phone="+12175550111")

    response = claim(client, center, **changes)

    assert response.status_code == 400
    assert message in response.text
    assert fake_twilio.calls == []


def test_a_bot_filling_the_hidden_field_is_not_called_back(client, fake_twilio):
    center = make_center(phone="+12175550111")

    response = claim(client, center, website="http://spam.example")

    assert response.status_code == 302
    assert fake_twilio.calls == []
    assert not Claim.objects.exists()


def test_a_claim_in_spanish_is_spoken_in_spanish(client, fake_twilio):
    center = make_center(phone="+12175550111")

    response = client.post(f"/es{reverse('portal:claim', args=[center.slug])}", CLAIMANT)

    assert response.status_code == 302
    twiml = fake_twilio.calls[0]["Twiml"]
    assert 'language="es-MX"' in twiml and "El código es" in twiml
    assert Claim.objects.get().language == "es"


def test_the_code_page_without_a_claim_says_where_to_start(client):
    response = client.get(reverse("portal:claim-code"))

    assert response.status_code == 404
    assert "No claim in progress" in response.text


def test_codes_guessed_from_one_client_are_limited_across_claims(client, fake_twilio):
    for n in range(5):
        claim(client, make_center(), email=f"p{n}@x.example")
        for _ in range(4):
            enter(client, "000000")  # session holds the latest claim

    response = enter(client, "000000")

    assert "Too many codes tried from here" in response.text
    assert Claim.objects.filter(attempts__gt=0).count() == 5


def test_the_call_is_authenticated_as_the_account(client, fake_twilio):
    import base64

    from .conftest import ACCOUNT_SID, AUTH_TOKEN

    claim(client, make_center(phone="+12175550111"))

    expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert fake_twilio.auth == [f"Basic {expected}"]
