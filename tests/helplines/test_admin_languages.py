"""The admin's side of Spanish: intake languages, a line's language, the Spanish text of a
disclosure version, and the language of each call.

Persona: ``ada``, a superuser who runs the helplines (``admin_client``, conftest.py).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from helplines import services
from helplines.models import Advertiser, Disclosure

pytestmark = pytest.mark.django_db


def advertiser_form_data(admin_client, advertiser: Advertiser, **changes: object) -> dict:
    url = reverse("admin:helplines_advertiser_change", args=[advertiser.pk])
    form = admin_client.get(url).context["adminform"].form
    return {
        **{k: v for k, v in form.initial.items() if v is not None},
        "center": advertiser.center_id,
        "starts_on": "2020-01-01",
        "hours-TOTAL_FORMS": 0,
        "hours-INITIAL_FORMS": 0,
        **changes,
    }


class TestIntakeLanguages:
    def test_a_checkbox_per_language(self, admin_client, advertisers):
        url = reverse("admin:helplines_advertiser_change", args=[advertisers.maple.pk])
        html = admin_client.get(url).content.decode()
        assert 'type="checkbox" name="languages" value="en"' in html
        assert 'type="checkbox" name="languages" value="es"' in html

    def test_ticking_spanish_saves_both(self, admin_client, advertisers):
        maple = advertisers.maple
        url = reverse("admin:helplines_advertiser_change", args=[maple.pk])
        data = advertiser_form_data(admin_client, maple, languages=["en", "es"])
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        maple.refresh_from_db()
        assert maple.languages == ["en", "es"]
        assert maple.answers_in_spanish

    def test_at_least_one_language(self, admin_client, advertisers):
        maple = advertisers.maple
        url = reverse("admin:helplines_advertiser_change", args=[maple.pk])
        data = advertiser_form_data(admin_client, maple)
        data.pop("languages")
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert "languages" in response.context["adminform"].form.errors

    def test_an_unknown_language_is_refused(self, admin_client, advertisers):
        maple = advertisers.maple
        url = reverse("admin:helplines_advertiser_change", args=[maple.pk])
        response = admin_client.post(
            url, advertiser_form_data(admin_client, maple, languages=["xx"])
        )
        assert response.status_code == 200
        maple.refresh_from_db()
        assert maple.languages == ["en"]

    def test_the_list_shows_them(self, admin_client, advertisers):
        html = admin_client.get(reverse("admin:helplines_advertiser_changelist")).content.decode()
        assert '<td class="field-language_list">English</td>' in html


class TestDisclosureSpanish:
    def test_the_spanish_text_is_published_with_its_version(self, admin_client):
        first = services.publish_disclosure(body="First words.")
        url = reverse("admin:helplines_disclosure_change", args=[first.pk])
        admin_client.post(
            url,
            {
                "body": "First words.",
                "body_es": "Primeras palabras.",
                "change_note": "Spanish added.",
                "effective_from_0": timezone.localdate().isoformat(),
                "effective_from_1": "00:00:00",
            },
        )
        latest = Disclosure.objects.get(version=2)
        assert (latest.body, latest.body_es) == ("First words.", "Primeras palabras.")
        first.refresh_from_db()
        assert first.body_es == ""

    def test_a_new_version_does_not_carry_the_old_spanish(self, admin_client):
        services.publish_disclosure(body="Words in force.", body_es="Palabras en vigor.")
        response = admin_client.get(reverse("admin:helplines_disclosure_add"))
        initial = response.context["adminform"].form.initial
        assert initial["body"] == "Words in force."
        assert "body_es" not in initial


def test_the_call_log_shows_the_language(admin_client, twilio, advertisers, detox_line):
    advertisers.birch.languages = ["es"]
    advertisers.birch.save(update_fields=["languages"])
    twilio.incoming(to=detox_line.number, press="2")
    html = admin_client.get(reverse("admin:helplines_call_changelist")).content.decode()
    assert '<td class="field-language">Español</td>' in html
