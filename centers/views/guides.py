"""Guides for families: our own plain-language explanations next to live numbers."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from centers.filters import COMBINATION_OPTION, CenterFilter
from centers.models import COMBINATION, CareSetting, Center, TherapyType

# The listing's own name for the option each combination link opens.
COMBINATION_NAME = COMBINATION_OPTION.name


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
            return "less than 1%"
        return f"{round(self.share)}%"


@dataclass
class CareCount:
    slug: str
    name: str
    national: Tally
    nearby: Tally | None = None


def listing_url(slug: str, **area: str | int) -> str:
    return f"{reverse('centers:list')}?{urlencode({'setting': slug, **area})}"


def care_counts(area: CenterFilter) -> list[CareCount]:
    """Each care setting and the combination, counted nationally and, if ``area`` has a ZIP
    code we know, within its radius. Three queries whatever the number of settings."""
    settings = [*CareSetting.objects.values_list("slug", "name"), (COMBINATION, COMBINATION_NAME)]
    slugs = [slug for slug, _name in settings]
    total, counts = Center.objects.published().count_by_setting(slugs)
    rows = [
        CareCount(slug, name, Tally(count, total, listing_url(slug)))
        for (slug, name), count in zip(settings, counts, strict=True)
    ]
    if area.origin is not None:
        near = {"near": area.form.cleaned_data["near"], "radius": area.form.cleaned_data["radius"]}
        total, counts = area.qs.count_by_setting(slugs)
        for row, count in zip(rows, counts, strict=True):
            row.nearby = Tally(count, total, listing_url(row.slug, **near))
    return rows


@require_safe
def guide_inpatient_outpatient(request: HttpRequest) -> HttpResponse:
    # The listing's own filter reads the ZIP code and radius, so bad values get the same
    # messages there and here, and "near" means exactly what it means in the listing.
    area = CenterFilter({key: request.GET.get(key, "") for key in ("near", "radius")}, facets=[])
    area.validate()  # sets area.origin when the ZIP code is one we know
    context = {
        "counts": care_counts(area),
        "area": area,
        "therapies": TherapyType.objects.only("slug", "name"),
    }
    return render(request, "guides/inpatient_vs_outpatient.html", context)
