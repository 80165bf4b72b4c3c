"""The directory's vocabulary as HSDS taxonomies and taxonomy terms.

Every SAMHSA service category (``ServiceCategory``) is a taxonomy and each of its codes
(``Service``) a term. Our own plain-language terms are one more taxonomy, built from the
``TERM_KINDS`` registry: a top-level term per kind (therapies, care settings, ...), its terms
below it. The vocabulary is a few hundred rows, so it is read whole, in a fixed number of queries
(one per model), and paged in memory.
"""

from dataclasses import dataclass

from centers.models import TERM_KINDS, Service, ServiceCategory, Term, TermKind

from ..identity import taxonomy_uuid, term_uuid

DIRECTORY_TAXONOMY = "directory"
DIRECTORY_TAXONOMY_NAME = "Treatment directory terms"
SAMHSA_TAXONOMY_TEXT = "SAMHSA National Directory service codes"
LANGUAGE = "en"


def samhsa_taxonomy_id(category: ServiceCategory) -> str:
    return str(taxonomy_uuid(f"samhsa:{category.code}"))


def directory_taxonomy_id() -> str:
    return str(taxonomy_uuid(DIRECTORY_TAXONOMY))


def samhsa_term_id(service: Service) -> str:
    return str(term_uuid("samhsa", service.code))


def kind_term_id(kind: TermKind) -> str:
    return str(term_uuid("kind", kind.relation))


def directory_term_id(kind: TermKind, term: Term) -> str:
    return str(term_uuid(kind.relation, term.slug))


def samhsa_taxonomy(category: ServiceCategory) -> dict[str, object]:
    name = category.name.strip()
    return {
        "id": samhsa_taxonomy_id(category),
        "name": name,
        "description": f"SAMHSA service codes in the category {name} ({category.code}).",
    }


def directory_taxonomy() -> dict[str, object]:
    return {
        "id": directory_taxonomy_id(),
        "name": DIRECTORY_TAXONOMY_NAME,
        "description": (
            "The plain-language terms patients filter this directory by: therapies, care "
            "settings, medications, payment, populations, languages and accreditations. Each "
            "stands for one or more SAMHSA service codes."
        ),
    }


def samhsa_term(service: Service) -> dict[str, object]:
    """Reads ``service.category``: select it with the service."""
    name = service.name.strip()
    return {
        "id": samhsa_term_id(service),
        "code": service.code,
        "name": name,
        "description": service.description.strip() or name,
        "taxonomy": SAMHSA_TAXONOMY_TEXT,
        "taxonomy_id": samhsa_taxonomy_id(service.category),
        "language": LANGUAGE,
    }


def kind_term(kind: TermKind) -> dict[str, object]:
    return {
        "id": kind_term_id(kind),
        "code": kind.relation,
        "name": kind.plural,
        "description": f"{kind.plural}: the terms of this kind.",
        "taxonomy": DIRECTORY_TAXONOMY_NAME,
        "taxonomy_id": directory_taxonomy_id(),
        "language": LANGUAGE,
    }


def directory_term(kind: TermKind, term: Term) -> dict[str, object]:
    return {
        "id": directory_term_id(kind, term),
        # Slugs are unique within a kind only; the kind makes the code unique in the dataset.
        "code": f"{kind.relation}:{term.slug}",
        "name": term.name,
        "description": term.summary or term.description or term.name,
        "parent_id": kind_term_id(kind),
        "taxonomy": DIRECTORY_TAXONOMY_NAME,
        "taxonomy_id": directory_taxonomy_id(),
        "language": LANGUAGE,
    }


@dataclass(frozen=True)
class Link:
    """Centers described by a term or a taxonomy: a Center relation and its target ids."""

    relation: str
    ids: tuple[int, ...]


@dataclass
class Vocabulary:
    taxonomies: list[dict[str, object]]
    terms: list[dict[str, object]]
    # Term or taxonomy id -> the links a center needs one of to be described by it.
    links: dict[str, list[Link]]


def vocabulary() -> Vocabulary:
    """Every taxonomy and term, with what each one matches; 2 + len(TERM_KINDS) queries."""
    categories = list(ServiceCategory.objects.order_by("position", "code"))
    by_category: dict[int, list[int]] = {category.pk: [] for category in categories}
    taxonomies = [samhsa_taxonomy(category) for category in categories]
    terms = []
    links: dict[str, list[Link]] = {}
    for service in Service.objects.select_related("category"):
        terms.append(samhsa_term(service))
        links[samhsa_term_id(service)] = [Link("services", (service.pk,))]
        by_category[service.category_id].append(service.pk)
    for category in categories:
        links[samhsa_taxonomy_id(category)] = [Link("services", tuple(by_category[category.pk]))]

    taxonomies.append(directory_taxonomy())
    links[directory_taxonomy_id()] = []
    for kind in TERM_KINDS:
        members = list(kind.model.objects.all())
        terms.append(kind_term(kind))
        whole_kind = Link(kind.relation, tuple(term.pk for term in members))
        links[kind_term_id(kind)] = [whole_kind]
        links[directory_taxonomy_id()].append(whole_kind)
        for term in members:
            terms.append(directory_term(kind, term))
            links[directory_term_id(kind, term)] = [Link(kind.relation, (term.pk,))]
    return Vocabulary(taxonomies, terms, links)


def matching(items: list[dict[str, object]], search: str) -> list[dict[str, object]]:
    """Items whose name, code or description holds every word of ``search`` (any case)."""
    words = search.lower().split()[:8]
    if not words:
        return items
    return [
        item
        for item in items
        if all(
            word in f"{item['name']} {item.get('code', '')} {item['description']}".lower()
            for word in words
        )
    ]
