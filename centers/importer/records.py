"""From source rows to facilities: validation, identity, and the merge of repeated rows.

Nothing here touches the database. A row that cannot become a listing (no name, no city, a
malformed state or ZIP, a value too long to store) is skipped with its row number and reason; a
row with a fixable fault (a bad phone, unusable coordinates) is kept and the fault reported.
"""

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from centers import geo
from centers.models import Center
from directory import phones

from .reader import SourceRow

# Center field <- source column. The import owns these fields and rewrites them on every import;
# fields it does not own (description, website, status, last_verified, slug) are never touched.
TEXT_COLUMNS = {
    "name": "name1",
    "secondary_name": "name2",
    "street": "street1",
    "street2": "street2",
    "city": "city",
}
PHONE_COLUMNS = {
    "phone": "phone",
    "intake_phone": "intake1",
    "intake_phone_2": "intake2",
    "intake_phone_alt": "intake1a",
    "intake_phone_2_alt": "intake2a",
}
KEY_LENGTH = Center._meta.get_field("samhsa_key").max_length
# Compiled once: these run on every row, and re's own cache costs a lookup each time.
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")
_STATE = re.compile(r"[A-Z]{2}")
_TEXT_LIMITS = {name: Center._meta.get_field(name).max_length for name in TEXT_COLUMNS}

# USPS street suffixes and directionals, so "12 North Main Street" in one edition and
# "12 N Main St" in another are the same facility. Applied to the street only: in names,
# "St" may well be "Saint".
_STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr",
    "lane": "ln", "court": "ct", "place": "pl", "highway": "hwy", "parkway": "pkwy",
    "circle": "cir", "terrace": "ter", "trail": "trl", "route": "rte", "expressway": "expy",
    "freeway": "fwy", "plaza": "plz", "square": "sq", "suite": "ste", "building": "bldg",
    "floor": "fl", "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    kind: str  # Short and shared by rows with the same fault, e.g. "bad phone".
    detail: str


@dataclass(slots=True)
class Facility:
    """One facility of the file: one row, or several rows with the same identity merged.

    Every facility of a file is held until the file is written, so this stays small (about
    1.5 KB): codes are a sorted tuple of strings shared by all facilities, not a set (a set of
    75 codes alone takes 4 KB).
    """

    key: str
    rows: list[int]  # The first row's details are used; later rows add their codes.
    fields: dict[str, object]
    codes: tuple[str, ...]  # Distinct and sorted.
    # The codes later rows added -> the first row that lists each, for reports; None while no
    # later row added one (every code is then the first row's).
    added_code_rows: dict[str, int] | None
    coordinates_from: str  # "file", "zip", or "" when no coordinates could be found.

    def first_row_listing(self, code: str) -> int:
        if self.added_code_rows is not None and code in self.added_code_rows:
            return self.added_code_rows[code]
        return self.rows[0]


@dataclass(slots=True)
class ParsedRows:
    rows: int = 0  # Facility rows read; blank spreadsheet rows are not counted.
    facilities: list[Facility] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    duplicate_rows: int = 0  # Rows merged into an earlier row with the same identity.
    duplicate_keys: int = 0  # Identities that more than one row shares.


def identity_key(name: str, street: str, zip_code: str) -> str:
    """The identity of a facility across rows, files and editions.

    Case, accents, punctuation, "&"/"and" and street-suffix spelling do not matter; the ZIP is
    its five-digit form.
    """
    street_words = [_STREET_WORDS.get(word, word) for word in _words(street)]
    return "|".join((" ".join(_words(name)), " ".join(street_words), zip_code))[:KEY_LENGTH]


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_A_WORD.sub(" ", ascii_text.casefold().replace("&", " and ")).split()


def split_codes(text: str) -> list[str]:
    """``'SA DT * OP'`` -> ``['SA', 'DT', 'OP']``: the ``*`` only separates category groups."""
    return [code for code in text.upper().split() if code != "*"]


def parse_rows(rows: Iterable[SourceRow], *, has_coordinates: bool) -> ParsedRows:
    """Check each row as it is read and merge rows with the same identity.

    ``rows`` is consumed once, lazily: only the facilities are kept, never the rows.
    """
    parsed = ParsedRows()
    by_key: dict[str, Facility] = {}
    phone_numbers = _PhoneNumbers()
    centroids = _Centroids()
    for row in rows:
        parsed.rows += 1
        facility = _facility(row, has_coordinates, phone_numbers, centroids, parsed)
        if facility is None:
            continue
        earlier = by_key.get(facility.key)
        if earlier is None:
            by_key[facility.key] = facility
            parsed.facilities.append(facility)
            continue
        # SAMHSA lists some programmes of one provider at the same address as separate rows
        # (e.g. residential and outpatient). They are one place to a patient: one center with
        # every code of every row, and the first row's name and phones.
        parsed.duplicate_rows += 1
        if len(earlier.rows) == 1:
            parsed.duplicate_keys += 1
        earlier.rows.append(row.number)
        added = set(facility.codes).difference(earlier.codes)
        if added:
            if earlier.added_code_rows is None:
                earlier.added_code_rows = {}
            earlier.added_code_rows.update(dict.fromkeys(added, row.number))
            earlier.codes = tuple(sorted(added.union(earlier.codes)))
    return parsed


# How SAMHSA writes nearly every number: ``205-216-0200``. A NANP area code starts with 2-9,
# so ``phones.normalise`` reads it as +1 and its ten digits (tests check the two agree).
_PLAIN_NUMBER = re.compile(r"[2-9]\d\d-\d{3}-\d{4}")


