"""Problem reports: a visitor files one, the editors hear of it, an editor decides, and a
reporter who left an email is told the outcome once, after which the address is gone."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from centers import services
from centers.models import ProblemReport
from centers.services import file_problem_report, resolve_problem_report
from tests.factories import make_center
from tests.threads import run_together

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unreachable")


BROKEN = {"default": {"BACKEND": "tests.centers.test_problem_reports.BrokenBackend"}}


@pytest.fixture(autouse=True)
def editors_address(settings):
    settings.EDITORS_EMAIL = ["editors@example.org"]


@pytest.fixture(autouse=True)
def no_earlier_reports():
    """Each test's client starts with a clean slate under the flood limit."""
    cache.clear()


@pytest.fixture
def center():
    return make_center(name="Bayview Recovery", city="San Francisco", state="CA")


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-pass-1")
    client.force_login(user)
    return client


def report_url(center, language: str = "en") -> str:
    with translation.override(language):
        return reverse("centers:report-problem", args=[center.slug])


# --- The visitor -------------------------------------------------------------------------------


def test_a_report_with_an_email_reaches_the_queue_and_the_editors(client, center):
    response = client.post(
        report_url(center),
        {"kind": "disconnected", "details": "Out of service.", "reporter_email": "sam@example.org"},
    )
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.kind, report.status, report.language) == ("disconnected", "new", "en")
    assert report.reporter_email == "sam@example.org"
    [message] = mail.outbox
    assert message.to == ["editors@example.org"]
    assert "Bayview Recovery" in message.subject
    assert "disconnected" in message.body and "Out of service." in message.body
    assert f"http://testserver/admin/centers/problemreport/{report.pk}/change/" in message.body
    assert "asked to hear the outcome" in message.body
    assert "email you what they did" in client.get(response.url).text


def test_the_email_is_optional_and_no_editor_address_sends_nothing(client, center, settings):
    settings.EDITORS_EMAIL = []
    response = client.post(report_url(center), {"kind": "phone"})
    assert response.status_code == 302
    assert ProblemReport.objects.get().reporter_email == ""
    assert mail.outbox == []


def test_a_mail_server_that_is_down_loses_no_report(client, center, settings):
    settings.MAILERS = BROKEN
    response = client.post(report_url(center), {"kind": "closed"})
    assert response.status_code == 302
    assert ProblemReport.objects.filter(kind="closed").exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "Enter an email address like name@example.org"),
        ("a@b" + "c" * 300 + ".org", "Ensure this value has at most 254 characters"),
        ("sam@example.org\r\nBcc: all@example.org", "Enter an email address like"),
    ],
)
def test_a_bad_email_is_explained_and_keeps_the_report_typed(client, center, email, message):
    response = client.post(
        report_url(center), {"kind": "phone", "details": "Rings out.", "reporter_email": email}
    )
    assert response.status_code == 400
    assert message in response.text
    assert "Rings out." in response.text
    assert not ProblemReport.objects.exists()


