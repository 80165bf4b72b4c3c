from django.urls import reverse

from centers.models import CareSetting, Center, TherapyType
from tests.factories import make_center


def test_home_links_every_therapy_and_setting_and_searches(client, db):
    body = client.get(reverse("centers:home")).content.decode()
    for term in [*TherapyType.objects.all(), *CareSetting.objects.all()]:
        assert f'href="{term.get_absolute_url()}"' in body
    assert 'action="/find/"' in body
    assert 'value="combination"' in body


def test_free_public_lines_are_on_the_page(client, db):
    body = client.get(reverse("centers:home")).content.decode()
    assert 'href="tel:+18006624357"' in body
    assert "1-800-662-4357" in body
    assert 'href="tel:988"' in body


def test_the_count_of_centers_follows_the_catalog_at_once(client, db):
    make_center()
    make_center(status=Center.Status.HIDDEN)
    assert "Search 1 treatment center by" in client.get(reverse("centers:home")).content.decode()
    make_center()
    assert "Search 2 treatment centers" in client.get(reverse("centers:home")).content.decode()
