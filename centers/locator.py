"""A center page's small locator map: its state's outline, its neighbours and a dot, as SVG.

Drawn on the server from the same Census Bureau outlines the listing's map uses
(``static/map/states-10m.json``, us-atlas), so the page needs no script and no other origin.
A state's outlines are worked out once per process and served as an SVG file of their own
(``outline_svg``), which the page's map references with ``<use>``: they are the same for every
center in the state, and written into each page they were most of its weight (up to 50 KB of
80 KB) and of the time spent compressing it. Each page then only places its dot. The
projection is equirectangular, squeezed by the cosine of the state's middle latitude: at the
size of one state that is close enough to an equal-area map to locate a center, and simple.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

from centers.states import STATE_FIPS

WIDTH, HEIGHT, MARGIN = 240, 180, 30
ATLAS = "map/states-10m.json"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class LocatorMap:
    width: int
    height: int
    outline: str  # the name of the state's outline file: its code and version, "il-3f2a9c01"
    x: float
    y: float


@dataclass(frozen=True)
class Outline:
    state_path: str
    neighbour_path: str
    name: str  # the state's code and a digest of both paths: a new drawing has a new name


@cache
def _states() -> dict[str, list[Ring]]:
    """Every state's rings of (longitude, latitude), by FIPS code: decoded from TopoJSON's
    quantized, delta-encoded arcs once per process."""
    path = finders.find(ATLAS)
    with open(path, encoding="utf-8") as file:
        topology = json.load(file)
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        points: Ring = []
        for index in indexes:
            # ~i is arc i read backwards; each arc's first point repeats the previous one's last.
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    states: dict[str, list[Ring]] = {}
    for geometry in topology["objects"]["states"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        states[geometry["id"]] = [ring(indexes) for polygon in polygons for indexes in polygon]
    return states


def draw_every_state() -> None:
    """Work out every state's outlines now (gunicorn's master does, before it forks): each
    takes a few milliseconds the first time, which would otherwise fall on a visitor."""
    for fips in sorted(set(STATE_FIPS.values())):
        _state_drawing(fips)


def _unwrap(rings: list[Ring]) -> list[Ring]:
    # Alaska's Aleutians run past 180°: east longitudes become west ones beyond -180.
    return [[(lng - 360 if lng > 0 else lng, lat) for lng, lat in ring] for ring in rings]


def _bounds(rings: list[Ring]) -> tuple[float, float, float, float]:
    lngs = [lng for ring in rings for lng, _lat in ring]
    lats = [lat for ring in rings for _lng, lat in ring]
    return min(lngs), min(lats), max(lngs), max(lats)


@cache
def _state_drawing(fips: str) -> tuple[str, str, tuple[float, float, float, float]] | None:
    """The state's path, its neighbours' path and the projection (west, north, scale,
    squeeze), in the locator's box; None when the atlas has no outline for it."""
    states = _states()
    if fips not in states:
        return None
    unwrap = fips == "02"
    rings = _unwrap(states[fips]) if unwrap else states[fips]
    west, south, east, north = _bounds(rings)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = min(
        (WIDTH - 2 * MARGIN) / max((east - west) * squeeze, 1e-6),
        (HEIGHT - 2 * MARGIN) / max(north - south, 1e-6),
    )
    # Centre the state in the box.
    left = west - ((WIDTH / scale) / squeeze - (east - west)) / 2
    top = north + ((HEIGHT / scale) - (north - south)) / 2
    projection = (left, top, scale, squeeze)
    right, bottom = left + WIDTH / scale / squeeze, top - HEIGHT / scale
    neighbours = []
    for other, other_rings in states.items():
        o_west, o_south, o_east, o_north = _bounds(other_rings)
        overlaps = o_east >= left and o_west <= right and o_north >= bottom and o_south <= top
        if other != fips and overlaps:
            neighbours.extend(other_rings)
    state_path, neighbour_path = _path(rings, projection), _path(neighbours, projection)
    return state_path, neighbour_path, projection


def _project(lng: float, lat: float, projection: tuple[float, float, float, float]):
    left, top, scale, squeeze = projection
    return (lng - left) * squeeze * scale, (top - lat) * scale


def _path(rings: list[Ring], projection: tuple[float, float, float, float]) -> SafeString:
    parts = []
    for ring in rings:
        points = [_project(lng, lat, projection) for lng, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    # Letters, digits, commas, dots and minus signs only: marked safe, so that the outline file
    # (centers.views.locator_outline) does not escape tens of kilobytes of it each time.
    return mark_safe("".join(parts))


def locator_map(
    *, state: str, latitude: float | None, longitude: float | None
) -> LocatorMap | None:
    """The locator of a point in ``state``; None without coordinates or an outline."""
    fips = STATE_FIPS.get(state)
    if fips is None or latitude is None or longitude is None:
        return None
    drawing = _state_drawing(fips)
    if drawing is None:
        return None
    _state_path, _neighbour_path, projection = drawing
    if fips == "02" and longitude > 0:
        longitude -= 360
    x, y = _project(longitude, latitude, projection)
    # A point far outside its state (a wrong coordinate) would fall off the map: no map then.
    if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
        return None
    return LocatorMap(WIDTH, HEIGHT, outline_of(state).name, round(x, 1), round(y, 1))


@cache
def outline_of(state: str) -> Outline | None:
    """The outlines the locator of ``state`` draws on, or None when there are none."""
    fips = STATE_FIPS.get(state)
    drawing = _state_drawing(fips) if fips else None
    if drawing is None:
        return None
    state_path, neighbour_path, _projection = drawing
    digest = hashlib.sha256(f"{state_path}|{neighbour_path}".encode()).hexdigest()[:8]
    return Outline(state_path, neighbour_path, f"{state.lower()}-{digest}")
