"""An in-memory index of the published catalog, from which the listing filters and counts.

Counting facets in SQL means re-reading the centers and their link tables once per filter group
for every listing (on the 2022 file, 144 of an unfiltered listing's 156 ms). Here each process
keeps, for every published center, its place in the listing's name order, its state,
coordinates, last-verified date and searchable words, and one bit row per filterable term: bit
``i`` of a term's row is set when the center at position ``i`` offers it. Filters become ANDs
and ORs of rows, and a facet count a population count, about a microsecond per option at
100,000 centers.

PostgreSQL stays the source of truth. The index is rebuilt when ``CatalogVersion``'s token
(one indexed read per request) differs from the token it was built at; database triggers change
the token on every write to a center, a filterable term or a link. Only the page of results
is read from the database.
"""

import dataclasses
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import numpy as np
from django.db import connections, router
from django.db.models import F, Value

from centers.geo import EARTH_RADIUS_MILES, Point, bounding_box
from centers.models import (
    FACET_KINDS,
    CareSetting,
    CatalogVersion,
    Center,
    Term,
    cards_by_id,
    set_prefetched_terms,
)
from centers.models.availability import CURRENT_FOR
from directory.languages import Translated

# Bit rows are little-endian 64-bit words, so that position i is bit i % 64 of word i // 64
# on every machine.
WORD = np.dtype("<u8")
# How far the index's rebuilds may run at once (one per database alias: they share the lock).
_build_lock = threading.Lock()
_indexes: dict[str, "CatalogIndex"] = {}


@dataclass(frozen=True, slots=True)
class IndexedTerm:
    """What a listing shows of one term: its filter option, and its name on a card."""

    param: str  # the listing parameter of its kind
    relation: str  # the Center relation
    pk: int
    slug: str
    name: str
    summary: str
    position: int
    kind: str  # care settings only: 24-hour, outpatient or other
    # Spanish, "" until an editor writes it (local_name then reads the English).
    name_es: str = ""
    summary_es: str = ""

    # In the language of the request, as on the term models.
    local_name = Translated("name")
    local_summary = Translated("summary")