def test_a_flood_of_reports_is_refused_and_keeps_the_text(client, center):
    url = report_url(center)
    for _ in range(services.REPORT_LIMIT):
        assert client.post(url, {"kind": "phone"}).status_code == 302
    response = client.post(url, {"kind": "closed", "details": "One more."})
    assert response.status_code == 429
    assert response["Retry-After"] == str(services.REPORT_WINDOW)
    assert "You have sent many reports in the last hour" in response.text
    assert "One more." in response.text
    assert ProblemReport.objects.count() == services.REPORT_LIMIT
    assert len(mail.outbox) == services.REPORT_LIMIT  # the editors heard of each stored one
    # Another client is not held back.
    other = client.post(url, {"kind": "closed"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_hostile_details_lose_their_control_characters(client, center):
    details = "<script>alert(1)</script>\x07\x1b[31m Moved\r\nto Oak St"
    client.post(report_url(center), {"kind": "address", "details": details})
    stored = ProblemReport.objects.get().details
    assert stored == "<script>alert(1)</script>[31m Moved\nto Oak St"


def test_a_spanish_report_is_kept_in_spanish_and_asks_in_spanish(client, center):
    page = client.get(center.get_absolute_url().replace("/centers/", "/es/centers/", 1))
    assert "Su correo electrónico" in page.text
    client.post(
        report_url(center, "es"),
        {"kind": "disconnected", "reporter_email": "ana@example.org"},
    )
    assert ProblemReport.objects.get().language == "es"


# --- The editor's decision ---------------------------------------------------------------------


def a_report(center, **fields) -> ProblemReport:
    fields = {"kind": "phone", "reporter_email": "sam@example.org", **fields}
    report = file_problem_report(center=center, **fields)
    mail.outbox.clear()  # the editors' notice
    return report


def test_fixing_a_report_tells_the_reporter_once_then_forgets_them(editor, center):
    report = a_report(center)
    changelist = reverse("admin:centers_problemreport_changelist")
    response = editor.post(
        changelist, {"action": "mark_fixed", "_selected_action": [report.pk]}, follow=True
    )
    assert "1 reporter emailed the outcome." in response.text
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "We fixed the listing of Bayview Recovery"
    assert "corrected the listing" in message.body
    assert "We have now deleted your email address." in message.body
    report.refresh_from_db()
    assert (report.status, report.reporter_email) == ("fixed", "")
    assert report.resolved_at is not None and report.reporter_told_at is not None
    # A later change of mind tells nobody: the address is gone.
    editor.post(changelist, {"action": "mark_rejected", "_selected_action": [report.pk]})
    assert len(mail.outbox) == 1
    assert ProblemReport.objects.get().status == "rejected"


def test_confirming_keeps_the_reporter_waiting(editor, center):
    report = a_report(center)
    editor.post(
        reverse("admin:centers_problemreport_changelist"),
        {"action": "mark_confirmed", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert (report.status, report.reporter_email, report.resolved_at) == (
        "confirmed",
        "sam@example.org",
        None,
    )
    assert mail.outbox == []


def test_rejecting_on_the_change_form_sends_the_note_in_the_reporters_language(editor, center):
    report = a_report(center, language="es")
    url = reverse("admin:centers_problemreport_change", args=[report.pk])
    page = editor.get(url).text
    assert "sam@example.org" not in page  # editors never see the address
    assert "waiting to hear the outcome" in page
    response = editor.post(
        url, {"status": "rejected", "resolution_note": "El número\x07 funciona: lo llamamos."}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Su reporte sobre Bayview Recovery"
    assert "la información era correcta" in message.body
    assert "El número funciona: lo llamamos." in message.body
    report.refresh_from_db()
    assert report.resolution_note == "El número funciona: lo llamamos."
    assert report.reporter_email == ""


def test_a_failed_outcome_email_keeps_the_address_to_retry(editor, center, settings):
    report = a_report(center)
    settings.MAILERS = BROKEN
    response = editor.post(
        reverse("admin:centers_problemreport_changelist"),
        {"action": "mark_fixed", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "1 reporter could not be emailed" in response.text
    report.refresh_from_db()
    assert (report.status, report.reporter_email) == ("fixed", "sam@example.org")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    result = resolve_problem_report(report_id=report.pk, status="fixed")
    assert result.reporter_told and len(mail.outbox) == 1
    assert ProblemReport.objects.get().reporter_email == ""


def test_reopening_a_report_clears_its_resolution_time(center):
    report = a_report(center, reporter_email="")
    resolve_problem_report(report_id=report.pk, status="rejected")
    result = resolve_problem_report(report_id=report.pk, status="new")
    assert result.report.resolved_at is None


def test_the_centers_page_in_the_admin_lists_reports_to_read_not_to_decide(editor, center):
    a_report(center, details="Rings out")
    page = editor.get(reverse("admin:centers_center_change", args=[center.pk])).text
    assert "Rings out" in page
    assert 'name="problem_reports-0-status"' not in page  # decided on the report's own page


def test_the_queue_filters_open_reports(editor, center):
    a_report(center, details="Still open")
    closed = a_report(center, details="Done with")
    resolve_problem_report(report_id=closed.pk, status="fixed")
    page = editor.get(reverse("admin:centers_problemreport_changelist") + "?open=yes").text
    assert "1 problem report" in page or "1 result" in page
    assert editor.get(reverse("admin:centers_problemreport_changelist") + "?open=no").status_code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_closing_one_report_at_once_email_the_reporter_once():
    """The lock in resolve_problem_report: both would otherwise read the address and send."""
    report = a_report(make_center())
    run_together(
        4,
        lambda n: resolve_problem_report(
            report_id=report.pk, status="fixed" if n % 2 else "rejected"
        ),
    )
    assert len(mail.outbox) == 1
    assert ProblemReport.objects.get().reporter_email == ""


# --- The migration -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_dismissed_reports_become_rejected():
    executor = MigrationExecutor(connection)
    executor.migrate([("centers", "0012_problem_report_outcomes")])
    old = executor.loader.project_state([("centers", "0012_problem_report_outcomes")]).apps
    Center = old.get_model("centers", "Center")
    Report = old.get_model("centers", "ProblemReport")
    place = Center.objects.create(name="Old", slug="old", city="X", state="IL", zip_code="1")
    Report.objects.create(center=place, kind="phone", status="dismissed")
    Report.objects.create(center=place, kind="phone", status="fixed")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sorted(ProblemReport.objects.values_list("status", flat=True)) == ["fixed", "rejected"]


def test_the_editors_read_a_spanish_report_in_english(client, center):
    client.post(report_url(center, "es"), {"kind": "disconnected", "details": "No funciona."})
    [message] = mail.outbox
    assert "The phone number is disconnected" in message.body
    assert f"http://testserver/centers/{center.slug}/" in message.body


def test_deploy_check_warns_when_no_editor_hears_of_reports(settings):
    from django.core import checks

    settings.EDITORS_EMAIL = []
    ids = [message.id for message in checks.run_checks(include_deployment_checks=True)]
    assert "centers.W001" in ids
    settings.EDITORS_EMAIL = ["editors@example.org"]
    ids = [message.id for message in checks.run_checks(include_deployment_checks=True)]
    assert "centers.W001" not in ids


def test_old_reports_forget_their_reporters_email(center, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.REPORT_EMAIL_RETENTION_DAYS = 30
    old = a_report(center)
    ProblemReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = a_report(center)
    output = StringIO()
    call_command("purge_report_emails", "--dry-run", stdout=output)
    assert (
        output.getvalue()
        == "Would erase 1 reporter's email from reports made more than 30 days ago.\n"
    )
    assert ProblemReport.objects.get(pk=old.pk).reporter_email == "sam@example.org"
    call_command("purge_report_emails", stdout=StringIO())
    assert ProblemReport.objects.get(pk=old.pk).reporter_email == ""
    assert ProblemReport.objects.get(pk=recent.pk).reporter_email == "sam@example.org"
    assert ProblemReport.objects.count() == 2  # the reports themselves stay
