"""Claims, managers, sign-in links and reminders: the writes of the center managers' portal."""

import logging
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from centers.models import CALLS_PER_DAY, Center, CenterManager, Claim, Reminder

from .calls import CallFailed, code_twiml, place_call

logger = logging.getLogger(__name__)


class ClaimRefused(Exception):
    """A claim that cannot go ahead; ``reason`` names why for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def request_claim(*, center_id: int, name: str, email: str, role: str, language: str) -> Claim:
    """Record a claim and ring the listing's own phone with its code.

    Raises ``ClaimRefused("no_phone")`` for a listing without a phone, ``"limit"`` once the
    listing's phone has been called ``CALLS_PER_DAY`` times in a day, and ``"call_failed"``
    when Twilio cannot place the call (the claim is kept as failed, and not counted).
    """
    with transaction.atomic():
        # The race: claims sent together for one listing would each count the calls before
        # any of them is recorded, and its phone would ring more than CALLS_PER_DAY times.
        # Under the center's row lock each counts the ones before it.
        center = Center.objects.select_for_update().get(pk=center_id)
        phone = center.phone or center.intake_phone
        if not phone:
            raise ClaimRefused("no_phone")
        if Claim.objects.calls_today(center.pk) >= CALLS_PER_DAY:
            raise ClaimRefused("limit")
        claim = Claim(
            center=center, name=name, email=email, role=role, language=language, phone_called=phone
        )
        code = claim.new_code()
        claim.save()
    # Outside the transaction: the call takes seconds, and the lock must not wait for Twilio.
    twiml = code_twiml(
        code=code, name=name, role=role, email=email, center=center.name, language=language
    )
    try:
        claim.call_sid = place_call(to=phone, twiml=twiml)
    except CallFailed:
        claim.status = Claim.Status.CALL_FAILED
        claim.save(update_fields=["status"])
        raise ClaimRefused("call_failed") from None
    claim.status = Claim.Status.AWAITING_CODE
    claim.save(update_fields=["status", "call_sid"])
    return claim


@dataclass
class CodeCheck:
    ok: bool
    reason: str = ""  # on failure: "wrong", "expired", "locked", "closed"
    tries_left: int = 0
    claim: Claim | None = None


def check_code(*, claim_id: int, code: str) -> CodeCheck:
    """Compare ``code`` with the claim's; on a match, make the claimant a manager or, for a
    paid advertiser's listing or one already managed, hand the claim to an editor."""
    with transaction.atomic():
        # The race: two guesses sent together would each read the same count of tries, and
        # together get more than CODE_TRIES. Each guess counts under the claim's row lock.
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.status == Claim.Status.LOCKED:
            return CodeCheck(False, "locked", claim=claim)
        if claim.status != Claim.Status.AWAITING_CODE:
            return CodeCheck(False, "closed", claim=claim)
        if claim.code_expired:
            return CodeCheck(False, "expired", claim=claim)
        if not claim.code_matches(code):
            claim.attempts += 1
            if claim.tries_left == 0:
                claim.status = Claim.Status.LOCKED
            claim.save(update_fields=["attempts", "status"])
            reason = "locked" if claim.status == Claim.Status.LOCKED else "wrong"
            return CodeCheck(False, reason, claim.tries_left, claim=claim)
        # The race: two people verifying claims on one listing at once would each see it
        # unmanaged and both become its managers without an editor. The center's row lock
        # (taken after the claim's, as everywhere) makes the second see the first.
        center = Center.objects.select_for_update().with_paid_status().get(pk=claim.center_id)
        claim.verified_at = timezone.now()
        claim.code_hash = ""
        if center.is_paid_advertiser:
            claim.status, claim.review_reason = Claim.Status.REVIEW, Claim.Review.PAID
        elif CenterManager.objects.active().filter(center=center).exists():
            claim.status, claim.review_reason = Claim.Status.REVIEW, Claim.Review.MANAGED
        else:
            claim.manager = _make_manager(claim)
            claim.status = Claim.Status.VERIFIED
        claim.save()
    if claim.review_reason == Claim.Review.MANAGED:
        _tell_managers_of_claim(claim)
    return CodeCheck(True, claim=claim)


def _tell_managers_of_claim(claim: Claim) -> None:
    """Someone else proved a call to the listing's phone: its current managers hear who, so
    that a claimant who is not at the center is noticed by the people who are."""
    managers = CenterManager.objects.active().filter(center_id=claim.center_id)
    for manager in managers.select_related("user").exclude(user__email=""):
        try:
            _send(
                "portal/email/claim_on_managed",
                to=manager.user.email,
                language=manager.language,
                context={"claim": claim},
            )
        except Exception:
            logger.exception("A manager of center %s could not be told of a claim", claim.center_id)


