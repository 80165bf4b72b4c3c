"""The comparison table's rows: what tells the chosen centers apart."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from centers.geo import Point, miles_between
from centers.models import TERM_KINDS, Center

# (row group label, Center relation) for the rows that list terms, in page order. The labels
# are the registry's English (``TermKind.plural``); build_groups() translates them.
TERM_GROUPS: list[tuple[str, str]] = [
    (kind.plural, kind.relation) for kind in sorted(TERM_KINDS, key=lambda k: k.compare_position)
]
# The same labels, collected here for the translators.
TERM_GROUP_LABELS = (
    gettext_noop("Care settings"),
    gettext_noop("Therapies"),
    gettext_noop("Medications"),
    gettext_noop("Payment accepted"),
    gettext_noop("Who they serve"),
    gettext_noop("Languages other than English"),
    gettext_noop("Licences and accreditation"),
)


@dataclass
class Row:
    """One line of the table: a label and one value per center.

    ``kind`` tells the template how to show the values: ``term`` and ``yes-no`` are booleans
    (offered or not), ``distance`` miles or ``None``, ``date`` a date or ``None``, ``place`` and
    ``phone`` a center. Only ``compared`` rows can differ: where a center is and how to call it
    always differ and say nothing about care. ``pinned`` rows stay in "only differences".
    """

    label: str
    kind: str
    values: list[Any]
    url: str = ""
    compared: bool = True
    pinned: bool = False

    @property
    def differs(self) -> bool:
        if not self.compared or len(self.values) < 2:
            return False
        return len({self._key(value) for value in self.values}) > 1

    @staticmethod
    def _key(value: Any) -> Any:
        # Distances that print the same are the same to a reader.
        return round(value, 1) if isinstance(value, float) else value


@dataclass
class Group:
    label: str
    rows: list[Row]
    note: str = ""

    def only_differences(self) -> "Group":
        """The pinned rows and the rows that differ."""
        return Group(self.label, [row for row in self.rows if row.differs or row.pinned], self.note)


def _term_rows(centers: Sequence[Center], relation: str) -> list[Row]:
    """One row per term that at least one of ``centers`` lists (from the prefetched rows)."""
    offered = [{term.pk for term in getattr(center, relation).all()} for center in centers]
    terms = {term.pk: term for center in centers for term in getattr(center, relation).all()}
    ordered = sorted(terms.values(), key=lambda term: (term.position, term.name))
    rows = []
    for term in ordered:
        url = term.get_absolute_url() if hasattr(term, "get_absolute_url") else ""
        rows.append(Row(term.local_name, "term", [term.pk in pks for pks in offered], url=url))
    return rows


def build_groups(centers: Sequence[Center], origin: Point | None) -> list[Group]:
    """The table's row groups for ``centers`` (prefetched by ``compare_queryset``), no queries."""
    basics = [
        Row(gettext("Where"), "place", list(centers), compared=False, pinned=True),
        Row(gettext("Phone"), "phone", list(centers), compared=False, pinned=True),
    ]
    if origin is not None:
        basics.append(
            Row(
                gettext("Distance"),
                "distance",
                [
                    miles_between(origin, center.location) if center.location else None
                    for center in centers
                ],
            )
        )
    basics += [
        # Who pays us is always in view, even when every center gives the same answer.
        Row(
            gettext("Paid advertiser"),
            "paid",
            [bool(center.is_paid_advertiser) for center in centers],
            pinned=True,
        ),
        Row(gettext("Details last verified"), "date", [center.last_verified for center in centers]),
    ]
    groups = [Group(gettext("The basics"), basics)]
    for label, relation in TERM_GROUPS:
        rows = _term_rows(centers, relation)
        note = ""
        if relation == "care_settings":
            rows.append(
                Row(
                    gettext("Combination of 24-hour and outpatient care"),
                    "yes-no",
                    [center.offers_combination() for center in centers],
                    url=reverse("centers:guide-inpatient-outpatient") + "#combination",
                )
            )
        elif not rows:
            note = gettext("None of these centers lists any.")
        groups.append(Group(gettext(str(label)), rows, note))
    return groups
