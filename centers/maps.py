"""What the listing's map draws: every result under the current filters, or counts of them.

The map reads the listing's own parameters through the same ``CenterFilter`` and catalog
index, so it always shows the centers the list counts, all of them rather than one page.
Up to ``POINT_LIMIT`` results come as points (name, place, paid status, whether the location
is the center's own); past that, a body of tens of thousands of points would be slow to send
and unreadable on a map, so the results come as counts by state, and by county within a
chosen state. A county is the one of the center's ZIP code (``centers.geo.zip_county``), as
in the open-data API, since SAMHSA's files have no county column.
"""

import json
import threading
import time
from collections import Counter, OrderedDict

import numpy as np
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from centers.catalog_index import CatalogIndex
from centers.filters import CenterFilter
from centers.geo import zip_county
from centers.models import Center
from centers.states import STATE_FIPS, STATES

# Opening the map may add at most 120 KB gzipped: the scripts and outlines take about 72 KB,
# and a point about 25 bytes of real data, so past 1,500 results the map counts by county.
POINT_LIMIT = 1500
# The cache keeps a body as long as a CDN may (PUBLIC_PAGE_MAX_AGE): a paid status that
# changes within the minute is no staler here than in the shared copy of the same URL.
CACHE_SECONDS = 60
CACHE_ENTRIES = 64
COMPACT = {"separators": (",", ":"), "ensure_ascii": False}
# The order of each point's values in ``points.rows``: arrays rather than objects keep the
# body about half as large (on the 2022 file, about 25 KB gzipped per thousand points).
POINT_FIELDS = ("id", "latitude", "longitude", "name", "slug", "paid", "exact")
# Beyond this many states in view (a wide circle), counties would be too small to see.
COUNTY_OUTLINE_STATES = 3
# A detail URL with this in place of the slug; the map puts each point's slug there.
SLUG_HOLE = "slug-hole"

_STATE_NAMES = dict(STATES)


def map_json(filterset: CenterFilter, index: CatalogIndex) -> bytes:
    """The map's body for a validated ``filterset``, as JSON: kept per catalog version,
    language and parameters, and otherwise at most one query (the points' names and paid
    status, or the results' ZIP codes)."""
    key = _cache_key(filterset, index, translation.get_language() or "")
    body = _bodies.get(key)
    if body is None:
        body = json.dumps(_build(filterset, index, filterset.form.cleaned_data), **COMPACT)
        _bodies.put(key, body)
    # Notices are the request's own words about its own parameters, never kept.
    notices = json.dumps(filterset.notices, **COMPACT)
    return f'{body[:-1]},"notices":{notices}}}'.encode()


