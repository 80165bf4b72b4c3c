"""Bulk writes in batches: centers and their links a few thousand centers at a time.

The 2022 substance-use file links 11,940 centers to about 900,000 service codes, plus their
terms; a 100,000-row file, to about 9 million. One ORM save per row would take many minutes;
here each batch of ``BATCH_SIZE`` facilities costs a handful of statements: its stored centers
and links are read, new centers go in with COPY (``bulk_create`` elsewhere), changed ones with
``bulk_update`` grouped by the fields that changed, and links in bulk (see ``bulk``). Memory is
bounded by the batch: only a small record of every imported center (id, editions) is held for
the whole file. Only what differs from the database is written, so importing the same file
twice writes nothing the second time.

Callers run all of this inside one ``transaction.atomic()`` after ``lock_imports()``: every
batch of a file commits together or not at all.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import batched

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from centers.api.identity import identity_uuid
from centers.models import Center, ListingChange, SamhsaDifference

from .bulk import delete_links, finish_bulk_load, insert_links, insert_rows, start_bulk_load
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
    "exact_location",
    *PHONE_COLUMNS,
    "operator_type",
)
BOOKKEEPING_FIELDS = ("samhsa_editions", "samhsa_codes", "in_latest_directory")
RELATIONS = ("services", *TERM_RELATIONS)
# Any fixed number: it names the lock every import takes (see lock_imports).
_IMPORT_LOCK = 4_215_020_227
# Facilities per batch: large enough that statements per batch cost little, small enough
# that a batch's links (about 100 per center) stay a few tens of MB.
BATCH_SIZE = 5000
_UPDATE_BATCH = 1000
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
    """What the whole import needs of an imported center; the rest is read batch by batch."""

    pk: int
    editions: tuple[str, ...]
    in_latest_directory: bool


def stored_centers() -> dict[str, StoredCenter]:
    """Every imported center by identity. Centers entered by hand (no key) are left alone."""
    rows = (
        Center.objects.exclude(samhsa_key="")
        .order_by("pk")
        .values_list("pk", "samhsa_key", "samhsa_editions", "in_latest_directory")
    )
    centers: dict[str, StoredCenter] = {}
    # Nearly every center lists the same few editions: one tuple for each distinct list.
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    for pk, key, editions, in_latest in rows.iterator(chunk_size=10_000):
        labels = tuple(editions or [])
        # Should an admin have copied a key onto a second center, the older one is the match.
        centers.setdefault(key, StoredCenter(pk, shared.setdefault(labels, labels), in_latest))
    return centers


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


@dataclass(slots=True)
class _Batch:
    """What one batch writes."""

    created: list[dict[str, object]] = field(default_factory=list)  # Center rows by attname.
    created_links: list[dict[str, set[int]]] = field(default_factory=list)
    updates: dict[tuple[str, ...], list[Center]] = field(default_factory=lambda: defaultdict(list))
    removals: dict[str, dict[int, set[int]]] = field(
        default_factory=lambda: {relation: {} for relation in RELATIONS}
    )
    additions: dict[str, dict[int, set[int]]] = field(
        default_factory=lambda: {relation: {} for relation in RELATIONS}
    )
    # (center id, field) -> (the file's value, the listing's): fields a person set.
    differences: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    edition: str = ""
    flagged: int = 0  # Differences added or changed by the write.


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
    batch_size: int = BATCH_SIZE,
) -> None:
    """Create, update and re-link the centers of one file, a batch at a time; then mark the
    missing ones.

    ``latest`` is the newest edition of each directory, this file's included.
    """
    now = timezone.now()
    slugs = SlugAllocator(Center.objects.values_list("slug", flat=True))
    rebuild = _start_bulk_load(facilities, stored)
    progress("writing", 0, len(facilities))
    for start in range(0, len(facilities), batch_size):
        batch = _match(
            facilities[start : start + batch_size],
            stored=stored,
            edition=edition,
            book=book,
            terms=terms,
            slugs=slugs,
            now=now,
            report=report,
        )
        _write(batch)
        report.differences_flagged += batch.flagged
        progress("writing", min(start + batch_size, len(facilities)), len(facilities))
    missing = _Batch()
    _mark_missing(stored, {f.key for f in facilities}, latest, now, report, missing.updates)
    _write(missing)
    if rebuild:
        progress("indexing", 0, None)
        finish_bulk_load(rebuild)


def _match(
    facilities: list[Facility],
    *,
    stored: dict[str, StoredCenter],
    edition: Edition,
    book: CodeBook,
    terms: TermIndex,
    slugs: SlugAllocator,
    now: datetime,
    report: ImportReport,
) -> _Batch:
    """Compare a batch of the file with what is stored; say what to write."""
    known = {f.key: stored[f.key].pk for f in facilities if f.key in stored}
    old_values = _stored_values(list(known.values()))
    old_links = {relation: _stored_links(relation, list(known.values())) for relation in RELATIONS}
    # What a manager or an editor set is theirs: the file's value never replaces it.
    set_by_people = ListingChange.objects.fields_set_by_people(list(known.values()))
    batch = _Batch(edition=edition.label)
    for facility in facilities:
        pk = known.get(facility.key)
        old = old_values.get(pk) if pk is not None else None
        if old is None:
            # Not stored, or deleted by an editor since the import read the keys: a new center.
            pk = None
        codes_by_directory = _codes_by_directory(old)
        if codes_by_directory and edition.directory not in codes_by_directory:
            report.joined_other_directory += 1
        codes_by_directory[edition.directory] = list(facility.codes)
        # Services and terms follow every directory's latest listing of the center, so a code
        # dropped by one directory goes only if the other directory does not list it either.
        codes = set(facility.codes).union(*codes_by_directory.values())
        values = {
            **facility.fields,
            "operator_type": book.operator_type(codes),
            "samhsa_codes": codes_by_directory,
            "samhsa_editions": sorted({*_editions(old), edition.label}),
            "in_latest_directory": True,
        }
        links = terms.terms(codes)
        links["services"] = {book.service_ids[code] for code in codes & book.service_ids.keys()}
        if pk is None:
            slug = slugs.allocate(str(values["name"]), str(values["city"]))
            batch.created.append(
                {
                    **values,
                    "samhsa_key": facility.key,
                    "slug": slug,
                    "hsds_uuid": identity_uuid(samhsa_key=facility.key, slug=slug),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            batch.created_links.append(links)
            continue
        for name in set_by_people.get(pk, ()):
            if name in values and old[name] != values[name]:
                batch.differences[(pk, name)] = (str(values[name] or ""), str(old[name] or ""))
                values[name] = old[name]
                report.kept_for_people += 1
        changed = [name for name, value in values.items() if old[name] != value]
        for relation in RELATIONS:
            have, want = old_links[relation].get(pk, set()), links[relation]
            if have != want:
                changed.append(relation)
                if have - want:
                    batch.removals[relation][pk] = have - want
                if want - have:
                    batch.additions[relation][pk] = want - have
        if not changed:
            report.unchanged += 1
            continue
        report.updated += 1
        report.changed_fields.update(changed)
        # Grouped by the fields that changed: a new edition usually changes only the editions
        # list of most centers, and a two-column UPDATE is far cheaper than rewriting every
        # column.
        scalars = tuple(name for name in changed if name not in RELATIONS)
        batch.updates[scalars].append(Center(pk=pk, updated_at=now, **values))
    report.created += len(batch.created)
    return batch


def _editions(old: dict[str, object] | None) -> list[str]:
    editions = old["samhsa_editions"] if old else None
    return list(editions) if isinstance(editions, list) else []


def _codes_by_directory(old: dict[str, object] | None) -> dict[str, list[str]]:
    codes = old["samhsa_codes"] if old else None
    return dict(codes) if isinstance(codes, dict) else {}


def _write(batch: _Batch) -> None:
    pks = _create(batch.created)
    for pk, links in zip(pks, batch.created_links, strict=True):
        for relation, targets in links.items():
            if targets:
                batch.additions[relation][pk] = targets
    for fields, centers in batch.updates.items():
        Center.objects.bulk_update(centers, [*fields, "updated_at"], batch_size=_UPDATE_BATCH)
    for relation in RELATIONS:
        through, source, target = link_table(relation)
        delete_links(through, source, target, batch.removals[relation])
        insert_links(through, source, target, batch.additions[relation])
    batch.flagged = _flag_differences(batch)


def _flag_differences(batch: _Batch) -> int:
    """Record, for an editor, each field a person set that the file gives differently.

    An open difference with the same value is left as it is (importing a file again flags
    nothing new); one with another value takes the newer value and edition. Returns how many
    were added or changed.
    """
    if not batch.differences:
        return 0
    center_ids = {pk for pk, _ in batch.differences}
    open_ones = {
        (d.center_id, d.field): d
        for d in SamhsaDifference.objects.open().filter(center_id__in=center_ids)
    }
    new, changed = [], []
    for (pk, name), (samhsa, ours) in batch.differences.items():
        known = open_ones.get((pk, name))
        if known is None:
            new.append(
                SamhsaDifference(
                    center_id=pk,
                    field=name,
                    samhsa_value=samhsa,
                    listing_value=ours,
                    since_edition=batch.edition,
                )
            )
        elif known.samhsa_value != samhsa or known.listing_value != ours:
            known.samhsa_value, known.listing_value = samhsa, ours
            known.since_edition, known.noticed_at = batch.edition, timezone.now()
            changed.append(known)
    SamhsaDifference.objects.bulk_create(new)
    SamhsaDifference.objects.bulk_update(
        changed, ["samhsa_value", "listing_value", "since_edition", "noticed_at"]
    )
    return len(new) + len(changed)


def _create(rows: list[dict[str, object]]) -> list[int]:
    """Insert new centers; return their ids in the order of ``rows``."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return insert_rows(Center, rows)
    centers = [Center(**row) for row in rows]
    Center.objects.bulk_create(centers, batch_size=_UPDATE_BATCH)
    if any(center.pk is None for center in centers):
        # Databases that cannot return ids from a bulk insert (MySQL): look them up by key.
        keys = [center.samhsa_key for center in centers]
        ids = dict(Center.objects.filter(samhsa_key__in=keys).values_list("samhsa_key", "pk"))
        for center in centers:
            center.pk = ids[center.samhsa_key]
    return [center.pk for center in centers]


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
        if in_latest == old.in_latest_directory:
            continue
        if in_latest:
            report.updated += 1
            report.changed_fields["in_latest_directory"] += 1
        else:
            report.marked_not_in_latest += 1
        updates[("in_latest_directory",)].append(
            Center(pk=old.pk, in_latest_directory=in_latest, updated_at=now)
        )


