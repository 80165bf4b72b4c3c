import pytest
from django.urls import reverse

from centers.models import ProblemReport, Service, ServiceCategory
from tests.factories import make_center


@pytest.fixture
def center(db):
    center = make_center(
        name="Bayview Recovery",
        city="San Francisco",
        state="CA",
        zip_code="94110",
        latitude=37.7509,
        longitude=-122.4153,
        phone="+14155550147;ext=12",
        therapies=["cbt"],
        care_settings=["residential", "outpatient"],
        payment_options=["medicaid"],
    )
    approaches = ServiceCategory.objects.create(code="TAP", name="Treatment Approaches")
    testing = ServiceCategory.objects.create(code="SCR", name="Testing", position=1)
    center.services.set(
        [
            Service.objects.create(
                code="CBT", name="Cognitive behavioral therapy", category=approaches
            ),
            Service.objects.create(
                code="DAUT", name="Drug or alcohol urine screening", category=testing
            ),
        ]
    )
    return center


def test_detail_shows_everything_grouped_by_samhsa_category(client, center):
    response = client.get(center.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bayview Recovery" in body
    assert "<h3>Treatment Approaches</h3>" in body
    assert "<h3>Testing</h3>" in body
    assert "Drug or alcohol urine screening" in body
    assert "offers combination care" in body


def test_detail_phone_is_a_tel_link_in_national_format(client, center):
    body = client.get(center.get_absolute_url()).content.decode()
    assert 'href="tel:+14155550147,12"' in body
    assert "(415) 555-0147 ext. 12" in body


def test_detail_links_to_openstreetmap_and_says_when_it_was_verified(client, center):
    body = client.get(center.get_absolute_url()).content.decode()
    assert "https://www.openstreetmap.org/?mlat=37.75090&amp;mlon=-122.41530" in body
    assert "Details not yet checked by the center or our editors." in body


def test_detail_query_count(client, center, django_assert_max_num_queries):
    # center + seven term prefetches + services with their categories
    with django_assert_max_num_queries(10):
        client.get(center.get_absolute_url())


def test_unknown_and_hidden_centers_are_404(client, db):
    hidden = make_center(status="hidden")
    assert client.get(reverse("centers:detail", args=["no-such-center"])).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_closed_centers_explain_themselves(client, db):
    closed = make_center(status="closed")
    response = client.get(closed.get_absolute_url())
    assert response.status_code == 200
    assert "reported as closed" in response.content.decode()


def test_problem_report_reaches_the_admin_queue(client, center):
    url = reverse("centers:report-problem", args=[center.slug])
    response = client.post(url, {"kind": "phone", "details": "Number rings out."})
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.center, report.kind, report.status) == (center, "phone", "new")
    assert "Thank you" in client.get(response.url).content.decode()


def test_problem_report_without_a_kind_keeps_what_was_typed(client, center):
    url = reverse("centers:report-problem", args=[center.slug])
    response = client.post(url, {"details": "Moved to Oak Street"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "Moved to Oak Street" in body
    assert not ProblemReport.objects.exists()


def test_problem_report_honeypot_is_thanked_but_not_stored(client, center):
    url = reverse("centers:report-problem", args=[center.slug])
    response = client.post(url, {"kind": "other", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ProblemReport.objects.exists()


def test_problem_report_rejects_overlong_details_and_bad_kinds(client, center):
    url = reverse("centers:report-problem", args=[center.slug])
    assert client.post(url, {"kind": "phone", "details": "x" * 5000}).status_code == 400
    assert client.post(url, {"kind": "hack"}).status_code == 400
    assert client.get(url).status_code == 405
    assert not ProblemReport.objects.exists()
