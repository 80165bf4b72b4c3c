"""SAMHSA service codes: the reference in the database, and what a center's codes mean.

Every code a facility lists is kept: known codes become ``Center.services``; the codes a term
names (``Term.samhsa_codes``, read from the database so that an admin's edits to the mapping
are honoured) give the center its therapies, care settings, medications and so on; the
facility-operation code gives ``operator_type``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from centers.models import TERM_KINDS, Center, Service, ServiceCategory, Term
from centers.models.center import OPERATOR_CATEGORY
from centers.samhsa_es import CATEGORY_NAMES_ES, SERVICE_NAMES_ES

from .reader import ReferenceEntry

# Center many-to-many relation -> the term model it points at.
TERM_RELATIONS: dict[str, type[Term]] = {kind.relation: kind.model for kind in TERM_KINDS}
OPERATOR_LENGTH = Center._meta.get_field("operator_type").max_length
_CODE_LENGTH = Service._meta.get_field("code").max_length
_CATEGORY_NAME_LENGTH = ServiceCategory._meta.get_field("name").max_length
_SERVICE_NAME_LENGTH = Service._meta.get_field("name").max_length


@dataclass(slots=True)
class ReferenceChanges:
    """What loading one file's code reference changed in the taxonomy."""

    in_file: int = 0
    categories_added: int = 0
    categories_changed: int = 0
    codes_added: int = 0
    codes_changed: int = 0
    # Known from earlier editions but absent from this one. They are kept: centers listed in
    # other editions or directories still use them.
    codes_absent: int = 0
    from_database: bool = False  # The file had no reference; the database's was used.
    notes: list[str] = field(default_factory=list)


