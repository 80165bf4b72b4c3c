"""Split us-atlas's county outlines into one small TopoJSON file per state.

The map draws a state's counties when it is zoomed in to that state; the whole country's file
(``counties-10m.json``, 250 KB gzipped) would break the map's 120 KB budget, while one state's
is a few KB. Each file keeps the original quantization (``transform``) and only the arcs its
counties use, renumbered, so topojson-client reads it like the original.

Run from the project directory after installing the pinned version from npm into a scratch
directory (``npm install --prefix /tmp/atlas us-atlas@3.0.1``)::

    python manage.py split_county_outlines /tmp/atlas/node_modules/us-atlas/counties-10m.json

It rewrites ``static/map/counties/<state FIPS>.json``.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

OUT = Path(settings.BASE_DIR) / "static" / "map" / "counties"


def _arc_indexes(arcs: list) -> list[int]:
    """Every arc index in a geometry's (nested) ``arcs``."""
    if arcs and isinstance(arcs[0], int):
        return arcs
    return [index for part in arcs for index in _arc_indexes(part)]


def _renumber(arcs: list, new_index: dict[int, int]) -> list:
    # An index below zero is the one's complement of an arc read backwards (~i): keep the sign.
    if arcs and isinstance(arcs[0], int):
        return [new_index[i] if i >= 0 else ~new_index[~i] for i in arcs]
    return [_renumber(part, new_index) for part in arcs]


def split(source: Path) -> None:
    atlas = json.loads(source.read_text())
    by_state: dict[str, list[dict]] = {}
    for county in atlas["objects"]["counties"]["geometries"]:
        by_state.setdefault(county["id"][:2], []).append(county)
    OUT.mkdir(parents=True, exist_ok=True)
    for state, counties in sorted(by_state.items()):
        used = sorted({i if i >= 0 else ~i for c in counties for i in _arc_indexes(c["arcs"])})
        new_index = {old: new for new, old in enumerate(used)}
        topology = {
            "type": "Topology",
            "transform": atlas["transform"],
            "objects": {
                "counties": {
                    "type": "GeometryCollection",
                    "geometries": [
                        {**county, "arcs": _renumber(county["arcs"], new_index)}
                        for county in counties
                    ],
                }
            },
            "arcs": [atlas["arcs"][old] for old in used],
        }
        path = OUT / f"{state}.json"
        path.write_text(json.dumps(topology, separators=(",", ":")))
        print(f"{path.name}: {len(counties)} counties, {len(used)} arcs")


class Command(BaseCommand):
    help = "Split us-atlas's counties-10m.json into one TopoJSON file per state in static/map."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="us-atlas's counties-10m.json")

    def handle(self, *args: object, source: Path, **options: object) -> None:
        split(source)
