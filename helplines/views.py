import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from centers import phones

from . import services, twiml
from .forms import AttemptForm, CallStatusForm, DialResultForm, IncomingCallForm
from .models import Advertiser, Disclosure, Helpline
from .webhooks import bad_request, twilio_webhook

logger = logging.getLogger(__name__)


class TelRedirect(HttpResponseRedirect):
    allowed_schemes = ["tel"]


@twilio_webhook
def voice_incoming(request: HttpRequest) -> HttpResponse:
    form = IncomingCallForm(request.POST)
    if not form.is_valid():
        return bad_request()
    data = form.cleaned_data
    step = services.route_call(
        helpline=Helpline.objects.for_number(data["To"]),
        call_sid=data["CallSid"],
        caller_number=data["From"],
        to_number=data["To"],
    )
    return twiml.respond(step, request=request)


@twilio_webhook
def voice_dial_status(request: HttpRequest) -> HttpResponse:
    query, form = AttemptForm(request.GET), DialResultForm(request.POST)
    if not (query.is_valid() and form.is_valid()):
        return bad_request()
    data = form.cleaned_data
    step = services.record_dial_result(
        call_sid=data["CallSid"],
        attempt_order=query.cleaned_data["attempt"],
        dial_status=data["DialCallStatus"],
        duration=data["DialCallDuration"],
        dial_call_sid=data["DialCallSid"],
    )
    if step is None:
        logger.warning("Dial result for unknown call %s", data["CallSid"])
        return twiml.lost_call(answered=data["DialCallStatus"] in {"completed", "answered"})
    return twiml.respond(step, request=request)


@twilio_webhook
def voice_status(request: HttpRequest) -> HttpResponse:
    form = CallStatusForm(request.POST)
    if not form.is_valid():
        return bad_request()
    data = form.cleaned_data
    call = services.record_call_status(
        call_sid=data["CallSid"], status=data["CallStatus"], duration=data["CallDuration"]
    )
    if call is None:
        logger.info("Status %s for unknown call %s", data["CallStatus"], data["CallSid"])
    return HttpResponse(status=204)


@twilio_webhook
def voice_whisper(request: HttpRequest) -> HttpResponse:
    return twiml.whisper(request.GET.get("line", ""))


@require_GET
@never_cache
def call(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a tap on a helpline number, then hand over to the phone."""
    helpline = get_object_or_404(Helpline.objects.active(), slug=slug)
    services.record_web_click(helpline=helpline)
    response = TelRedirect(phones.tel_uri(helpline.number))
    # Crawlers following the link would count as clicks and index a phone redirect.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def where_calls_go(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "helplines/where_calls_go.html",
        {
            "now": now,
            "advertisers": Advertiser.objects.current(now).for_disclosure(),
            "disclosure": Disclosure.objects.current(now),
            "fallback_is_samhsa": settings.HELPLINE_FALLBACK_NUMBER == twiml.SAMHSA_NUMBER,
            "fallback_number": phones.display(settings.HELPLINE_FALLBACK_NUMBER),
            "dial_timeout": settings.HELPLINE_DIAL_TIMEOUT,
            "max_attempts": services.MAX_ADVERTISER_ATTEMPTS,
        },
    )


@require_GET
def disclosure_history(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "helplines/disclosure_history.html",
        {
            "versions": Disclosure.objects.in_effect().only(
                "version", "effective_from", "change_note"
            )
        },
    )


@require_GET
def disclosure_version(request: HttpRequest, version: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure.objects.in_effect(), version=version)
    return render(
        request,
        "helplines/disclosure_version.html",
        {"disclosure": disclosure, "current": Disclosure.objects.current()},
    )