def load_reference(entries: list[ReferenceEntry] | None) -> ReferenceChanges:
    """Create or update the categories and codes of a file's reference; never delete any.

    Names and descriptions follow the file (SAMHSA corrects them between years). The Spanish
    name comes from ``centers.samhsa_es`` and only fills a blank one: the file has no Spanish,
    and an editor's correction must survive every re-import. The order
    merges every reference imported: a new code goes right after the code that precedes it in
    its file, so the substance-use and mental-health references interleave sensibly and
    re-importing either changes no position.
    """
    changes = ReferenceChanges()
    if entries is None:
        changes.from_database = True
        return changes
    usable: dict[str, ReferenceEntry] = {}
    for entry in entries:
        if len(entry.code) > _CODE_LENGTH or len(entry.category_code) > _CODE_LENGTH:
            changes.notes.append(f"reference code {entry.code!r} is too long to store; ignored")
        elif entry.code in usable:
            changes.notes.append(f"the reference lists {entry.code} twice; the first is used")
        else:
            usable[entry.code] = entry
    category_ids = _load_categories(list(usable.values()), changes)
    services = {s.code: s for s in Service.objects.order_by("position", "code")}
    added, changed, translated = [], [], []
    for code, entry in usable.items():
        values = {
            "category_id": category_ids[entry.category_code],
            "name": entry.name[:_SERVICE_NAME_LENGTH],
            "description": entry.description,
        }
        service = services.get(code)
        spanish = SERVICE_NAMES_ES.get(code, "")[:_SERVICE_NAME_LENGTH]
        if service is None:
            added.append(Service(code=code, name_es=spanish, **values))
            continue
        if any(getattr(service, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(service, name, value)
            changed.append(service)
        if spanish and not service.name_es:
            service.name_es = spanish
            translated.append(service)
    changes.codes_absent = len(services.keys() - usable.keys())
    order = merged_order(list(services), list(usable))
    services.update((service.code, service) for service in added)
    moved = []
    for position, code in enumerate(order):
        service = services[code]
        if service.position != position:
            service.position = position
            if service.pk is not None:
                moved.append(service)
    Service.objects.bulk_create(added)
    Service.objects.bulk_update(changed, ["category_id", "name", "description"])
    Service.objects.bulk_update(translated, ["name_es"])
    Service.objects.bulk_update(moved, ["position"])
    changes.in_file = len(usable)
    changes.codes_added = len(added)
    changes.codes_changed = len(changed)
    return changes


def merged_order(existing: list[str], incoming: list[str]) -> list[str]:
    """``existing`` with each new code of ``incoming`` placed after the code before it there
    (or first, when it has none)."""
    order = list(existing)
    previous: str | None = None
    for code in incoming:
        if code not in order:
            order.insert(order.index(previous) + 1 if previous is not None else 0, code)
        previous = code
    return order


def _load_categories(entries: list[ReferenceEntry], changes: ReferenceChanges) -> dict[str, int]:
    """{category code: id}: new categories created, renamed ones updated, order merged."""
    categories = {c.code: c for c in ServiceCategory.objects.order_by("position", "code")}
    names: dict[str, str] = {}
    for entry in entries:
        # A category's name is repeated on each of its codes' rows; the first one counts.
        names.setdefault(entry.category_code, entry.category_name[:_CATEGORY_NAME_LENGTH])
    dirty = set()
    for code, name in names.items():
        category = categories.get(code)
        spanish = CATEGORY_NAMES_ES.get(code, "")[:_CATEGORY_NAME_LENGTH]
        if category is None:
            categories[code] = ServiceCategory(code=code, name=name, name_es=spanish)
            changes.categories_added += 1
            dirty.add(code)
            continue
        if category.name != name:
            category.name = name
            changes.categories_changed += 1
            dirty.add(code)
        if spanish and not category.name_es:  # never over an editor's Spanish
            category.name_es = spanish
            dirty.add(code)
    for position, code in enumerate(merged_order(list(categories), list(names))):
        if categories[code].position != position:
            categories[code].position = position
            dirty.add(code)
    # About thirty categories at most: saving them one by one costs nothing worth batching.
    for code in dirty:
        categories[code].save()
    return {code: category.pk for code, category in categories.items()}


@dataclass(frozen=True, slots=True)
class CodeBook:
    """Every code known to the database, in SAMHSA's reference order."""

    service_ids: dict[str, int]
    categories: dict[str, str]  # code -> category code
    names: dict[str, str]
    order: dict[str, int]  # code -> rank in reference order
    operator_codes: frozenset[str]

    @classmethod
    def from_database(cls) -> "CodeBook":
        rows = Service.objects.order_by("category__position", "position", "code").values_list(
            "code", "pk", "category__code", "name"
        )
        service_ids, categories, names, order = {}, {}, {}, {}
        for rank, (code, pk, category, name) in enumerate(rows):
            service_ids[code], categories[code], names[code], order[code] = pk, category, name, rank
        operators = frozenset(
            c for c, category in categories.items() if category == OPERATOR_CATEGORY
        )
        return cls(service_ids, categories, names, order, operators)

    def __contains__(self, code: str) -> bool:
        return code in self.service_ids

    def operator_type(self, codes: set[str]) -> str:
        """The names of the facility-operation codes, e.g. ``Private non-profit organization``."""
        operators = sorted(codes & self.operator_codes, key=self.order.__getitem__)
        text = "; ".join(self.names[code] for code in operators)
        return text if len(text) <= OPERATOR_LENGTH else text[: OPERATOR_LENGTH - 1] + "…"

    def service_code_info(self, codes: Iterable[str]) -> str:
        """SAMHSA's ``service_code_info``: codes in reference order, ``*`` between categories.

        Codes the reference does not know come last, as a group of their own.
        """
        known = sorted((c for c in set(codes) if c in self), key=self.order.__getitem__)
        groups: list[list[str]] = []
        for code in known:
            if groups and self.categories[groups[-1][-1]] == self.categories[code]:
                groups[-1].append(code)
            else:
                groups.append([code])
        unknown = sorted(c for c in set(codes) if c not in self)
        if unknown:
            groups.append(unknown)
        return " * ".join(" ".join(group) for group in groups)


class TermIndex:
    """Which terms each code stands for, from ``Term.samhsa_codes`` in the database."""

    def __init__(self) -> None:
        # code -> [(relation, term id)]
        by_code: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for relation, model in TERM_RELATIONS.items():
            for pk, codes in model.objects.values_list("pk", "samhsa_codes"):
                # The mapping is edited by hand in the admin: accept "CBT" as well as ["CBT"].
                for code in [codes] if isinstance(codes, str) else codes or []:
                    if isinstance(code, str):
                        by_code[code.strip().upper()].append((relation, pk))
        self._by_code = dict(by_code)

    def terms(self, codes: set[str]) -> dict[str, set[int]]:
        """{relation: term ids} for a center listing ``codes``."""
        result: dict[str, set[int]] = {relation: set() for relation in TERM_RELATIONS}
        # Of a center's ~75 codes only a handful name a term: intersect first, in C.
        for code in codes & self._by_code.keys():
            for relation, pk in self._by_code[code]:
                result[relation].add(pk)
        return result