def _start_bulk_load(facilities: list[Facility], stored: dict[str, StoredCenter]) -> list[str]:
    """Drop the indexes of the centers table and the keys and indexes of the link tables this
    file will more than double; return the statements that rebuild them (``bulk``).

    The file's new links are counted before any is written, from the codes of its new
    facilities: every code is at most one service link, and term links are fewer, so the
    count errs towards rebuilding, which for a small table costs little.
    """
    if connection.vendor != "postgresql":
        return []
    new = [f for f in facilities if f.key not in stored]
    rebuild = start_bulk_load(Center, expected_rows=len(new), keys=False)
    expected = sum(len(f.codes) for f in new)
    for relation in RELATIONS:
        through, _, _ = link_table(relation)
        rebuild += start_bulk_load(through, expected_rows=expected)
    return rebuild


def link_table(relation: str) -> tuple[type[Model], str, str]:
    """The through model of ``relation`` and its center and target column names."""
    m2m = Center._meta.get_field(relation)
    through = m2m.remote_field.through
    source = through._meta.get_field(m2m.m2m_field_name()).column
    target = through._meta.get_field(m2m.m2m_reverse_field_name()).column
    return through, source, target


def _stored_values(pks: list[int]) -> dict[int, dict[str, object]]:
    """CENTER_FIELDS and BOOKKEEPING_FIELDS as stored, by center id."""
    values: dict[int, dict[str, object]] = {}
    for chunk in _chunks(pks):
        for row in Center.objects.filter(pk__in=chunk).values(
            "pk", *CENTER_FIELDS, *BOOKKEEPING_FIELDS
        ):
            values[row.pop("pk")] = row
    return values


def _stored_links(relation: str, pks: list[int]) -> dict[int, set[int]]:
    """{center id: target ids} of ``relation`` for the centers ``pks``.

    On PostgreSQL one row per center (``array_agg``): a re-import of 100,000 centers reads 9
    million links, and a row each costs several times more in Python than the sets they go into.
    """
    if not pks:
        return {}
    through, source, target = link_table(relation)
    quote = connection.ops.quote_name
    table = quote(through._meta.db_table)
    links: dict[int, set[int]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {quote(source)}, array_agg({quote(target)}) FROM {table} "
                f"WHERE {quote(source)} = ANY(%s) GROUP BY {quote(source)}",
                [pks],
            )
            return {center: set(targets) for center, targets in cursor.fetchall()}
        for chunk in _chunks(pks):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {quote(source)}, {quote(target)} FROM {table} "
                f"WHERE {quote(source)} IN ({marks})",
                chunk,
            )
            for center, target_id in cursor.fetchall():
                links.setdefault(center, set()).add(target_id)
    return links


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    # SQLite caps the parameters of one statement; PostgreSQL takes any list.
    size = connection.features.max_query_params or len(ids) or 1
    for chunk in batched(ids, size):
        yield list(chunk)
