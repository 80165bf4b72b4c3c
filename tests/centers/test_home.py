from django.urls import reverse

from centers.models import CareSetting, TherapyType


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