@dataclass(frozen=True, slots=True)
class CatalogIndex:
    token: int | None
    ids: np.ndarray  # center ids, in the listing's name order (name, then pk)
    states: np.ndarray  # two-letter codes, "" when missing
    # Every center's name, secondary name and city, upper-cased, one line per center (fields
    # apart by a character no search word holds), and where each center's line starts.
    words: str
    word_starts: np.ndarray
    latitude: np.ndarray  # NaN where unknown
    longitude: np.ndarray
    # Positions from the most recently verified to the never verified (ties in name order).
    by_verified: np.ndarray
    # The centers that say they accept new clients, oldest statement first, and when they said
    # it (microseconds since the epoch). "Taking new clients now" depends on the clock, so it
    # is worked out per request: the ones said since a cutoff are a tail of these arrays.
    accepting: np.ndarray  # positions
    accepting_since: np.ndarray  # int64 microseconds, ascending
    terms: tuple[IndexedTerm, ...]  # one per row of ``bits``, grouped by kind in facet order
    # The same terms as model instances, which cards read (shared by every request: read only).
    instances: tuple[Term, ...]
    bits: np.ndarray  # (len(terms), words) of WORD
    row_of: dict[tuple[str, int], int]  # (param, term pk) -> row
    # The bit row of the last tail of ``accepting`` asked for, by where the tail starts: it
    # only changes when a statement turns 14 days old or the index is rebuilt.
    _taking: dict[int, np.ndarray] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def size(self) -> int:
        return len(self.ids)

    # --- bit rows ----------------------------------------------------------------------------

    def everything(self) -> np.ndarray:
        return pack(np.ones(self.size, dtype=bool), self.size)

    def nothing(self) -> np.ndarray:
        return np.zeros(self.bits.shape[1], dtype=WORD)

    def rows(self, param: str, pks: Iterable[int]) -> np.ndarray:
        return np.array([self.row_of[(param, pk)] for pk in pks if (param, pk) in self.row_of], int)

    def any_of(self, rows: np.ndarray) -> np.ndarray:
        return np.bitwise_or.reduce(self.bits[rows], axis=0) if len(rows) else self.nothing()

    def all_of(self, rows: np.ndarray) -> np.ndarray:
        return np.bitwise_and.reduce(self.bits[rows], axis=0) if len(rows) else self.everything()

    def counts(self, rows: np.ndarray, within: np.ndarray) -> np.ndarray:
        """How many centers of ``within`` each of ``rows`` has: one vector operation."""
        return np.bitwise_count(self.bits[rows] & within).sum(axis=1, dtype=np.int64)

    def taking_new_clients(self, now: datetime) -> np.ndarray:
        """Centers that said, within 14 days of ``now``, that they accept new clients: the
        rule of ``CenterQuerySet.taking_new_clients``, to the microsecond. Read only."""
        start = int(np.searchsorted(self.accepting_since, _microseconds(now - CURRENT_FOR)))
        bits = self._taking.get(start)
        if bits is None:
            flags = np.zeros(self.size, dtype=bool)
            flags[self.accepting[start:]] = True
            bits = pack(flags, self.size)
            bits.setflags(write=False)
            # One entry: requests of the same moment share it; a thread that races here only
            # computes the same row twice.
            self._taking.clear()
            self._taking[start] = bits
        return bits

    def in_state(self, code: str) -> np.ndarray:
        return pack(self.states == code, self.size)

    def with_words(self, text: str) -> np.ndarray:
        """Centers whose name, secondary name or city holds every word of ``text``: the rule of
        ``CenterQuerySet.matching_words`` (case-insensitive substrings, at most eight words),
        over the index's text instead of a query."""
        flags = np.ones(self.size, dtype=bool)
        for word in text.split()[:8]:
            # Each match runs on to the end of its line, so a center is found at most once.
            pattern = re.compile(re.escape(word.upper()) + "[^\n]*")
            starts = [match.start() for match in pattern.finditer(self.words)]
            found = np.zeros(self.size, dtype=bool)
            found[np.searchsorted(self.word_starts, starts, side="right") - 1] = True
            flags &= found
        return pack(flags, self.size)

    def near(self, origin: Point, radius_miles: float) -> tuple[np.ndarray, np.ndarray]:
        """Centers within ``radius_miles`` of ``origin``, and every center's distance (inf
        outside the circle). The same box-then-haversine rule as ``CenterQuerySet.within``."""
        min_lat, max_lat, min_lng, max_lng = bounding_box(origin, radius_miles)
        lat, lng = self.latitude, self.longitude
        with np.errstate(invalid="ignore"):  # NaN (no coordinates) compares False: outside
            box = (lat >= min_lat) & (lat <= max_lat) & (lng >= min_lng) & (lng <= max_lng)
        candidates = np.flatnonzero(box)
        distance = np.full(self.size, np.inf)
        lat1, lng1 = np.radians(lat[candidates]), np.radians(lng[candidates])
        lat0, lng0 = np.radians(origin.latitude), np.radians(origin.longitude)
        h = (
            np.sin((lat1 - lat0) / 2) ** 2
            + np.cos(lat0) * np.cos(lat1) * np.sin((lng1 - lng0) / 2) ** 2
        )
        distance[candidates] = 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(h))
        return pack(distance <= radius_miles, self.size), distance

    def flags(self, bits: np.ndarray) -> np.ndarray:
        """``bits`` as one boolean per position."""
        return np.unpackbits(bits.view(np.uint8), bitorder="little", count=self.size).view(bool)

    def positions(self, bits: np.ndarray) -> np.ndarray:
        """Positions (name order) of the centers set in ``bits``, ascending."""
        return np.flatnonzero(self.flags(bits))

    def positions_by_verified(self, bits: np.ndarray) -> np.ndarray:
        """Positions of the centers set in ``bits``, most recently verified first: a pass over
        the order kept at build time, not a sort per request."""
        return self.by_verified[self.flags(bits)[self.by_verified]]

    @staticmethod
    def count(bits: np.ndarray) -> int:
        return int(np.bitwise_count(bits).sum())

    def rows_at(self, position: int) -> list[int]:
        """The rows of the terms the center at ``position`` offers (its card's therapies...)."""
        word, bit = divmod(position, 64)
        flags = (self.bits[:, word] >> np.uint64(bit)) & np.uint64(1)
        return np.flatnonzero(flags).tolist()


