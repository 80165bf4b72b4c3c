"""Guides for families: our own plain-language explanations next to live numbers."""

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from centers.filters import COMBINATION_OPTION, CenterFilter
from centers.models import COMBINATION, CareSetting, Center, CenterQuerySet, TherapyType

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


def count_by_setting(centers: CenterQuerySet, slugs: Sequence[str]) -> tuple[int, list[int]]:
    """How many ``centers`` there are, and how many offer each of ``slugs``, in one query.

    The rules are the listing's ``setting`` filter (``CenterQuerySet.offering_any``):
    ``combination`` is a 24-hour setting plus an outpatient one. So each count matches the
    listing its link opens.
    """
    through = Center.care_settings.through
    aggregates = {"total": Count("pk")}
    for index, slug in enumerate(slugs):
        if slug == COMBINATION:
            condition = CenterQuerySet.combination_condition()
        else:
            condition = Q(
                Exists(through.objects.filter(center=OuterRef("pk"), caresetting__slug=slug))
            )
        # Aliases are indexes, not slugs: a slug may hold characters an SQL alias may not.
        aggregates[f"n{index}"] = Count("pk", filter=condition)
    result = centers.order_by().aggregate(**aggregates)
    return result["total"], [result[f"n{index}"] for index in range(len(slugs))]


def listing_url(slug: str, **area: str | int) -> str:
    return f"{reverse('centers:list')}?{urlencode({'setting': slug, **area})}"


def care_counts(area: CenterFilter) -> list[CareCount]:
    """Each care setting and the combination, counted nationally and, if ``area`` has a ZIP
    code we know, within its radius. Three queries whatever the number of settings."""
    settings = [*CareSetting.objects.values_list("slug", "name"), (COMBINATION, COMBINATION_NAME)]
    slugs = [slug for slug, _name in settings]
    nearby = area.qs  # validates the ZIP code and radius first, which sets area.origin
    total, counts = count_by_setting(Center.objects.published(), slugs)
    rows = [
        CareCount(slug, name, Tally(count, total, listing_url(slug)))
        for (slug, name), count in zip(settings, counts, strict=True)
    ]
    if area.origin is not None:
        near = {"near": area.form.cleaned_data["near"], "radius": area.form.cleaned_data["radius"]}
        total, counts = count_by_setting(nearby, slugs)
        for row, count in zip(rows, counts, strict=True):
            row.nearby = Tally(count, total, listing_url(row.slug, **near))
    return rows


@require_safe
def guide_inpatient_outpatient(request: HttpRequest) -> HttpResponse:
    # The listing's own filter reads the ZIP code and radius, so bad values get the same
    # messages there and here, and "near" means exactly what it means in the listing.
    area = CenterFilter({key: request.GET.get(key, "") for key in ("near", "radius")}, facets=[])
    context = {
        "counts": care_counts(area),
        "area": area,
        "therapies": TherapyType.objects.only("slug", "name"),
    }
    return render(request, "guides/inpatient_vs_outpatient.html", context)
