"""Managers sign in with a one-time link sent by email; there is no password."""

import pytest
from django.core import mail
from django.urls import reverse
from sesame.utils import get_query_string

from tests.factories import make_center

from .conftest import make_manager, sign_in_link

pytestmark = pytest.mark.django_db


def ask(client, email: str, next_path: str = ""):
    return client.post(reverse("portal:sign-in"), {"email": email, "next": next_path})


def test_a_manager_gets_a_link_that_signs_them_in_once(client, fake_twilio):
    manager = make_manager(make_center(), email="ana@harbor.example")

    response = ask(client, "ANA@harbor.example")
    link = sign_in_link(mail.outbox[0])
    shown = client.get(link)
    assert "_auth_user_id" not in client.session  # opening the link alone signs nobody in
    signed_in = client.post(link)
    client.logout()
    again = client.post(link)

    assert "a sign-in link is on its way" in response.text
    assert mail.outbox[0].to == ["ana@harbor.example"]
    assert shown.status_code == 200 and "Sign in to manage my listing" in shown.text
    assert signed_in.status_code == 302 and signed_in.url == reverse("portal:home")
    assert again.status_code == 400 and "expired or was already used" in again.text
    manager.user.refresh_from_db()
    assert manager.user.last_login is not None


def test_the_link_returns_to_the_page_asked_for_but_never_elsewhere(client, fake_twilio):
    center = make_center()
    make_manager(center, email="ana@harbor.example")
    target = reverse("portal:still-accurate", args=[center.slug])

    ask(client, "ana@harbor.example", target)
    assert client.post(sign_in_link(mail.outbox[0])).url == target
    client.logout()
    ask(client, "ana@harbor.example", "https://evil.example/")
    assert client.post(sign_in_link(mail.outbox[1])).url == reverse("portal:home")


def test_signing_in_spends_every_link_sent_before(client):
    make_manager(make_center(), email="ana@harbor.example")
    ask(client, "ana@harbor.example")
    ask(client, "ana@harbor.example")

    assert client.post(sign_in_link(mail.outbox[1])).status_code == 302
    client.logout()
    assert client.post(sign_in_link(mail.outbox[0])).status_code == 400


@pytest.mark.parametrize("email", ["nobody@x.example", "revoked@x.example", "staff@x.example"])
def test_an_address_that_manages_nothing_gets_the_same_page_and_no_email(client, email):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    revoked = make_manager(make_center(), email="revoked@x.example")
    revoked.revoked_at = timezone.now()
    revoked.save()
    get_user_model().objects.create_user("staff", "staff@x.example", "pw", is_staff=True)

    response = ask(client, email)

    assert response.status_code == 200
    assert "a sign-in link is on its way" in response.text
    assert mail.outbox == []


def test_sign_in_requests_are_limited_per_address(client):
    make_manager(make_center(), email="ana@harbor.example")

    for _ in range(5):
        ask(client, "ana@harbor.example")

    assert len(mail.outbox) == 3


def test_a_forged_link_signs_nobody_in(client):
    make_manager(make_center(), email="ana@harbor.example")

    response = client.post(reverse("portal:sign-in-link") + "?sesame=AAAAforged")

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_bad_address_gets_a_clear_error(client):
    response = ask(client, "x" * 200 + "@example.com")

    assert response.status_code == 400
    assert "at most 150 characters" in response.text


def test_the_portal_asks_to_sign_in_first(client):
    center = make_center()

    response = client.get(reverse("portal:still-accurate", args=[center.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:sign-in") + "?next=")


def test_signing_out(client):
    manager = make_manager(make_center())
    client.force_login(manager.user)

    response = client.post(reverse("portal:sign-out"))

    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 302


def test_a_staff_account_that_manages_a_center_never_signs_in_by_link(client):
    manager = make_manager(make_center(), email="boss@harbor.example")
    manager.user.is_staff = True
    manager.user.save()

    ask(client, "boss@harbor.example")
    response = client.post(reverse("portal:sign-in-link") + get_query_string(manager.user))

    assert mail.outbox == []
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