class _PhoneNumbers(dict[str, str | phones.InvalidPhoneNumber]):
    """``phones.normalise`` remembered per raw text: parsing is the costliest step of a row,
    and providers repeat their intake and hotline numbers on row after row."""

    def __missing__(self, raw: str) -> str | phones.InvalidPhoneNumber:
        if _PLAIN_NUMBER.fullmatch(raw):
            # About 0.5 us instead of 100 us for phonenumbers' parse, on 100,000 distinct rows.
            result: str | phones.InvalidPhoneNumber = "+1" + raw.replace("-", "")
            self[raw] = result
            return result
        try:
            result = phones.normalise(raw)
        except phones.InvalidPhoneNumber as error:
            result = error
        self[raw] = result
        return result


def _facility(
    row: SourceRow,
    has_coordinates: bool,
    phone_numbers: _PhoneNumbers,
    centroids: "_Centroids",
    parsed: ParsedRows,
) -> Facility | None:
    values = row.values

    def skip(kind: str, detail: str) -> None:
        parsed.skipped.append(RowProblem(row.number, kind, detail))

    if not values.get("name1"):
        skip("no name", "name1 is blank")
        return None
    if not values.get("city"):
        skip("no city", "city is blank")
        return None
    state = values.get("state", "").upper()
    if not _STATE.fullmatch(state):
        skip("bad state", f"state {values.get('state', '')!r} is not a two-letter USPS code")
        return None
    zip_code = geo.normalise_zip(values.get("zip"))
    if zip_code is None:
        skip("bad ZIP", f"ZIP {values.get('zip', '')!r} is not a 5- or 9-digit ZIP code")
        return None
    fields: dict[str, object] = {"state": state, "zip_code": zip_code}
    for name, column in TEXT_COLUMNS.items():
        text = values.get(column, "")
        limit = _TEXT_LIMITS[name]
        if len(text) > limit:
            skip("too long", f"{column} has {len(text)} characters; at most {limit} fit")
            return None
        fields[name] = text
    for name, column in PHONE_COLUMNS.items():
        number = phone_numbers[values.get(column, "")]
        if isinstance(number, phones.InvalidPhoneNumber):
            parsed.warnings.append(RowProblem(row.number, "bad phone", f"{column}: {number}"))
            number = ""
        fields[name] = number
    coordinates_from = _locate(row, fields, has_coordinates, centroids, parsed)
    codes = split_codes(values.get("service_code_info", ""))
    if not codes:
        parsed.warnings.append(RowProblem(row.number, "no codes", "service_code_info is blank"))
    return Facility(
        key=identity_key(str(fields["name"]), str(fields["street"]), zip_code),
        rows=[row.number],
        fields=fields,
        # Interned: the same few hundred code strings, shared by every facility.
        codes=tuple(map(sys.intern, sorted(set(codes)))),
        added_code_rows=None,
        coordinates_from=coordinates_from,
    )


class _Centroids(dict[str, geo.Point | None]):
    """ZIP centroids remembered for the whole file. A single lookup costs about 0.25 ms and a
    national file has about 30,000 distinct ZIPs, more than ``geo``'s own cache keeps: past
    the first thousand (0.25 s, what building it costs), the whole table is read at once."""

    LOOKUPS_BEFORE_TABLE = 1000

    def __init__(self) -> None:
        super().__init__()
        self._table: dict[str, geo.Point] | None = None

    def __missing__(self, zip_code: str) -> geo.Point | None:
        if self._table is None and len(self) >= self.LOOKUPS_BEFORE_TABLE:
            self._table = geo.all_zip_centroids()
        table = self._table
        point = table.get(zip_code) if table is not None else geo.zip_centroid(zip_code)
        self[zip_code] = point
        return point


def _locate(
    row: SourceRow,
    fields: dict[str, object],
    has_coordinates: bool,
    centroids: _Centroids,
    parsed: ParsedRows,
) -> str:
    """Set latitude/longitude from the file's columns, else the ZIP centroid; say which."""
    if has_coordinates:
        raw = (row.values.get("latitude", ""), row.values.get("longitude", ""))
        if any(raw):
            point = _coordinates(*raw)
            if point is not None:
                fields["latitude"], fields["longitude"] = point
                fields["exact_location"] = True
                return "file"
            parsed.warnings.append(
                RowProblem(
                    row.number,
                    "bad coordinates",
                    f"latitude/longitude {raw[0]!r}, {raw[1]!r} unusable; ZIP centroid used",
                )
            )
    # A ZIP's centre is only roughly where the center is: the map and its page say so.
    fields["exact_location"] = False
    centroid = centroids[str(fields["zip_code"])]
    # The ZIP data marks the ZIPs it cannot place (military mail, some Pacific islands such as
    # Yap, FM 96943) with 0, 0: a point in the Atlantic off Africa, worse than none.
    if centroid is None or (centroid.latitude, centroid.longitude) == (0.0, 0.0):
        fields["latitude"] = fields["longitude"] = None
        return ""
    fields["latitude"], fields["longitude"] = centroid.latitude, centroid.longitude
    return "zip"


def _coordinates(latitude: str, longitude: str) -> tuple[float, float] | None:
    try:
        point = float(latitude), float(longitude)
    except ValueError:
        return None
    # (0, 0) is the usual placeholder for "not geocoded", in the Atlantic off Africa.
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180) or point == (0.0, 0.0):
        return None
    return point
