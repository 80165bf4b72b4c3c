"""Distances between ZIP codes and centers, with no network.

ZIP centroids come from the ``zipcodes`` package, which ships the US Census ZIP Code Tabulation
Area data inside the wheel, held by its native extension. Distance searches first cut a
latitude/longitude box on indexed columns, then compute the exact great-circle (haversine)
distance in SQL for what is inside.
"""

import math
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import zipcodes
from django.db.models import Expression, F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

# The extension module's list_all() returns a list without caching it (zipcodes is pinned).
from zipcodes import _zipcodes

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.05
ZIP_PATTERN = re.compile(r"^\d{5}(?:-?\d{4})?$")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class _ZipTable:
    """Every ZIP's centroid as three arrays, ZIPs (as numbers) ascending: about 1 MB."""

    codes: np.ndarray
    latitudes: np.ndarray
    longitudes: np.ndarray


_zip_table: _ZipTable | None = None
_zip_table_lock = threading.Lock()


def _table() -> _ZipTable:
    global _zip_table
    if _zip_table is None:
        with _zip_table_lock:
            if _zip_table is None:
                centroids = all_zip_centroids(from_extension=True)
                codes = sorted(centroids)
                _zip_table = _ZipTable(
                    np.array([int(code) for code in codes], dtype=np.int32),
                    np.array([centroids[code].latitude for code in codes], dtype=np.float64),
                    np.array([centroids[code].longitude for code in codes], dtype=np.float64),
                )
    return _zip_table


@lru_cache(maxsize=8192)
def _centroid(code: str) -> Point | None:
    # A binary search in the compact table (microseconds). The extension's own lookup scans its
    # table, about 1.5 ms, and a search near a ZIP nobody asked for before paid it each time.
    table = _table()
    number = int(code)
    at = int(np.searchsorted(table.codes, number))
    if at < len(table.codes) and table.codes[at] == number:
        return Point(float(table.latitudes[at]), float(table.longitudes[at]))
    return None


# The words that follow a county's name in the Census data ("Cook County", "Orleans Parish");
# a client may leave them off.
COUNTY_SUFFIXES = (" county", " parish", " borough", " municipio", " census area")


def _county_key(name: str, state: str) -> tuple[str, str]:
    name = " ".join(name.lower().split())
    for suffix in COUNTY_SUFFIXES:
        name = name.removesuffix(suffix)
    return name, state.upper()


@cache
def _county_zips() -> dict[tuple[str, str], frozenset[str]]:
    # Built once per process, on the first county search (the open-data API only; about 3,300
    # counties). The Census data gives each ZIP the one county that holds most of it, so a ZIP
    # straddling a line counts for that county alone. The full list is read from the extension
    # directly, so that it is not kept (``zipcodes.list_all()`` would cache it for good).
    zips: dict[tuple[str, str], set[str]] = {}
    for entry in _zipcodes.list_all():
        if entry["county"] and entry["state"]:
            zips.setdefault(_county_key(entry["county"], entry["state"]), set()).add(
                entry["zip_code"]
            )
    return {key: frozenset(codes) for key, codes in zips.items()}


@cache
def _zip_counties() -> dict[str, str]:
    # Built once per process, on the first map of a state with more results than points are
    # drawn for: {ZIP: county name}, about 42,000 entries, read as ``_county_zips`` reads them.
    return {
        entry["zip_code"]: entry["county"]
        for entry in _zipcodes.list_all()
        if entry["county"] and entry["zip_code"]
    }


def zip_county(raw: object) -> str | None:
    """The county (``"Cook County"``) that holds most of a ZIP code; None if unknown."""
    code = normalise_zip(raw)
    return _zip_counties().get(code) if code else None


def county_zips(name: str, state: str) -> frozenset[str]:
    """The ZIP codes of a county (``"Cook County"`` or ``"Cook"``) in a state; empty if unknown."""
    return _county_zips().get(_county_key(name, state), frozenset())


def normalise_zip(raw: object) -> str | None:
    """``'02134-1234'`` -> ``'02134'``; numbers that lost a leading zero are padded back."""
    text = str(raw or "").strip()
    if re.fullmatch(r"\d{3,4}", text):
        text = text.zfill(5)
    if not ZIP_PATTERN.match(text):
        return None
    return text[:5]


def load_zip_table() -> None:
    """Read the ZIP table now instead of on the first distance search.

    The package's native table (about 37 MB) is read on its first lookup, whichever ZIP, and
    the centroids are then kept as compact arrays (``_table``; about 0.3 s and, while the
    package's dicts exist, 70 MB). gunicorn's master calls this before it forks the workers
    (``directory/gunicorn.conf.py``), so they share one copy rather than each reading its own
    (``bench/worker_memory.py``).
    """
    _table()


def all_zip_centroids(*, from_extension: bool = False) -> dict[str, Point]:
    """Every ZIP's centroid at once, for batch jobs (the importer) and the compact table,
    never per request: building it takes about 0.3 s and 70 MB while ``list_all()``'s dicts
    exist. Same answers as ``zip_centroid``. ``from_extension`` reads the extension's list,
    which ``zipcodes.list_all()`` would keep for good."""
    centroids: dict[str, Point] = {}
    for entry in _zipcodes.list_all() if from_extension else zipcodes.list_all():
        code = entry["zip_code"]
        latitude, longitude = float(entry["lat"] or 0), float(entry["long"] or 0)
        if code not in centroids and (latitude, longitude) != (0, 0):
            centroids[code] = Point(latitude, longitude)
    return centroids


def zip_centroid(raw: object) -> Point | None:
    """The centroid of the ZIP ``raw`` names (first of its entries with a location), or None."""
    code = normalise_zip(raw)
    return _centroid(code) if code else None


def bounding_box(origin: Point, radius_miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a box that contains the whole circle."""
    lat_delta = radius_miles / MILES_PER_DEGREE_LATITUDE
    # Longitude degrees shrink towards the poles; clamp so the box never divides by ~0.
    cos_lat = max(math.cos(math.radians(origin.latitude)), 0.01)
    lng_delta = radius_miles / (MILES_PER_DEGREE_LATITUDE * cos_lat)
    return (
        origin.latitude - lat_delta,
        origin.latitude + lat_delta,
        origin.longitude - lng_delta,
        origin.longitude + lng_delta,
    )


def miles_between(a: Point, b: Point) -> float:
    """Great-circle distance in Python, for single pairs (the compare page)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlng = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def distance_expression(origin: Point) -> Expression:
    """SQL haversine distance in miles from ``origin`` to a row's latitude/longitude."""
    lat0 = math.radians(origin.latitude)
    lng0 = math.radians(origin.longitude)
    dlat = (Radians(F("latitude")) - Value(lat0)) / Value(2.0)
    dlng = (Radians(F("longitude")) - Value(lng0)) / Value(2.0)
    h = Power(Sin(dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(F("latitude"))) * Power(
        Sin(dlng), 2
    )
    # h stays well below 1 for any radius we allow (500 miles), so ASIN never sees > 1.
    return Value(2 * EARTH_RADIUS_MILES) * ASin(Sqrt(h), output_field=FloatField())
