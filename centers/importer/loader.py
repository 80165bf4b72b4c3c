"""Bulk writes: centers and their links in a handful of statements, whatever the file's size.

The 2022 substance-use file links 11,940 centers to about 900,000 service codes, plus their
terms. One ORM save per row would take many minutes; here new centers go in with
``bulk_create`` (COPY on PostgreSQL), changed ones with ``bulk_update`` grouped by the fields
that changed, and links in bulk (see ``bulk``). Only what differs from the database is written,
so importing the same file twice writes nothing the second time.

Callers run all of this inside one ``transaction.atomic()`` after ``lock_imports()``.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from centers.models import Center

from .bulk import delete_links, insert_links, insert_objects
from .codes import TERM_RELATIONS, CodeBook, TermIndex
from .editions import Edition
from .records import PHONE_COLUMNS, TEXT_COLUMNS, Facility
from .report import ImportReport

CENTER_FIELDS = (
    *TEXT_COLUMNS,
    "state",
    "zip_code",
    "latitude",
    "longitude",
    *PHONE_COLUMNS,
    "operator_type",
)
BOOKKEEPING_FIELDS = ("samhsa_editions", "samhsa_codes", "in_latest_directory")
RELATIONS = ("services", *TERM_RELATIONS)
# Any fixed number: it names the lock every import takes (see lock_imports).
_IMPORT_LOCK = 4_215_020_227
_BATCH = 1000
_SLUG_LENGTH = Center._meta.get_field("slug").max_length

ProgressCallback = Callable[[str, int, int | None], None]


def lock_imports() -> None:
    """Let one import at a time write, until its transaction ends.

    The race: two imports started together would each see a facility as new and both create
    it, leaving two centers with one identity. Within the lock, an import reads the centers
    only after the previous import has committed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])
    # SQLite needs nothing more: settings open every transaction with BEGIN IMMEDIATE, which
    # takes the database's single write lock before the import reads anything.


@dataclass(slots=True)
class StoredCenter:
    pk: int
    values: dict[str, object]  # CENTER_FIELDS and BOOKKEEPING_FIELDS as stored.

    @property
    def editions(self) -> list[str]:
        return list(self.values["samhsa_editions"] or [])

    @property
    def codes_by_directory(self) -> dict[str, list[str]]:
        codes = self.values["samhsa_codes"]
        return dict(codes) if isinstance(codes, dict) else {}


def stored_centers() -> dict[str, StoredCenter]:
    """Every imported center by identity. Centers entered by hand (no key) are left alone."""
    rows = (
        Center.objects.exclude(samhsa_key="")
        .order_by("pk")
        .values("pk", "samhsa_key", *CENTER_FIELDS, *BOOKKEEPING_FIELDS)
    )
    centers: dict[str, StoredCenter] = {}
    for row in rows:
        pk, key = row.pop("pk"), row.pop("samhsa_key")
        # Should an admin have copied a key onto a second center, the older one is the match.
        centers.setdefault(key, StoredCenter(pk, row))
    return centers


@dataclass(slots=True)
class _Pending:
    """A center of the file that exists already, with what the file says it should be."""

    pk: int
    values: dict[str, object]
    links: dict[str, set[int]]
    changed: list[str] = field(default_factory=list)


