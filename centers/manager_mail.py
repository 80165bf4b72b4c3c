"""A problem report on a managed listing reaches its managers as well as our editors."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from centers.models import CenterManager, ProblemReport

logger = logging.getLogger(__name__)


def email_managers_about_report(*, report: ProblemReport) -> int:
    """Tell the managers of the report's center what a visitor says is wrong (one query, then
    one email each, in the language each claimed in). Returns how many were sent.

    A mail server that fails is logged, never shown to the visitor: the report is saved and
    the editors see it in the admin either way.
    """
    managers = (
        CenterManager.objects.active()
        .filter(center_id=report.center_id)
        .exclude(user__email="")
        .select_related("user")
    )
    sent = 0
    for manager in managers:
        with translation.override(manager.language):
            context = {
                "report": report,
                "center": report.center,
                "link": settings.SITE_URL + reverse("portal:center", args=[report.center.slug]),
            }
            subject = render_to_string("centers/email/report_to_managers_subject.txt", context)
            body = render_to_string("centers/email/report_to_managers.txt", context)
        try:
            send_mail(" ".join(subject.split()), body, None, [manager.user.email])
        except Exception:
            logger.exception("Report %s could not be emailed to a manager", report.pk)
            continue
        sent += 1
    return sent