class IndexedResults(Sequence[Center]):
    """A listing's results, in order, as positions in an index; a slice reads its centers.

    Django's ``Paginator`` takes it like a queryset: ``len()`` costs nothing, and a page is one
    query for its centers (with the paid status). Each center's terms come from the index when
    its card is drawn (``center.card_terms()``, or ``center.fill_card_terms()`` to read them as
    prefetched relations), since a card kept from an earlier request needs none.
    """

    def __init__(
        self,
        index: CatalogIndex,
        positions: np.ndarray,
        *,
        distance: np.ndarray | None = None,
        using: str | None = None,
    ) -> None:
        self.index = index
        self.positions = positions
        self.distance = distance
        self.using = using or router.db_for_read(Center)

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, key):  # type: ignore[override]
        if not isinstance(key, slice):
            return self[key : key + 1][0] if key >= 0 else self[len(self) + key :][0]
        chosen = self.positions[key]
        if not len(chosen):
            return []
        ids = self.index.ids[chosen].tolist()
        found = cards_by_id(ids, using=self.using)
        centers = []
        # A center deleted after the index was built is left out of this page (the token has
        # changed, so the next request counts without it).
        for position, pk in zip(chosen.tolist(), ids, strict=True):
            center = found.get(pk)
            if center is None:
                continue
            center.distance = None if self.distance is None else float(self.distance[position])
            # The card's cached part is keyed by it: any write the card could show changes it.
            center.catalog_token = self.index.token
            center.fill_card_terms = partial(self._fill_terms, center, position)
            center.card_terms = partial(self._terms, position)
            centers.append(center)
        return centers

    def _terms(self, position: int) -> dict[str, list[Term]]:
        """The terms of the center at ``position`` by relation, each list in the page's order
        (position, then name), as ``set_prefetched_terms`` sorts them."""
        by_relation: dict[str, list[Term]] = {kind.relation: [] for kind in FACET_KINDS}
        for row in self.index.rows_at(position):
            by_relation[self.index.terms[row].relation].append(self.index.instances[row])
        for terms in by_relation.values():
            terms.sort(key=lambda term: (term.position, term.name))
        return by_relation

    def _fill_terms(self, center: Center, position: int) -> None:
        for relation, terms in self._terms(position).items():
            set_prefetched_terms(center, relation, terms)


def _instance(term: IndexedTerm) -> Term:
    """A term model instance with the columns a card shows (others stay deferred)."""
    model = Center._meta.get_field(term.relation).related_model
    shown = {
        "id": term.pk,
        "slug": term.slug,
        "name": term.name,
        "name_es": term.name_es,  # the card shows its terms' local_name
        "position": term.position,
    }
    if model is CareSetting:
        shown["kind"] = term.kind
    # from_db() reads the values in the model's column order, whatever order the names are in.
    names = [field.attname for field in model._meta.concrete_fields if field.attname in shown]
    return model.from_db(None, names, [shown[name] for name in names])


def _microseconds(moment: datetime) -> int:
    """``moment`` as whole microseconds since the epoch: exact, as PostgreSQL compares."""
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def pack(flags: np.ndarray, size: int) -> np.ndarray:
    """A boolean array of ``size`` as a bit row of whole 64-bit words."""
    words = (size + 63) // 64
    packed = np.packbits(flags, bitorder="little")
    padded = np.zeros(words * 8, dtype=np.uint8)
    padded[: len(packed)] = packed
    return padded.view(WORD)


def current_index(using: str | None = None) -> CatalogIndex:
    """This process's index of the catalog on ``using`` (the catalog's read database), built
    anew if the catalog changed since: one query when it did not."""
    alias = using or router.db_for_read(Center)
    token = CatalogVersion.current(alias)
    index = _indexes.get(alias)
    if index is not None and index.token == token:
        return index
    # One build at a time per process: the threads of a worker that all see a new token at
    # once wait for the first one's index instead of each reading the catalog again.
    with _build_lock:
        index = _indexes.get(alias)
        if index is None or index.token != token:
            index = build_index(alias, token)
            _indexes[alias] = index
    return index