class SlugAllocator:
    """Readable unique slugs, ``name-city``, then ``name-city-2``... on collision."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = set(taken)

    def allocate(self, *parts: str) -> str:
        base = slugify(" ".join(parts))[: _SLUG_LENGTH - 6].strip("-") or "center"
        slug, number = base, 1
        while slug in self._taken:
            number += 1
            slug = f"{base}-{number}"
        self._taken.add(slug)
        return slug


def write_centers(
    *,
    facilities: list[Facility],
    stored: dict[str, StoredCenter],
    edition: Edition,
    latest: dict[str, Edition],
    book: CodeBook,
    terms: TermIndex,
    report: ImportReport,
    progress: ProgressCallback,
) -> None:
    """Create, update and re-link the centers of one file; mark the missing ones.

    ``latest`` is the newest edition of each directory, this file's included.
    """
    now = timezone.now()
    slugs = SlugAllocator(Center.objects.values_list("slug", flat=True))
    created: list[tuple[Center, dict[str, set[int]]]] = []
    pending: list[_Pending] = []
    for index, facility in enumerate(facilities):
        if index % 500 == 0:
            progress("matching", index, len(facilities))
        old = stored.get(facility.key)
        codes_by_directory = old.codes_by_directory if old else {}
        if codes_by_directory and edition.directory not in codes_by_directory:
            report.joined_other_directory += 1
        codes_by_directory[edition.directory] = sorted(facility.codes)
        # Services and terms follow every directory's latest listing of the center, so a code
        # dropped by one directory goes only if the other directory does not list it either.
        codes = set().union(*codes_by_directory.values())
        values = {
            **facility.fields,
            "operator_type": book.operator_type(codes),
            "samhsa_codes": codes_by_directory,
            "samhsa_editions": sorted({*(old.editions if old else []), edition.label}),
            "in_latest_directory": True,
        }
        links = terms.terms(codes)
        links["services"] = {book.service_ids[code] for code in codes & book.service_ids.keys()}
        if old is None:
            slug = slugs.allocate(str(values["name"]), str(values["city"]))
            created.append((Center(samhsa_key=facility.key, slug=slug, **values), links))
        else:
            changed = [name for name, value in values.items() if old.values[name] != value]
            pending.append(_Pending(old.pk, values, links, changed))
    progress("matching", len(facilities), len(facilities))

    steps = 2 + 2 * len(RELATIONS)
    progress("writing", 0, steps)
    removals, additions, link_counts = _diff_links(pending)
    progress("writing", 1, steps)
    _create(created)
    for center, links in created:
        for relation, targets in links.items():
            additions[relation] += [(center.pk, target) for target in targets]
    progress("writing", 2, steps)

    updates: dict[tuple[str, ...], list[Center]] = defaultdict(list)
    for item in pending:
        if not item.changed:
            report.unchanged += 1
            continue
        report.updated += 1
        report.changed_fields.update(item.changed)
        scalars = tuple(name for name in item.changed if name not in RELATIONS)
        updates[scalars].append(Center(pk=item.pk, updated_at=now, **item.values))
    _mark_missing(stored, {f.key for f in facilities}, latest, now, report, updates)
    report.created = len(created)
    # Grouped by the fields that changed: a new edition usually changes only the editions list
    # of most centers, and a two-column UPDATE is far cheaper than rewriting every column.
    for fields, centers in updates.items():
        Center.objects.bulk_update(centers, [*fields, "updated_at"], batch_size=_BATCH)

    step = 2
    for relation in RELATIONS:
        through, source, target = _link_table(relation)
        delete_links(through, removals[relation])
        step += 1
        progress("writing", step, steps)
        insert_links(
            through, source, target, additions[relation], rows_in_table=link_counts[relation]
        )
        step += 1
        progress("writing", step, steps)


def _create(created: list[tuple[Center, dict[str, set[int]]]]) -> None:
    centers = [center for center, _ in created]
    insert_objects(centers)
    if any(center.pk is None for center in centers):
        # Databases that cannot return ids from a bulk insert (MySQL): look them up by key.
        ids = dict(Center.objects.exclude(samhsa_key="").values_list("samhsa_key", "pk"))
        for center in centers:
            center.pk = ids[center.samhsa_key]


def _mark_missing(
    stored: dict[str, StoredCenter],
    in_file: set[str],
    latest: dict[str, Edition],
    now: datetime,
    report: ImportReport,
    updates: dict[tuple[str, ...], list[Center]],
) -> None:
    """Centers absent from this file stay, flagged unless another latest directory lists them."""
    latest_labels = {edition.label for edition in latest.values()}
    for key, old in stored.items():
        if key in in_file:
            continue
        in_latest = bool(latest_labels.intersection(old.editions))
        if in_latest == old.values["in_latest_directory"]:
            continue
        if in_latest:
            report.updated += 1
            report.changed_fields["in_latest_directory"] += 1
        else:
            report.marked_not_in_latest += 1
        updates[("in_latest_directory",)].append(
            Center(pk=old.pk, in_latest_directory=in_latest, updated_at=now)
        )


def _diff_links(
    pending: list[_Pending],
) -> tuple[dict[str, list[int]], dict[str, list[tuple[int, int]]], dict[str, int]]:
    """Per relation: through-row ids to delete, (center, target) pairs to insert, and how
    many links the table holds now.

    Also records each relation that changed in the center's ``changed`` list.
    """
    removals: dict[str, list[int]] = {}
    additions: dict[str, list[tuple[int, int]]] = {}
    counts: dict[str, int] = {}
    for relation in RELATIONS:
        current = _stored_links(relation)
        counts[relation] = sum(len(targets) for targets in current.values())
        removals[relation], additions[relation] = [], []
        for item in pending:
            have = current.get(item.pk, {})
            want = item.links[relation]
            if have.keys() == want:
                continue
            item.changed.append(relation)
            removals[relation] += [link for target, link in have.items() if target not in want]
            additions[relation] += [(item.pk, target) for target in want - have.keys()]
    return removals, additions, counts


def _link_table(relation: str) -> tuple[type[Model], str, str]:
    """The through model of ``relation`` and its center and target column names."""
    m2m = Center._meta.get_field(relation)
    through = m2m.remote_field.through
    source = through._meta.get_field(m2m.m2m_field_name()).column
    target = through._meta.get_field(m2m.m2m_reverse_field_name()).column
    return through, source, target


def _stored_links(relation: str) -> dict[int, dict[int, int]]:
    """{center id: {target id: through-row id}} for every center.

    A plain cursor: over a million rows on a re-import, where Django's iterator would cost
    several times more per row than the dictionary they go into.
    """
    through, source, target = _link_table(relation)
    quote = connection.ops.quote_name
    links: dict[int, dict[int, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(through._meta.pk.column)}, {quote(source)}, {quote(target)} "
            f"FROM {quote(through._meta.db_table)}"
        )
        # In large batches: fetching row by row costs more than the rest of this loop.
        while batch := cursor.fetchmany(50_000):
            for link, center, target_id in batch:
                links[center][target_id] = link
    return links
