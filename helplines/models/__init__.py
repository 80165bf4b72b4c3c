from datetime import datetime

from django.db.models import Exists, OuterRef

from .advertiser import TIME_ZONES, Advertiser, AdvertiserQuerySet, BusinessHours
from .call import AnsweredBy, Call, CallAttempt, hash_caller
from .callback import CallbackRequest, CallbackRequestQuerySet, CallbackTally
from .disclosure import Disclosure
from .helpline import Helpline, HelplineQuerySet
from .pause import AdvertiserPause, AdvertiserPauseQuerySet


def is_paid_advertiser(when: datetime | None = None, *, center: str = "pk") -> Exists:
    """An expression true for a center whose provider is a current paid advertiser.

    For one query over any listing::

        Center.objects.annotate(is_paid_advertiser=is_paid_advertiser())

    ``center`` names the outer field holding the center's id, e.g. ``"center"`` when
    annotating rows that point at a center. Templates then include
    ``helplines/_paid_badge.html`` where ``is_paid_advertiser`` is true.
    """
    return Exists(Advertiser.objects.current(when).filter(center=OuterRef(center)))


__all__ = [
    "TIME_ZONES",
    "Advertiser",
    "AdvertiserPause",
    "AdvertiserPauseQuerySet",
    "AdvertiserQuerySet",
    "AnsweredBy",
    "BusinessHours",
    "Call",
    "CallAttempt",
    "CallbackRequest",
    "CallbackRequestQuerySet",
    "CallbackTally",
    "Disclosure",
    "Helpline",
    "HelplineQuerySet",
    "hash_caller",
    "is_paid_advertiser",
]