def decide_claim(*, claim_id: int, approve: bool, editor: AbstractBaseUser) -> bool:
    """An editor approves a claim waiting for review (its claimant becomes a manager) or
    refuses it. Returns whether it was still waiting."""
    with transaction.atomic():
        # The race: two editors deciding one claim, one approving and one refusing.
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.status != Claim.Status.REVIEW:
            return False
        claim.decided_at, claim.decided_by = timezone.now(), editor
        if approve:
            claim.manager = _make_manager(claim)
            claim.status = Claim.Status.APPROVED
        else:
            claim.status = Claim.Status.REFUSED
        claim.save()
    _email_claim_decision(claim)
    return True


def _make_manager(claim: Claim) -> CenterManager:
    """The claimant's account (found by email, or made without a password) as a manager of
    the claimed center."""
    users = get_user_model()
    email = claim.email.strip()
    user = (
        users.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )
    if user is None:
        user = users.objects.create_user(
            username=email.lower(), email=email, first_name=claim.name[:150]
        )
    manager = CenterManager.objects.active().filter(user=user, center_id=claim.center_id).first()
    if manager is None:
        manager = CenterManager.objects.create(
            user=user, center_id=claim.center_id, role=claim.role, language=claim.language
        )
    return manager


def managers_for_sign_in(email: str):
    """Active accounts with that address that manage at least one listing. Staff are left
    out: they sign in with their password (``centers.portal.backends``)."""
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .filter(is_staff=False, is_superuser=False)
        .filter(managed_centers__in=CenterManager.objects.active())
        .distinct()
    )


def send_sign_in_link(*, email: str, next_path: str, base_url: str, language: str) -> bool:
    """Email a one-time sign-in link to each manager account with ``email``. Returns whether
    there was one; the page says the same either way, so it tells nobody who manages what."""
    sent = False
    for user in managers_for_sign_in(email):
        link = sign_in_url(user, base_url=base_url, next_path=next_path, language=language)
        _send(
            "portal/email/sign_in",
            to=user.email,
            language=language,
            context={"user": user, "link": link, "minutes": settings.SESAME_MAX_AGE // 60},
        )
        sent = True
    return sent


def sign_in_url(user: AbstractBaseUser, *, base_url: str, next_path: str, language: str) -> str:
    # Imported here: django-sesame derives its key from SECRET_KEY when first imported, and
    # commands that sign nothing (migrate, check) run without one.
    from sesame.utils import get_query_string

    with translation.override(language):
        path = reverse("portal:sign-in-link")
    query = get_query_string(user)
    if next_path:
        query += "&" + urlencode({"next": next_path})
    return f"{base_url}{path}{query}"


def send_monthly_reminders(*, today: date, base_url: str) -> tuple[int, int]:
    """Ask every active manager, once this month, to confirm or update their listings.

    Returns (sent, already sent this month). Safe to run again: the ``Reminder`` row is
    written first, under a unique constraint, so two runs never both send; a send that fails
    removes its row, and the next run tries again.
    """
    month = today.replace(day=1)
    sent = skipped = 0
    managers = (
        CenterManager.objects.active()
        .exclude(user__email="")
        .select_related("user", "center")
        .order_by("user_id", "center__name")
    )
    by_user: dict[int, list[CenterManager]] = {}
    for manager in managers:
        by_user.setdefault(manager.user_id, []).append(manager)
    for rows in by_user.values():
        user = rows[0].user
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(user=user, month=month)
        except IntegrityError:
            skipped += 1
            continue
        language = rows[0].language
        try:
            _send(
                "portal/email/reminder",
                to=user.email,
                language=language,
                context={
                    "user": user,
                    "centers": [
                        _center_links(row.center, base_url=base_url, language=language)
                        for row in rows
                    ],
                },
            )
        except Exception:
            reminder.delete()
            logger.exception("Monthly reminder to a center manager (user %s) failed", user.pk)
            continue
        sent += 1
    return sent, skipped


def _center_links(center: Center, *, base_url: str, language: str) -> dict[str, object]:
    with translation.override(language):
        return {
            "center": center,
            "confirm": base_url + reverse("portal:still-accurate", args=[center.slug]),
            "update": base_url + reverse("portal:center", args=[center.slug]),
        }


def _email_claim_decision(claim: Claim) -> None:
    with translation.override(claim.language):
        sign_in = settings.SITE_URL + reverse("portal:sign-in")
    _send(
        "portal/email/claim_decided",
        to=claim.email,
        language=claim.language,
        context={
            "claim": claim,
            "approved": claim.status == Claim.Status.APPROVED,
            "sign_in": sign_in,
        },
    )


def _send(template: str, *, to: str, language: str, context: dict[str, object]) -> None:
    """Render ``template``'s subject and body in ``language`` and send them to ``to``."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])