def build_index(alias: str, token: int | None) -> CatalogIndex:
    """Read the published catalog on ``alias`` into a new index (three queries).

    A write committed while this runs may be half in it; it also changed the token, so the
    next request rebuilds.
    """
    centers = list(
        Center.objects.using(alias)
        .published()
        .order_by("name", "pk")
        .values_list(
            "pk",
            "state",
            "latitude",
            "longitude",
            "last_verified",
            "name",
            "secondary_name",
            "city",
            "availability",
            "availability_stated_at",
        )
    )
    size = len(centers)
    ids = np.fromiter((row[0] for row in centers), dtype=np.int64, count=size)
    states = np.array([row[1] or "" for row in centers], dtype="<U2")
    latitude = np.array([np.nan if row[2] is None else row[2] for row in centers], dtype=float)
    longitude = np.array([np.nan if row[3] is None else row[3] for row in centers], dtype=float)
    verified = np.array([row[4].toordinal() if row[4] else 0 for row in centers], dtype=np.int64)
    # "\x1f" separates the fields: str.split() treats it as white space, so no word holds it.
    lines = ["\x1f".join(row[5:8]).upper().replace("\n", " ") for row in centers]
    accepting = sorted(
        (
            (_microseconds(row[9]), position)
            for position, row in enumerate(centers)
            if row[8] == Center.Availability.ACCEPTING and row[9] is not None
        ),
    )
    word_starts = np.cumsum([0] + [len(line) + 1 for line in lines[:-1]], dtype=np.int64)
    # Newest first, never-verified last, ties in name order (the SQL ordering's tie-breaks).
    by_verified = np.lexsort((np.arange(size), -verified))
    terms = _read_terms(alias)
    bits = _read_links(alias, terms, ids)
    return CatalogIndex(
        token=token,
        ids=ids,
        states=states,
        words="\n".join(lines),
        word_starts=word_starts,
        latitude=latitude,
        longitude=longitude,
        by_verified=by_verified,
        accepting=np.array([position for _, position in accepting], dtype=np.int64),
        accepting_since=np.array([since for since, _ in accepting], dtype=np.int64),
        terms=terms,
        instances=tuple(_instance(term) for term in terms),
        bits=bits,
        row_of={(term.param, term.pk): row for row, term in enumerate(terms)},
    )


def _read_terms(alias: str) -> tuple[IndexedTerm, ...]:
    """Every filterable term, in one UNION query however many kinds there are."""
    parts = [
        kind.model.objects.using(alias)
        .order_by()
        .annotate(
            kind_index=Value(index),
            term_kind=F("kind") if kind.model is CareSetting else Value(""),
        )
        .values_list(
            "kind_index",
            "pk",
            "slug",
            "name",
            "summary",
            "position",
            "term_kind",
            "name_es",
            "summary_es",
        )
        for index, kind in enumerate(FACET_KINDS)
    ]
    rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row[0], row[5], row[3]))
    return tuple(
        IndexedTerm(
            FACET_KINDS[kind_index].param, FACET_KINDS[kind_index].relation, pk, slug, name,
            summary, position, term_kind, name_es or "", summary_es or "",
        )
        for kind_index, pk, slug, name, summary, position, term_kind, name_es, summary_es in rows
    )  # fmt: skip


def _read_links(alias: str, terms: tuple[IndexedTerm, ...], ids: np.ndarray) -> np.ndarray:
    """Each term's bit row, from all its links to centers, in one query.

    On PostgreSQL each term's center ids come back as one bytea of 8-byte integers, which
    numpy reads without a Python object per link (about two million links at 100,000
    centers); elsewhere (the SQLite demo) as plain rows.
    """
    words = (len(ids) + 63) // 64
    bits = np.zeros((len(terms), words), dtype=WORD)
    if not terms or not len(ids):
        return bits
    row_of = {(term.relation, term.pk): row for row, term in enumerate(terms)}
    # Links of centers that are not published are not in ``ids``: they are dropped here.
    order = np.argsort(ids)
    sorted_ids = ids[order]
    flags = np.zeros((len(terms), len(ids)), dtype=bool)
    for relation, term_pk, center_ids in _links(alias):
        row = row_of.get((relation, term_pk))
        if row is None:
            continue
        found = np.minimum(np.searchsorted(sorted_ids, center_ids), len(ids) - 1)
        known = sorted_ids[found] == center_ids
        flags[row, order[found[known]]] = True
    packed = np.packbits(flags, axis=1, bitorder="little")
    bits.view(np.uint8)[:, : packed.shape[1]] = packed
    return bits


def _links(alias: str) -> Iterable[tuple[str, int, np.ndarray]]:
    """(relation, term id, its center ids) for every term of every filterable relation."""
    connection = connections[alias]
    selects = []
    for index, kind in enumerate(FACET_KINDS):
        field = Center._meta.get_field(kind.relation)
        through = field.remote_field.through._meta
        target = through.get_field(field.m2m_reverse_field_name()).column
        source = through.get_field(field.m2m_field_name()).column
        if connection.vendor == "postgresql":
            ids = f"string_agg(int8send({source}), ''::bytea)"
        else:
            ids = f"group_concat({source})"
        selects.append(f"SELECT {index}, {target}, {ids} FROM {through.db_table} GROUP BY {target}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects))
        for kind_index, term_pk, packed in cursor.fetchall():
            if connection.vendor == "postgresql":
                center_ids = np.frombuffer(bytes(packed), dtype=">i8").astype(np.int64)
            else:
                center_ids = np.array(packed.split(","), dtype=np.int64)
            yield FACET_KINDS[kind_index].relation, term_pk, center_ids
