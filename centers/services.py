"""Writes of the catalog that do more than save one row: a visitor's problem report, which
tells the editors, and an editor's decision on it, which tells the reporter."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from centers.manager_mail import email_managers_about_report
from centers.models import Center, ProblemReport
from directory.limits import within_budget

logger = logging.getLogger(__name__)

# Reports one client may send in REPORT_WINDOW seconds. Someone who knows a few listings are
# wrong sends a handful; a flood (each one an email to the editors) is refused.
REPORT_LIMIT = 10
REPORT_WINDOW = 60 * 60


def allow_problem_report(*, client_address: str) -> bool:
    """Count one report from ``client_address``; ``False`` once it has sent ``REPORT_LIMIT``
    within ``REPORT_WINDOW`` seconds. Each stored report emails the editors, so the limit
    holds in each process while the shared cache is down."""
    return within_budget(
        "centers.report-rate",
        client_address,
        limit=REPORT_LIMIT,
        window=REPORT_WINDOW,
        hold_when_cache_down=True,
    )


def file_problem_report(
    *,
    center: Center,
    kind: str,
    details: str = "",
    reporter_email: str = "",
    language: str = "en",
    site_url: str = "",
) -> ProblemReport:
    """Save a visitor's report on ``center`` and email the editors, and the center's managers,
    about it.

    ``site_url`` (scheme and host, e.g. ``https://example.org``) makes the email's links
    absolute. A failed email is logged, never shown to the visitor: the report is in the queue
    either way.
    """
    report = ProblemReport.objects.create(
        center=center,
        kind=kind,
        details=details,
        reporter_email=reporter_email,
        language=language,
    )
    tell_editors(report, site_url=site_url)
    email_managers_about_report(report=report)
    return report


def tell_editors(report: ProblemReport, *, site_url: str = "") -> bool:
    """Email ``EDITORS_EMAIL`` about a new report, in English whatever the page's language;
    False if nobody is set or sending failed."""
    if not settings.EDITORS_EMAIL:
        return False
    with translation.override("en"):
        context = {
            "report": report,
            "center": report.center,
            "admin_url": site_url + reverse("admin:centers_problemreport_change", args=[report.pk]),
            "center_url": site_url + report.center.get_absolute_url(),
            "open_count": ProblemReport.objects.open().count(),
        }
        return _send(
            f"Problem report: {report.center.name} ({report.get_kind_display()})",
            "centers/emails/report_to_editors.txt",
            context,
            settings.EDITORS_EMAIL,
        )


@dataclass(frozen=True)
class Resolution:
    report: ProblemReport
    reporter_told: bool  # an email went to the reporter just now
    reporter_waiting: bool  # they asked to hear, and could not be told (sending failed)


def resolve_problem_report(
    *, report_id: int, status: str, note: str | None = None, site_url: str = ""
) -> Resolution:
    """Set a report's status (and its resolution note, unless None); when it is closed (fixed
    or rejected) and the reporter left an email, tell them once, then erase the address.

    Runs under a lock on the report: two editors closing the same report at once (the change
    form and a list action, say) would otherwise both find the address and both send.
    """
    with transaction.atomic():
        report = ProblemReport.objects.select_for_update().select_related("center")
        report = report.get(pk=report_id)
        report.status = status
        if note is not None:
            report.resolution_note = note
        if report.is_open:
            report.resolved_at = None
        elif report.resolved_at is None:
            report.resolved_at = timezone.now()
        told = False
        if not report.is_open and report.reporter_email:
            told = _tell_reporter(report, site_url=site_url)
            if told:
                report.reporter_email = ""
                report.reporter_told_at = timezone.now()
        report.save()
    return Resolution(report, reporter_told=told, reporter_waiting=bool(report.reporter_email))


def _tell_reporter(report: ProblemReport, *, site_url: str) -> bool:
    """The outcome, in the language the report was written in."""
    with translation.override(report.language):
        context = {
            "report": report,
            "center": report.center,
            "fixed": report.status == ProblemReport.Status.FIXED,
            "center_url": site_url + report.center.get_absolute_url(),
        }
        subject = render_to_string("centers/emails/report_outcome_subject.txt", context).strip()
        return _send(subject, "centers/emails/report_outcome.txt", context, [report.reporter_email])


def _send(subject: str, template: str, context: dict, to: list[str]) -> bool:
    try:
        send_mail(
            subject.replace("\n", " ")[:200],
            render_to_string(template, context),
            None,  # DEFAULT_FROM_EMAIL
            to,
        )
    except Exception:  # an unreachable mail server must not lose the report or the decision
        logger.exception("Could not send %r", subject)
        return False
    return True
