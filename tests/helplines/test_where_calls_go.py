"""GET /where-calls-go/ and the disclosure history: generated from live data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helplines import services
from helplines.models import Disclosure
from tests.factories import make_advertiser, make_helpline

pytestmark = pytest.mark.django_db

URL = "/where-calls-go/"


def test_url():
    assert reverse("helplines:where-calls-go") == URL


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


class TestLiveData:
    def test_lists_current_advertisers_with_their_listings_and_shares(self, client, advertisers):
        html = page(client)
        for advertiser, share in (
            (advertisers.maple, 50),
            (advertisers.birch, 30),
            (advertisers.cedar, 20),
        ):
            assert advertiser.name in html
            assert advertiser.center.get_absolute_url() in html
            assert f"<dd>{share}%</dd>" in html
        assert html.count('<span class="badge">Paid advertiser</span>') == 3

    def test_leaves_out_advertisers_that_are_not_current(self, client):
        make_advertiser(name="Lapsed Lodge", ends_on=timezone.localdate() - timedelta(days=2))
        make_advertiser(name="Paused Place", active=False)
        make_advertiser(name="Future Farm", starts_on=timezone.localdate() + timedelta(days=2))
        html = page(client)
        assert "Lapsed Lodge" not in html
        assert "Paused Place" not in html
        assert "Future Farm" not in html
        assert "No provider is advertising at the moment" in html

    def test_shows_hours_licences_and_certifications(self, client):
        advertiser = make_advertiser(name="Willow Clinic", time_zone="America/Chicago")
        advertiser.licences = "Illinois licence 000-001\nIndiana licence 000-002"
        advertiser.certifications = "Demo accreditation 0000"
        advertiser.save()
        html = page(client)
        assert "Answers calls (Central time)" in html
        assert "Monday to Sunday: 24 hours" in html
        assert "Illinois licence 000-001; Indiana licence 000-002" in html
        assert "Demo accreditation 0000" in html

    def test_lists_the_general_numbers(self, client, detox_line):
        make_helpline(label="Hidden line", active=False)
        html = page(client)
        assert 'Detox helpline: <a href="/helplines/call/' in html
        assert "(202) 555-0101" in html
        assert "Hidden line" not in html

    def test_states_the_rules_in_plain_words(self, client, settings):
        settings.HELPLINE_DIAL_TIMEOUT = 25
        html = page(client)
        assert "within 25 seconds" in html
        assert "up to 3 advertisers" in html
        assert "flat fee" in html
        assert "never depends on how many calls" in html
        assert "SAMHSA National Helpline" in html
        assert 'href="tel:988"' in html
        assert "findtreatment.gov" in html

    def test_names_a_custom_fallback_line(self, client, settings):
        settings.HELPLINE_FALLBACK_NUMBER = "+12025550111"
        assert "our fallback line, (202) 555-0111" in page(client)

    def test_query_count_does_not_grow_with_advertisers(
        self, client, advertisers, detox_line, django_assert_num_queries
    ):
        services.publish_disclosure(body="Our words.")
        # general helplines (for the header, and with their pools, two), advertisers with their
        # centers, their hours, the disclosure.
        with django_assert_num_queries(6):
            client.get(URL)
        make_advertiser()
        make_advertiser()
        with django_assert_num_queries(6):
            client.get(URL)


class TestDisclosure:
    def test_shows_the_version_in_effect(self, client):
        services.publish_disclosure(body="First words.")
        services.publish_disclosure(body="Second words.\n\nA second paragraph.")
        services.publish_disclosure(
            body="Scheduled words.", effective_from=timezone.now() + timedelta(days=3)
        )
        html = page(client)
        assert "<p>Second words.</p>" in html
        assert "<p>A second paragraph.</p>" in html
        assert "First words." not in html
        assert "Scheduled words." not in html
        assert "Version 2, in effect since" in html

    def test_text_is_escaped(self, client):
        services.publish_disclosure(body="<script>alert(1)</script>")
        html = page(client)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html

    def test_history_lists_published_versions(self, client):
        services.publish_disclosure(body="First words.", change_note="First version.")
        services.publish_disclosure(body="Second words.", change_note="Clearer fees.")
        services.publish_disclosure(
            body="Scheduled.", effective_from=timezone.now() + timedelta(days=1)
        )
        html = client.get(reverse("helplines:disclosure-history")).content.decode()
        assert "Version 2</a>" in html
        assert "Clearer fees." in html
        assert "Version 1</a>" in html
        assert "Version 3" not in html

    def test_an_old_version_stays_readable_and_says_it_was_replaced(self, client):
        first = services.publish_disclosure(body="First words.")
        services.publish_disclosure(body="Second words.")
        response = client.get(first.get_absolute_url())
        html = response.content.decode()
        assert "First words." in html
        assert "This version has been replaced." in html
        current = client.get(reverse("helplines:disclosure-version", args=[2])).content.decode()
        assert "has been replaced" not in current

    def test_a_scheduled_or_missing_version_is_not_found(self, client):
        services.publish_disclosure(
            body="Scheduled.", effective_from=timezone.now() + timedelta(days=1)
        )
        assert client.get(reverse("helplines:disclosure-version", args=[1])).status_code == 404
        assert client.get(reverse("helplines:disclosure-version", args=[9])).status_code == 404

    def test_versions_are_numbered_in_order(self):
        versions = [services.publish_disclosure(body=f"Text {n}").version for n in range(3)]
        assert versions == [1, 2, 3]
        assert Disclosure.objects.count() == 3


def test_only_get(client):
    assert client.post(URL).status_code == 405


def test_dates_are_shown(client):
    assert date.today().strftime("%Y") in page(client)
