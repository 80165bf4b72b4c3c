"""Guides for families: our own plain-language explanations next to live numbers."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from centers.catalog_index import CatalogIndex, current_index
from centers.filters import CenterFilter, facets_of
from centers.models import TherapyType


@dataclass
class Tally:
    """How many centers in one area offer one kind of care."""

    count: int
    total: int
    url: str

    @property
    def share(self) -> float:
        return 100 * self.count / self.total if self.total else 0.0

    @property
    def bar_width(self) -> str:
        """For an SVG ``width`` attribute (the CSP forbids inline styles)."""
        return f"{self.share:.1f}"

    @property
    def percent(self) -> str:
        if 0 < self.share < 1:
            return gettext("less than 1%")
        return f"{round(self.share)}%"  # the same in Spanish


@dataclass
class CareCount:
    slug: str
    name: str
    national: Tally
    nearby: Tally | None = None


def listing_url(slug: str, **area: str | int) -> str:
    return f"{reverse('centers:list')}?{urlencode({'setting': slug, **area})}"


def care_counts(area: CenterFilter, index: CatalogIndex) -> list[CareCount]:
    """Each care setting and the combination, counted nationally and, if ``area`` has a ZIP
    code we know, within its radius: the listing's own counts for its "setting" filter, from
    the catalog index (counting in SQL took 2 to 3 s at 100,000 centers)."""
    national = CenterFilter({}, facets=facets_of(index)).validate()
    rows = [
        CareCount(option.slug, option.name, Tally(option.count, total, listing_url(option.slug)))
        for option, total in _setting_counts(national, index)
    ]
    if area.origin is not None:
        near = {"near": area.form.cleaned_data["near"], "radius": area.form.cleaned_data["radius"]}
        for row, (option, total) in zip(rows, _setting_counts(area, index), strict=True):
            row.nearby = Tally(option.count, total, listing_url(row.slug, **near))
    return rows


def _setting_counts(filterset: CenterFilter, index: CatalogIndex):
    """(option, total) for every care setting option, the combination last."""
    total = len(filterset.search(index))
    return [(option, total) for option in filterset.facet_by_param["setting"].options]


@require_safe
def guide_inpatient_outpatient(request: HttpRequest) -> HttpResponse:
    # The listing's own filter reads the ZIP code and radius, so bad values get the same
    # messages there and here, and "near" means exactly what it means in the listing.
    index = current_index()
    area = CenterFilter(
        {key: request.GET.get(key, "") for key in ("near", "radius")}, facets=facets_of(index)
    )
    area.validate()  # sets area.origin when the ZIP code is one we know
    context = {
        "counts": care_counts(area, index),
        "area": area,
        # Whole rows: the reading list shows each name in the page's language (local_name reads
        # name_es in Spanish), and a deferred column would cost a query per therapy.
        "therapies": TherapyType.objects.all(),
    }
    return render(request, "guides/inpatient_vs_outpatient.html", context)
