"""Fictional helplines, advertisers and call history for ``make demo``.

Every number is in the range the North American Numbering Plan reserves for fiction
(NXX-555-0100 to 0199), so nothing here can ring a real phone. Safe to run again: it updates
what it created before instead of duplicating it.
"""

import random
from collections.abc import Sequence
from datetime import time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from centers.models import Center

from . import services
from .models import Advertiser, AnsweredBy, BusinessHours, Call, CallAttempt, Disclosure, Helpline
from .models import hash_caller as caller_hash

# (label, slug, number, language): the Spanish line rings only advertisers that answer in
# Spanish; the English ones offer Spanish (press 2) first.
HELPLINES = [
    # (label, label in Spanish, slug, number, language)
    ("Detox helpline", "Línea de desintoxicación", "detox", "+12025550101", "en"),
    ("Rehab helpline", "Línea de rehabilitación", "rehab", "+12025550102", "en"),
    ("Addiction helpline", "Línea sobre adicciones", "addiction", "+12025550103", "en"),
    ("Línea de ayuda en español", "", "linea-de-ayuda", "+12025550104", "es"),
]

MIDNIGHT = time(0)
WEEKDAYS = range(0, 5)
EVERY_DAY = range(0, 7)
# (intake number, weight, daily cap, concurrent cap, time zone, [(days, opens, closes)],
# intake languages). The second answers in Spanish too, around the clock, so a demo call to
# the Spanish line always finds someone.
ADVERTISERS = [
    (
        "+12025550147",
        5,
        None,
        3,
        "America/New_York",
        [(WEEKDAYS, time(8), time(20)), ((5,), time(9), time(17))],
        ["en"],
    ),
    (
        "+13125550163",
        3,
        40,
        2,
        "America/Chicago",
        [(EVERY_DAY, MIDNIGHT, MIDNIGHT)],
        ["en", "es"],
    ),
    (
        "+14155550188",
        2,
        25,
        1,
        "America/Los_Angeles",
        [(EVERY_DAY, time(7), time(22))],
        ["en"],
    ),
]

DISCLOSURE = """\
The general helpline numbers on this site are paid advertising. The treatment providers listed \
above pay a flat monthly fee to answer them. We never charge by the call, by the minute or by \
the admission, and we never receive anything when someone is admitted.

We choose advertisers by their licences and their record, and we remove any advertiser that \
misleads callers, pressures them, or offers them money, travel or gifts to enter treatment.

If a call to one of our numbers went wrong, tell us through the "Report a problem" form on any \
listing. This demonstration text was written for the demo data and names no real provider."""

DISCLOSURE_ES = """\
Los números de ayuda generales de este sitio son publicidad pagada. Los proveedores de \
tratamiento que aparecen arriba pagan una tarifa mensual fija por atenderlos. Nunca cobramos \
por llamada, por minuto ni por ingreso, y nunca recibimos nada cuando alguien ingresa a \
tratamiento.

Elegimos a los anunciantes por sus licencias y su historial, y retiramos a cualquier \
anunciante que engañe a quienes llaman, los presione o les ofrezca dinero, viajes o regalos \
para que ingresen a tratamiento.

Si una llamada a uno de nuestros números salió mal, díganoslo con el formulario "Informar un \
problema" de cualquier ficha. Este texto de demostración se escribió para los datos de prueba \
y no nombra a ningún proveedor real."""


@transaction.atomic
def create_demo_helplines(*, centers: Sequence[Center]) -> None:
    """Four general helplines (one in Spanish), three advertisers (the first three
    ``centers``; one answers in Spanish), an initial disclosure in both languages and two weeks
    of calls for the admin's call log and report."""
    for position, (label, label_es, slug, number, language) in enumerate(HELPLINES):
        Helpline.objects.update_or_create(
            slug=slug,
            defaults={
                "label": label,
                "label_es": label_es,
                "number": number,
                "kind": Helpline.Kind.GENERAL,
                "language": language,
                "active": True,
                "position": position,
            },
        )
    advertisers = [
        _advertiser(center, *spec) for center, spec in zip(centers, ADVERTISERS, strict=False)
    ]
    if not Disclosure.objects.exists():
        services.publish_disclosure(
            body=DISCLOSURE, body_es=DISCLOSURE_ES, change_note="First version."
        )
    if advertisers and not Call.objects.exists():
        _call_history(advertisers)


