"""Write imported centers back out in SAMHSA's directory layout.

The CSV has the columns of the directory's ``Facilities List`` sheet plus ``latitude`` and
``longitude``, so it imports with ``import_samhsa`` like any published copy, and importing it
over the database it came from changes nothing. Coordinates are written only where they are the
center's own (``exact_location``): a ZIP code's centre written out would come back as the
center's own location.
"""

import csv
from typing import TextIO

from centers.models import Center
from directory.spreadsheets import neutralise

from .codes import CodeBook

COLUMNS = (
    "name1",
    "name2",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake1",
    "intake2",
    "intake1a",
    "intake2a",
    "service_code_info",
    "latitude",
    "longitude",
)
_FIELDS = (
    "name",
    "secondary_name",
    "street",
    "street2",
    "city",
    "state",
    "zip_code",
    "phone",
    "intake_phone",
    "intake_phone_2",
    "intake_phone_alt",
    "intake_phone_2_alt",
)


def export_centers(stream: TextIO, *, directory: str | None = None) -> int:
    """Write every imported center to ``stream``; return how many.

    With ``directory`` (``su`` or ``mh``), only the centers that directory lists, with the
    codes it lists for them; otherwise every imported center with the codes of all
    directories. Centers entered by hand are not exported: they have no SAMHSA identity.
    """
    book = CodeBook.from_database()
    centers = Center.objects.exclude(samhsa_key="").order_by("state", "city", "name", "pk")
    if directory is not None:
        centers = centers.filter(samhsa_codes__has_key=directory)
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for center in centers.values(
        *_FIELDS, "latitude", "longitude", "exact_location", "samhsa_codes"
    ).iterator(chunk_size=2000):
        listed: dict[str, list[str]] = center["samhsa_codes"] or {}
        if directory is not None:
            codes = set(listed.get(directory, []))
        else:
            codes = set().union(*listed.values())
        # Names come from SAMHSA's file or an admin: a cell must never run as a formula. The
        # importer's restore() undoes this, so exporting and re-importing changes nothing.
        text = [neutralise(center[name]) for name in _FIELDS[:7]]
        phones = [neutralise(samhsa_phone(center[name])) for name in _FIELDS[7:]]
        coordinates = (
            [_number(center["latitude"]), _number(center["longitude"])]
            if center["exact_location"]
            else ["", ""]
        )
        writer.writerow([*text, *phones, neutralise(book.service_code_info(codes)), *coordinates])
        count += 1
    return count


def samhsa_phone(stored: str) -> str:
    """A stored number in the directory's own style: ``202-555-0147 x12``."""
    number, _, extension = stored.partition(";ext=")
    if number.startswith("+1") and len(number) == 12:
        number = f"{number[2:5]}-{number[5:8]}-{number[8:]}"
    return f"{number} x{extension}" if extension else number


def _number(value: float | None) -> str:
    # repr() is the shortest text that reads back as the same float: a re-import then finds
    # exactly the stored coordinates and changes nothing.
    return "" if value is None else repr(value)
