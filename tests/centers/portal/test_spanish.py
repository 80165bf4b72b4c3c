"""The claim pages and the portal read in Spanish under /es/."""

import pytest
from django.urls import reverse
from django.utils import translation

from centers.edits import edit_as_manager
from tests.factories import make_center
from tests.test_spanish_pages import VisibleText, english_words

from .conftest import make_manager

pytestmark = pytest.mark.django_db


def spanish(path: str) -> str:
    with translation.override("es"):
        return path


def english_on(response, *names: str) -> set[str]:
    parser = VisibleText()
    parser.feed(response.text)
    return english_words(" ".join(parser.parts), [n for n in names if n])


def test_the_claim_pages_read_in_spanish(client, fake_twilio):
    center = make_center(name="Harbor Recovery", phone="+12175550111")
    exempt = (center.name, center.city, "ana@harbor.example", "Ana Ruiz")
    with translation.override("es"):
        claim_url = reverse("portal:claim", args=[center.slug])
        code_url = reverse("portal:claim-code")
        sign_in_url = reverse("portal:sign-in")

    pages = {
        "claim": client.get(claim_url),
        "claim errors": client.post(claim_url, {"name": "", "email": "x"}),
        "sign in": client.get(sign_in_url),
        "sign in sent": client.post(sign_in_url, {"email": "ana@harbor.example"}),
    }
    client.post(claim_url, {"name": "Ana Ruiz", "email": "ana@harbor.example",
                            "role": "Directora", "confirm": "on"})  # fmt: skip
    pages["code"] = client.get(code_url)
    pages["wrong code"] = client.post(code_url, {"code": "000000"})
    pages["verified"] = client.post(code_url, {"code": fake_twilio.codes()[0]})

    english = {name: english_on(page, *exempt) for name, page in pages.items()}
    assert {name: words for name, words in english.items() if words} == {}
    assert "Le quedan 4 intentos" in pages["wrong code"].text


def test_the_portal_reads_in_spanish(client):
    center = make_center(name="Harbor Recovery", phone="+12175550111")
    manager = make_manager(center, email="ana@harbor.example", language="es")
    edit_as_manager(
        center_id=center.pk,
        user=manager.user,
        values={"availability": "waiting_list", "wait_days": 10, "name": "Harbor Center"},
    )
    client.force_login(manager.user)
    with translation.override("es"):
        urls = [
            reverse("portal:home"),
            reverse("portal:center", args=[center.slug]),
            reverse("portal:still-accurate", args=[center.slug]),
        ]
    exempt = (center.name, center.city, center.street, "ana@harbor.example")

    pages = {url: client.get(url) for url in urls}
    pages["errors"] = client.post(urls[1], {"section": "hours", "hours-opens_0": "nine"})

    english = {url: english_on(page, *exempt) for url, page in pages.items()}
    assert {url: words for url, words in english.items() if words} == {}
    assert "Nuevos pacientes" in pages[urls[1]].text
    assert "Pendiente de un editor" in pages[urls[1]].text