class _RecentBodies:
    """The last ``size`` bodies of this process, each for ``seconds``: the facet counts' kind
    of cache (in memory, keyed by the catalog version), but bounded by count, since a body of
    1,500 points is about 120 KB before compression."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size, self.seconds = size, seconds
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] < time.monotonic():
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: str, body: str) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + self.seconds, body)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_bodies = _RecentBodies(CACHE_ENTRIES, CACHE_SECONDS)


def _cache_key(filterset: CenterFilter, index: CatalogIndex, language: str) -> str:
    """The parameters as the filter understood them, so that spellings of the same search
    (order, repeats, bad values dropped) share one entry."""
    data = filterset.form.cleaned_data
    parts = [
        f"{name}={sorted(value) if isinstance(value, list) else value}"
        for name, value in sorted(data.items())
        if name != "sort" and value not in (None, "", [])
    ]
    origin = filterset.origin
    located = f"{origin.latitude:.5f},{origin.longitude:.5f}" if origin else ""
    return f"map:{index.token}:{language}:{located}:{'&'.join(parts)}"


def _build(filterset: CenterFilter, index: CatalogIndex, data: dict) -> dict:
    results = filterset.search(index)
    positions = results.positions
    state = data.get("state") or None
    origin = filterset.origin
    near = (
        {"latitude": origin.latitude, "longitude": origin.longitude, "radius": data["radius"]}
        if origin
        else None
    )
    body: dict = {
        "total": len(positions),
        "state": state,
        "near": near,
        "limit": POINT_LIMIT,
        "states": _state_counts(index, positions),
        "points": None,
        "counties": None,
    }
    if state is None and origin is None:
        body["view"] = "states"  # the whole country: counts per state
    elif len(positions) <= POINT_LIMIT:
        body["view"] = "points"
        body["points"] = _points(index, positions)
    elif state is not None:
        body["view"] = "counties"
        body["counties"] = _county_counts(index, positions)
    else:
        body["view"] = "states"  # a wide circle with more than POINT_LIMIT results
    # County outlines, a small file per state, only when zoomed in to a few states.
    shown = {state} if state else {entry["code"] for entry in body["states"]}
    zoomed = body["view"] != "states" and len(shown) <= COUNTY_OUTLINE_STATES
    body["outlines"] = {
        STATE_FIPS[code]: static(f"map/counties/{STATE_FIPS[code]}.json")
        for code in sorted(shown)
        if zoomed and code in STATE_FIPS
    }
    body["detail_url"] = reverse("centers:detail", args=[SLUG_HOLE])
    body["slug_hole"] = SLUG_HOLE
    body["labels"] = labels()
    return body


def labels() -> dict[str, str]:
    """The map's words in the request's language; ``{name}`` marks where a value goes."""
    return {
        "centers_one": gettext("{count} center"),
        "centers_other": gettext("{count} centers"),
        "status_states": gettext(
            "{centers} in all, counted by state. Choose a state to see its centers one by one."
        ),
        "status_points": gettext("{centers} on the map."),
        "status_approximate": gettext(
            "{count} of them at the centre of their ZIP code: an approximate location."
        ),
        "status_unplaced": gettext("{count} with no known location are in the list only."),
        "status_counties": gettext(
            "{centers}, more than the {limit} the map shows one by one: counted by county."
        ),
        "status_wide": gettext(
            "{centers}, more than the {limit} the map shows one by one: counted by state."
        ),
        "states_group": gettext(
            "States. Use the arrow keys to move between them, Enter to see a state’s centers."
        ),
        "counties_group": gettext("Counties. Use the arrow keys to move between them."),
        "points_group": gettext(
            "Centers. Use the arrow keys to move between them, Enter to open one."
        ),
        "point_approximate": gettext("{name} (approximate location)"),
        "legend_states": gettext("Centers per state"),
        "legend_counties": gettext("Centers per county"),
        "legend_none": gettext("None"),
        "legend_exact": gettext("Location given by the source"),
        "legend_approximate": gettext("Approximate location (centre of the ZIP code)"),
        "inset": gettext("Puerto Rico and U.S. Virgin Islands"),
        "not_drawn": gettext("Not drawn on this map: {places}."),
        "paid": gettext("Paid advertiser"),
        "approximate": gettext("Approximate location: the centre of its ZIP code."),
        "close": gettext("Close"),
        "table_state": gettext("State or territory"),
        "table_county": gettext("County"),
        "table_count": gettext("Centers"),
        "unknown_county": gettext("County not known"),
    }


def _state_counts(index: CatalogIndex, positions: np.ndarray) -> list[dict]:
    codes, counts = np.unique(index.states[positions], return_counts=True)
    return [
        {
            "code": code,
            "name": _STATE_NAMES.get(code, code),
            "fips": STATE_FIPS.get(code),
            "count": count,
        }
        for code, count in zip(codes.tolist(), counts.tolist(), strict=True)
        if code
    ]


def _points(index: CatalogIndex, positions: np.ndarray) -> dict:
    """The results with coordinates, in the listing's order, in one query."""
    ids = index.ids[positions].tolist()
    rows = {
        pk: row
        for pk, *row in Center.objects.filter(pk__in=ids)
        .with_paid_status()
        .values_list("pk", "name", "slug", "is_paid_advertiser", "exact_location")
    }
    points = []
    for position, pk in zip(positions.tolist(), ids, strict=True):
        latitude, longitude = index.latitude[position], index.longitude[position]
        row = rows.get(pk)
        # A center deleted since the index was built, or one with no coordinates, is left out
        # of the points (the table of counts still has it).
        if row is None or np.isnan(latitude) or np.isnan(longitude):
            continue
        name, slug, paid, exact = row
        points.append(
            [pk, round(float(latitude), 5), round(float(longitude), 5), name, slug, int(paid),
             int(exact)]
        )  # fmt: skip
    return {"fields": POINT_FIELDS, "rows": points}


def _county_counts(index: CatalogIndex, positions: np.ndarray) -> list[dict]:
    """Counts by the county of each result's ZIP code, largest first, in one query."""
    ids = index.ids[positions].tolist()
    zips = Center.objects.filter(pk__in=ids).values_list("zip_code", flat=True)
    counts = Counter(zip_county(code) or "" for code in zips.iterator(chunk_size=5000))
    return [
        {"name": name, "count": count}
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if name
    ] + ([{"name": None, "count": counts[""]}] if counts.get("") else [])
