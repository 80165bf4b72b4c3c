"""A problem report on a managed listing is emailed to its managers too."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from centers.models import ProblemReport
from tests.centers.portal.conftest import make_manager
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def report(client, center, **data: str):
    payload = {"kind": "phone", "details": "The number rings out.", "website": "", **data}
    return client.post(reverse("centers:report-problem", args=[center.slug]), payload)


def test_each_current_manager_gets_the_report_in_their_language(client, settings):
    settings.SITE_URL = "https://directory.example"
    center = make_center(name="Harbor Recovery")
    make_manager(center, email="ana@harbor.example")
    make_manager(center, email="luis@harbor.example", language="es")
    revoked = make_manager(center, email="old@harbor.example")
    revoked.revoked_at = timezone.now()
    revoked.save()
    make_manager(make_center(), email="other@elsewhere.example")

    response = report(client, center)

    assert response.status_code == 302
    assert ProblemReport.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@harbor.example", "luis@harbor.example"]
    ana = next(m for m in mail.outbox if m.to == ["ana@harbor.example"])
    assert "Harbor Recovery" in ana.subject
    assert "The phone number is wrong" in ana.body and "The number rings out." in ana.body
    assert f"https://directory.example/manage/centers/{center.slug}/" in ana.body
    luis = next(m for m in mail.outbox if m.to == ["luis@harbor.example"])
    assert "/es/manage/centers/" in luis.body


def test_an_unmanaged_listing_emails_nobody(client):
    report(client, make_center())

    assert ProblemReport.objects.count() == 1
    assert mail.outbox == []


def test_a_mail_server_that_fails_loses_no_report(client, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2, "use_tls": False},
        }
    }
    center = make_center()
    make_manager(center, email="ana@harbor.example")

    response = report(client, center)

    assert response.status_code == 302
    assert ProblemReport.objects.count() == 1


def test_spam_reports_email_nobody(client):
    center = make_center()
    make_manager(center, email="ana@harbor.example")

    report(client, center, website="http://spam.example")

    assert mail.outbox == []
