from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from centers.filters import CenterFilter, load_facets
from centers.forms import ProblemReportForm
from centers.geo import normalise_zip
from centers.models import CareSetting, Center, CenterQuerySet, Service, TherapyType
from centers.pages import page_of
from helplines.models import is_paid_advertiser

TERM_PREVIEW_SIZE = 10


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "centers/home.html",
        {
            "therapies": TherapyType.objects.all(),
            "care_settings": CareSetting.objects.all(),
            "center_count": Center.objects.published().count(),
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
    filterset = CenterFilter(request.GET, facets=load_facets())
    results = _with_paid_status(filterset.ordered_results().for_cards())
    page, page_notice = page_of(request, results)
    filterset.count_facets()
    context = {
        "filter": filterset,
        "page": page,
        "notices": [*filterset.notices, *([page_notice] if page_notice else [])],
    }
    # htmx swaps in just the results and the facet counts; a history restore needs the page.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "centers/center_list.html" + ("#htmx_response" if fragment else "")
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(_detail_queryset(), slug=slug)
    return _render_detail(request, center, ProblemReportForm())


@require_POST
def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(_detail_queryset(), slug=slug)
    form = ProblemReportForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, center, form, status=400)
    if not form.is_spam():
        form.instance.center = center
        form.save()
    messages.success(request, "Thank you. Our editors will check this listing.")
    return redirect(f"{center.get_absolute_url()}#report")


def _detail_queryset():
    # Hidden listings are not public; closed ones stay reachable so old links explain why.
    return _with_paid_status(Center.objects.exclude(status=Center.Status.HIDDEN)).prefetch_related(
        "therapies",
        "care_settings",
        "medications",
        "payment_options",
        "populations",
        "languages",
        "accreditations",
        Prefetch("services", queryset=Service.objects.select_related("category")),
    )


def _render_detail(
    request: HttpRequest, center: Center, form: ProblemReportForm, status: int = 200
) -> HttpResponse:
    services = sorted(center.services.all(), key=lambda s: (s.category.position, s.position))
    groups = [
        (category, list(items)) for category, items in groupby(services, lambda s: s.category)
    ]
    return render(
        request,
        "centers/center_detail.html",
        {"center": center, "service_groups": groups, "report_form": form},
        status=status,
    )


def _with_paid_status(centers: CenterQuerySet) -> CenterQuerySet:
    """Paid status is always visible: every listing of centers carries it, in the same query."""
    return centers.annotate(is_paid_advertiser=is_paid_advertiser())


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
    filterset = CenterFilter({param: [term.slug]}, facets=load_facets())
    results = _with_paid_status(filterset.ordered_results().for_cards())
    context = {
        "term": term,
        "param": param,
        "total": results.count(),
        "preview": results[:TERM_PREVIEW_SIZE],
        "listing_url": f"{reverse('centers:list')}?{urlencode({param: term.slug})}",
    }
    return render(request, "centers/term_detail.html", context)
