import pytest
from django.urls import reverse

from centers.models import CareSetting, TherapyType
from tests.factories import make_center


@pytest.mark.parametrize(
    "slug",
    [
        "cbt",
        "dbt",
        "contingency-management",
        "motivational-interviewing",
        "twelve-step-facilitation",
        "mat",
    ],
)
def test_every_therapy_has_a_page_in_plain_words(client, db, slug):
    therapy = TherapyType.objects.get(slug=slug)
    response = client.get(reverse("centers:therapy", args=[slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert therapy.description[:40] in body
    assert "What a session is like" in body
    assert "Who it tends to suit" in body


@pytest.mark.parametrize(
    "slug",
    [
        "inpatient",
        "residential",
        "outpatient",
        "intensive-outpatient",
        "partial-hospitalization",
        "detox",
    ],
)
def test_every_care_setting_has_a_page(client, db, slug):
    setting = CareSetting.objects.get(slug=slug)
    response = client.get(reverse("centers:care-setting", args=[slug]))
    assert response.status_code == 200
    assert setting.description[:40] in response.content.decode()


def test_term_page_lists_the_centers_that_offer_it(client, db):
    make_center(name="Offers CBT", therapies=["cbt"])
    make_center(name="Only DBT", therapies=["dbt"])
    response = client.get(reverse("centers:therapy", args=["cbt"]))
    body = response.content.decode()
    assert "Offers CBT" in body
    assert "Only DBT" not in body
    assert 'href="/centers/?therapy=cbt"' in body


def test_unknown_term_is_404(client, db):
    assert client.get(reverse("centers:therapy", args=["astrology"])).status_code == 404
    assert client.get(reverse("centers:care-setting", args=["moon"])).status_code == 404