def _advertiser(
    center: Center,
    number: str,
    weight: int,
    daily_cap: int | None,
    concurrent_cap: int,
    zone: str,
    hours: list[tuple[Sequence[int], time, time]],
    languages: list[str],
) -> Advertiser:
    advertiser, _ = Advertiser.objects.update_or_create(
        center=center,
        defaults={
            "name": center.name,
            "intake_number": number,
            "weight": weight,
            "daily_cap": daily_cap,
            "concurrent_cap": concurrent_cap,
            "time_zone": zone,
            "languages": languages,
            "active": True,
            "starts_on": timezone.localdate() - timedelta(days=60),
            "ends_on": None,
            "licences": f"{center.state} state licence DEMO-{center.pk:04d} (fictional)",
            "certifications": "Demo accreditation 0000 (fictional)",
            "fee_period": Advertiser.FeePeriod.MONTHLY,
            "fee_amount": 500,
        },
    )
    advertiser.hours.all().delete()
    BusinessHours.objects.bulk_create(
        BusinessHours(advertiser=advertiser, weekday=day, opens=opens, closes=closes)
        for days, opens, closes in hours
        for day in days
    )
    return advertiser


def _call_history(advertisers: list[Advertiser]) -> None:
    """Four calls a day for two weeks, routed in turn by weight; some go to the fallback."""
    rng = random.Random(4)
    helplines = list(Helpline.objects.general())
    rotation = [Advertiser(pk=a.pk, weight=a.weight, current_weight=0) for a in advertisers]
    by_pk = {a.pk: a for a in advertisers}
    now = timezone.now()
    for index in range(56):
        started = now - timedelta(days=14) + timedelta(hours=6 * index, minutes=rng.randint(0, 59))
        call = Call.objects.create(
            helpline=rng.choice(helplines),
            to_number="",
            call_sid=f"CAdemo{index:028d}",
            caller_hash=caller_hash(f"+1202555{100 + rng.randint(0, 99):04d}"),
            status=Call.Status.COMPLETED,
            started_at=started,
            ended_at=started + timedelta(minutes=rng.randint(2, 15)),
            duration=rng.randint(60, 900),
        )
        call.to_number = call.helpline.number
        call.language = call.helpline.language
        tried: set[int] = set()
        for order in (1, 2):
            untried = [
                a for a in rotation if a.pk not in tried and by_pk[a.pk].answers_in(call.language)
            ]
            if not untried:
                break
            choice = services.smooth_weighted_choice(untried)
            tried.add(choice.pk)
            advertiser = by_pk[choice.pk]
            answered = rng.random() < 0.8
            # A person presses 1 after the notice (about 30 s) and a few rings.
            answer_seconds = rng.randint(32, 50) if answered else None
            missed = (
                CallAttempt.Outcome.DECLINED
                if rng.random() < 0.3
                else CallAttempt.Outcome.NO_ANSWER
            )
            CallAttempt.objects.create(
                call=call,
                order=order,
                destination=CallAttempt.Destination.ADVERTISER,
                advertiser=advertiser,
                number=advertiser.intake_number,
                announcement=services.Announcement.FIRST_ADVERTISER
                if order == 1
                else services.Announcement.NEXT_ADVERTISER,
                outcome=CallAttempt.Outcome.COMPLETED if answered else missed,
                duration=call.duration if answered else 0,
                started_at=started,
                ended_at=started + timedelta(seconds=20),
                accepted_at=started + timedelta(seconds=answer_seconds) if answered else None,
                answer_seconds=answer_seconds,
            )
            if answered:
                call.answered_by = AnsweredBy.ADVERTISER
                call.answered_advertiser = advertiser
                break
        if not call.answered_by:
            CallAttempt.objects.create(
                call=call,
                order=len(tried) + 1,
                destination=CallAttempt.Destination.FALLBACK,
                number=settings.HELPLINE_FALLBACK_NUMBER,
                announcement=services.Announcement.NO_ADVERTISER_ANSWERED,
                outcome=CallAttempt.Outcome.COMPLETED,
                duration=call.duration,
                started_at=started,
                ended_at=started + timedelta(seconds=40),
            )
            call.answered_by = AnsweredBy.FALLBACK
        call.save(update_fields=["to_number", "language", "answered_by", "answered_advertiser"])
