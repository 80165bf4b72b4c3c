import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from centers.catalog_index import current_index
from centers.facts import facts_at_a_glance, page_description
from centers.filters import CenterFilter, facets_of
from centers.forms import ProblemReportForm
from centers.geo import normalise_zip
from centers.importer.editions import edition_titles
from centers.models import (
    CareSetting,
    Center,
    TherapyType,
    center_for_page,
    prefetch_terms,
)
from centers.pages import page_of
from centers.services import (
    REPORT_LIMIT,
    REPORT_WINDOW,
    allow_problem_report,
    file_problem_report,
)
from centers.structured_data import as_script_data, center_json_ld
from directory.clients import client_address

TERM_PREVIEW_SIZE = 10
logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "centers/home.html",
        {
            "therapies": TherapyType.objects.all(),
            "care_settings": CareSetting.objects.all(),
            # From the index: a count(*) of the published centers took 62 ms at 100,000.
            "center_count": len(current_index().ids),
        },
    )


@require_safe
def find(request: HttpRequest) -> HttpResponse:
    """The home page's single "ZIP code or city" box, turned into listing parameters."""
    params = [
        (key, value) for key, value in request.GET.lists() if key != "where" for value in value
    ]
    where = request.GET.get("where", "").strip()
    if where:
        params.append(("near" if normalise_zip(where) else "q", where))
    return redirect(f"{reverse('centers:list')}?{urlencode(params)}")


@require_safe
def center_list(request: HttpRequest) -> HttpResponse:
    index = current_index()
    filterset = CenterFilter(request.GET, facets=facets_of(index)).validate()
    page, page_notice = page_of(request, filterset.search(index))
    # htmx swaps in just the results and the facet counts; a history restore needs the page.
    fragment = request.htmx and not request.htmx.history_restore_request
    context = {
        "filter": filterset,
        "page": page,
        "notices": [*filterset.notices, *([page_notice] if page_notice else [])],
        # Spanish pages offer the Spanish-language filter as one link, never applied unasked.
        "spanish_services": filterset.spanish_services
        if translation.get_language() == "es"
        else None,
    }
    template = "centers/center_list.html" + ("#htmx_response" if fragment else "")
    response = render(request, template, context)
    # A history restore sends HX-Request too, and gets the full page.
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_safe
def center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    center = center_for_page(slug)
    if center is None:
        raise Http404
    return _render_detail(request, center, ProblemReportForm())


@require_POST
def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(_detail_queryset(), slug=slug)
    prefetch_terms([center])
    form = ProblemReportForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, center, form, status=400)
    if form.is_spam():  # thanked, so that the bot learns nothing
        return _thank_reporter(request, center, form)
    # Counted once valid: each stored report emails the editors, which a flood must not do.
    if not allow_problem_report(client_address=client_address(request)):
        logger.warning("Problem reports refused: one client sent more than %d", REPORT_LIMIT)
        response = _render_detail(request, center, form, status=429, limited=True)
        response["Retry-After"] = str(REPORT_WINDOW)
        return response
    file_problem_report(
        center=center,
        kind=form.cleaned_data["kind"],
        details=form.cleaned_data["details"],
        reporter_email=form.cleaned_data["reporter_email"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        site_url=f"{request.scheme}://{request.get_host()}",
    )
    return _thank_reporter(request, center, form)


def _thank_reporter(request: HttpRequest, center: Center, form: ProblemReportForm):
    thanks = (
        translation.gettext(
            "Thank you. Our editors will check this listing and email you what they did."
        )
        if form.cleaned_data["reporter_email"]
        else translation.gettext("Thank you. Our editors will check this listing.")
    )
    messages.success(request, thanks)
    return redirect(f"{center.get_absolute_url()}#report")


def _detail_queryset():
    # Hidden listings are not public; closed ones stay reachable so old links explain why.
    return Center.objects.exclude(status=Center.Status.HIDDEN).with_paid_status().with_services()


def _render_detail(
    request: HttpRequest,
    center: Center,
    form: ProblemReportForm,
    status: int = 200,
    *,
    limited: bool = False,
) -> HttpResponse:
    # Who runs it, in the page's language; a center without SAMHSA's operation codes (typed in
    # the admin) keeps its English text, which the page then marks as English.
    operator = center.local_operator_type()
    facts = facts_at_a_glance(center)
    context = {
        "center": center,
        "facts": facts,
        "meta_description": page_description(center, facts),
        "editions": edition_titles(center.samhsa_editions),
        "service_groups": center.service_groups(),
        "operator": operator,
        "operator_in_english": operator == center.operator_type
        and translation.get_language() != settings.LANGUAGE_CODE,
        "report_form": form,
        # Machines are told about listed centers only, as the sitemap lists only those.
        "structured_data": as_script_data(center_json_ld(request, center, facts))
        if center.is_listed
        else None,
        "freshness": center.availability_freshness(),
        "report_limited": limited,
    }
    return render(request, "centers/center_detail.html", context, status=status)


@require_safe
def therapy(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(TherapyType, slug=slug)
    return _render_term(request, term, "therapy")


@require_safe
def care_setting(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(CareSetting, slug=slug)
    return _render_term(request, term, "setting")


def _render_term(request: HttpRequest, term, param: str) -> HttpResponse:
    """A term's explanation above the same listing, pre-filtered to the centers offering it."""
    index = current_index()
    filterset = CenterFilter({param: [term.slug]}, facets=facets_of(index)).validate()
    results = filterset.search(index)
    context = {
        "term": term,
        "param": param,
        "total": len(results),
        "preview": results[:TERM_PREVIEW_SIZE],
        "listing_url": f"{reverse('centers:list')}?{urlencode({param: term.slug})}",
    }
    return render(request, "centers/term_detail.html", context)
