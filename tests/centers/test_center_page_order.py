"""The center page reads in the order a family asks: what care, for whom, how it is paid for;
then how to reach the center; then everything SAMHSA lists; then the callback form. Data is
shown in words, and "Not listed" only where SAMHSA says nothing."""

import re
from datetime import date

import pytest
from django.utils import translation

from centers.importer.editions import Edition, edition_titles
from centers.models import Center, Service, ServiceCategory
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def services(*codes: tuple[str, str, str]) -> list[Service]:
    """``(category code, service code, name)`` triples as SAMHSA service codes."""
    made = []
    for category_code, code, name in codes:
        category, _ = ServiceCategory.objects.get_or_create(
            code=category_code, defaults={"name": f"Category {category_code}"}
        )
        made.append(Service.objects.create(code=code, name=name, category=category))
    return made


@pytest.fixture
def center():
    center = make_center(
        name="Harbor Light",
        city="Oakland",
        state="CA",
        zip_code="94607",
        phone="+15105550123",
        last_verified=date(2026, 11, 2),
        therapies=["cbt"],
        care_settings=["residential", "outpatient"],
        payment_options=["medicaid"],
        populations=["adolescents"],
        languages=["spanish"],
    )
    center.street = "40 Water Street"
    center.intake_phone = "+15105550124"
    center.website = "https://harbor-light.example.org/"
    center.samhsa_editions = ["su-2022", "mh-2023"]
    center.save()
    center.services.set(
        services(
            ("TAP", "CBT", "Cognitive behavioral therapy"),
            (
                "TC",
                "SUMH",
                "Treatment for co-occurring substance use plus either serious mental "
                "health illness in adults/serious emotional disturbance in children",
            ),
        )  # fmt: skip
    )
    return center


def positions(body: str, *markers: str) -> list[int]:
    found = [body.find(marker) for marker in markers]
    assert -1 not in found, dict(zip(markers, found, strict=True))
    return found


def test_facts_come_first_then_how_to_reach_it_then_samhsa_then_the_callback(client, center):
    body = client.get(center.get_absolute_url()).text
    order = positions(
        body,
        'class="paid-badge"' if 'class="paid-badge"' in body else "<h1>",
        'id="summary-heading"',
        'id="contact-heading"',
        'id="services-heading"',
        'id="callback-heading"',
        'id="report-heading"',
    )
    assert order == sorted(order)
    # Within the facts: care settings, therapies, medications, payment, who it serves, languages.
    facts = body[body.index('id="summary-heading"') : body.index('id="contact-heading"')]
    labels = re.findall(r"<dt>([^<]+)</dt>", facts)
    assert labels[:6] == [
        "Care settings", "Therapies", "Medications", "Payment accepted", "Serves", "Languages",
    ]  # fmt: skip
    # How to reach it: phones, website, address, directions.
    contact = body[body.index('id="contact-heading"') : body.index('id="services-heading"')]
    order = positions(
        contact,
        'href="tel:+15105550124"',
        'href="tel:+15105550123"',
        "https://harbor-light.example.org/",
        "40 Water Street",
        "openstreetmap.org/directions?to=40+Water+Street%2C+Oakland%2C+CA+94607",
    )
    assert order == sorted(order)


def test_the_free_lines_stay_at_the_top_and_bottom(client, center):
    body = client.get(center.get_absolute_url()).text
    assert body.index('class="free-lines"') < body.index("<h1>")
    assert body.rindex('href="tel:+18006624357"') > body.index('id="report-heading"')


def test_editions_are_named_in_words_never_as_codes(client, center):
    body = client.get(center.get_absolute_url()).text
    assert (
        "Source: SAMHSA directory of mental health facilities, 2023; SAMHSA directory of " in body
    )
    assert "substance use treatment facilities, 2022." in body
    assert "su-2022" not in body and "mh-2023" not in body
    spanish = client.get(f"/es{center.get_absolute_url()}").text
    assert "directorio de SAMHSA de centros de salud mental, 2023" in spanish


def test_edition_titles_newest_first_and_unknown_labels_kept():
    assert Edition.parse("mh-2023").title == "SAMHSA directory of mental health facilities, 2023"
    assert edition_titles(["su-2021", "su-2022", "typed-by-hand", "su-2022"]) == [
        "SAMHSA directory of substance use treatment facilities, 2022",
        "SAMHSA directory of substance use treatment facilities, 2021",
        "typed-by-hand",
    ]
    with translation.override("es"):
        assert edition_titles(["su-2022"]) == [
            "directorio de SAMHSA de centros de tratamiento por consumo de sustancias, 2022"
        ]


def fact(body: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", body)
    assert match, label
    return match[1]


def test_not_listed_only_where_samhsa_says_nothing(client):
    center = make_center(therapies=[], care_settings=["outpatient"])
    # No therapy of ours, but SAMHSA lists approaches: its words are shown, not "Not listed".
    center.services.set(
        services(("TAP", "RELP", "Relapse prevention"), ("TAP", "ANG", "Anger management"))
    )
    body = client.get(center.get_absolute_url()).text
    therapies = fact(body, "Therapies")
    assert "Anger management, Relapse prevention" in therapies  # SAMHSA's reference order
    assert "(SAMHSA's words)" in therapies
    assert "Not listed" not in therapies
    # SAMHSA lists no medication: said so, with a way to correct it.
    medications = fact(body, "Medications")
    assert medications.startswith("Not listed")
    assert '<a href="#report">Report a correction</a>' in medications
    assert 'id="report"' in body
    # Every center treats in English; never "Not listed" there.
    assert fact(body, "Languages") == "English"


def test_a_long_service_name_is_kept_whole_in_its_column(client, center):
    body = client.get(center.get_absolute_url()).text
    assert '<div class="service-group">' in body
    with open("static/css/site.css") as stylesheet:
        css = stylesheet.read()
    assert re.search(r"\.service-group \{[^}]*break-inside: avoid", css)
    assert re.search(r"\.services li \{[^}]*break-inside: avoid", css)


def test_the_spanish_page_has_the_same_order_and_spanish_words(client, center):
    body = client.get(f"/es{center.get_absolute_url()}").text
    order = positions(
        body,
        'id="summary-heading">De un vistazo',
        'id="contact-heading">Cómo comunicarse',
        'id="services-heading"',
        'id="callback-heading"',
    )
    assert order == sorted(order)
    assert "Cómo llegar (OpenStreetMap)" in body
    assert "Fuente: directorio de SAMHSA" in body
    no_medication = fact(body, "Medicamentos")
    assert no_medication.startswith("No indicado")
    assert "Informe una corrección" in no_medication


def test_a_center_with_no_phone_or_street_still_says_how_to_reach_it(client):
    center = make_center(city="Bisbee", state="AZ", zip_code="85603")
    Center.objects.filter(pk=center.pk).update(phone="")
    body = client.get(center.get_absolute_url()).text
    contact = body[body.index('id="contact-heading"') : body.index('id="report-heading"')]
    assert "No phone number listed." in contact
    assert '<a href="#report">Report a correction</a>' in contact
    assert "tel:" not in contact
    assert "Bisbee, AZ 85603" in contact
    assert "openstreetmap.org/directions?to=Bisbee%2C+AZ+85603" in contact
