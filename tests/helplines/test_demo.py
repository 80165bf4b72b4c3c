"""helplines.demo: the fictional data `make demo` loads."""

import re

import pytest

from helplines.demo import create_demo_helplines
from helplines.models import Advertiser, BusinessHours, Call, CallAttempt, Disclosure, Helpline
from tests.factories import make_center

pytestmark = pytest.mark.django_db

FICTIONAL = re.compile(r"^\+1\d{3}5550(1\d\d)$")


@pytest.fixture
def centers():
    return [make_center(name=f"Demo Center {n}") for n in range(4)]


def test_four_helplines_three_advertisers_one_disclosure(centers):
    create_demo_helplines(centers=centers)
    assert list(Helpline.objects.values_list("label", "language")) == [
        ("Detox helpline", "en"),
        ("Rehab helpline", "en"),
        ("Addiction helpline", "en"),
        ("Línea de ayuda en español", "es"),
    ]
    assert Advertiser.objects.count() == 3
    assert set(Advertiser.objects.values_list("center", flat=True)) == {c.pk for c in centers[:3]}
    assert Disclosure.objects.count() == 1
    assert Call.objects.exists()


def test_every_number_is_fictional(centers, settings):
    create_demo_helplines(centers=centers)
    numbers = [
        *Helpline.objects.values_list("number", flat=True),
        *Advertiser.objects.values_list("intake_number", flat=True),
        *CallAttempt.objects.exclude(destination="fallback").values_list("number", flat=True),
    ]
    assert numbers
    assert [n for n in numbers if not FICTIONAL.match(n)] == []


def test_running_twice_changes_nothing(centers):
    create_demo_helplines(centers=centers)
    counts = [m.objects.count() for m in (Helpline, Advertiser, BusinessHours, Disclosure, Call)]
    create_demo_helplines(centers=centers)
    assert [m.objects.count() for m in (Helpline, Advertiser, BusinessHours, Disclosure, Call)] == (
        counts
    )


def test_the_disclosure_page_lists_the_demo_advertisers(client, centers):
    create_demo_helplines(centers=centers)
    html = client.get("/where-calls-go/").content.decode()
    for center in centers[:3]:
        assert center.name in html


def test_fewer_centers_fewer_advertisers():
    create_demo_helplines(centers=[make_center()])
    assert Advertiser.objects.count() == 1


def test_one_advertiser_answers_in_spanish_and_takes_the_spanish_line_s_calls(centers):
    create_demo_helplines(centers=centers)
    spanish = [a for a in Advertiser.objects.all() if a.answers_in_spanish]
    assert [a.center for a in spanish] == [centers[1]]
    spanish_calls = Call.objects.filter(helpline__language="es")
    assert spanish_calls.exists()
    assert set(spanish_calls.values_list("language", flat=True)) == {"es"}
    rung = CallAttempt.objects.filter(call__in=spanish_calls, advertiser__isnull=False)
    assert set(rung.values_list("advertiser", flat=True)) == {spanish[0].pk}


def test_the_spanish_disclosure_page_shows_the_demo_s_spanish_text(client, centers):
    create_demo_helplines(centers=centers)
    html = client.get("/es/where-calls-go/").content.decode()
    assert "Los números de ayuda generales de este sitio son publicidad pagada." in html
    assert "Línea de ayuda en español" in html
