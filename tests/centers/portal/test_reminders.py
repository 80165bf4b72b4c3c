"""The monthly email asking managers to confirm or update their listings."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from centers.models import CenterManager, Reminder
from centers.portal.services import send_monthly_reminders
from tests.factories import make_center

from .conftest import make_manager

pytestmark = pytest.mark.django_db


def test_each_manager_gets_one_email_a_month_with_links_for_each_listing(fake_twilio):
    first, second = make_center(name="Harbor North"), make_center(name="Harbor South")
    make_manager(first, email="ana@harbor.example")
    make_manager(second, email="ana@harbor.example")
    make_manager(make_center(name="Lakeside"), email="sam@lake.example", language="es")
    revoked = make_manager(make_center(name="Gone"), email="old@gone.example")
    revoked.revoked_at = timezone.now()
    revoked.save()

    call_command("send_listing_reminders")
    call_command("send_listing_reminders")  # again, the same month: nothing more

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@harbor.example", "sam@lake.example"]
    ana = next(m for m in mail.outbox if m.to == ["ana@harbor.example"])
    assert "Harbor North" in ana.body and "Harbor South" in ana.body
    assert f"https://directory.example/manage/centers/{first.slug}/still-accurate/" in ana.body
    sam = next(m for m in mail.outbox if m.to == ["sam@lake.example"])
    assert "/es/manage/centers/" in sam.body
    assert "Hola" in sam.body
    assert Reminder.objects.count() == 2


def test_next_month_they_are_asked_again(fake_twilio):
    make_manager(make_center(), email="ana@harbor.example")

    assert send_monthly_reminders(today=date(2026, 11, 30), base_url="https://x") == (1, 0)
    assert send_monthly_reminders(today=date(2026, 11, 30), base_url="https://x") == (0, 1)
    assert send_monthly_reminders(today=date(2026, 12, 1), base_url="https://x") == (1, 0)


def test_a_failed_send_is_tried_again_on_the_next_run(fake_twilio, settings):
    make_manager(make_center(), email="ana@harbor.example")
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2, "use_tls": False},
        }
    }

    assert send_monthly_reminders(today=date(2026, 12, 7), base_url="https://x") == (0, 0)
    assert not Reminder.objects.exists()


def test_the_command_needs_the_site_address(settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("send_listing_reminders")


def test_the_demo_has_a_center_manager():
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)

    [manager] = CenterManager.objects.all()
    assert manager.user.email == "manager@demo.example"
    assert "sign in at /manage/sign-in/ with manager@demo.example" in out.getvalue()
