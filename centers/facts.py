"""A center's facts at a glance, as its page shows them: the plain-language terms of each kind
in the order a family asks about them, or SAMHSA's own words where none of our terms applies,
and "not listed" only where SAMHSA says nothing at all."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from centers.models import TERM_KINDS, TermKind

if TYPE_CHECKING:
    from centers.models import Center

# The page's own names for two rows: it lists English with the other languages, and the term
# kinds' plural (used by the comparison table) says "other than English".
_LABELS: dict[str, Promise] = {"populations": _("Serves"), "languages": _("Languages")}
# SAMHSA has no code for English: every listed center treats in English.
_ALWAYS: dict[str, list[Promise]] = {"languages": [_("English")]}


@dataclass
class Entry:
    name: str
    url: str = ""


@dataclass
class Fact:
    relation: str
    label: str
    entries: list[Entry] = field(default_factory=list)
    # The entries are SAMHSA's wording of its codes, not one of our terms (no page to link to).
    from_samhsa: bool = False
    # Care settings: a 24-hour setting and an outpatient one, so the patient can step down.
    combination: bool = False

    @property
    def listed(self) -> bool:
        return bool(self.entries)


def facts_at_a_glance(center: "Center") -> list[Fact]:
    """One row per term kind, in the comparison table's order (care settings, therapies,
    medications, payment, who it serves, languages, accreditation).

    Reads every term relation and ``services`` with their categories: fetch the center through
    ``_detail_queryset`` and ``prefetch_terms`` (the center page does), or each row costs a query.
    """
    codes_by_category: dict[str, list] = {}
    for service in sorted(center.services.all(), key=lambda s: s.position):
        codes_by_category.setdefault(service.category.code, []).append(service)
    return [
        _fact(center, kind, codes_by_category)
        for kind in sorted(TERM_KINDS, key=lambda kind: kind.compare_position)
    ]


def _fact(center: "Center", kind: TermKind, codes_by_category: dict[str, list]) -> Fact:
    fact = Fact(kind.relation, str(_LABELS.get(kind.relation, kind.plural)))
    fact.entries = [Entry(str(name)) for name in _ALWAYS.get(kind.relation, [])]
    terms = list(getattr(center, kind.relation).all())
    linked = hasattr(kind.model, "get_absolute_url")
    fact.entries += [
        Entry(term.local_name, term.get_absolute_url() if linked else "") for term in terms
    ]
    if not terms:
        services = [s for code in kind.samhsa_categories for s in codes_by_category.get(code, [])]
        fact.entries += [Entry(service.local_name) for service in services]
        fact.from_samhsa = bool(services)
    fact.combination = kind.relation == "care_settings" and center.offers_combination()
    return fact


def page_description(center: "Center", facts: list[Fact]) -> str:
    """The center page's meta description: where it is and the first facts, for search results
    and link previews (about 160 characters are shown; the rest is cut there, not here)."""
    rows = {fact.relation: fact for fact in facts}
    parts = [
        str(_("%(name)s in %(city)s, %(state)s.")
            % {"name": center.name, "city": center.city, "state": center.state})
    ]  # fmt: skip
    for relation in ("care_settings", "therapies", "payment_options"):
        fact = rows.get(relation)
        if fact and fact.listed and not fact.from_samhsa:
            names = ", ".join(entry.name for entry in fact.entries)
            parts.append(f"{fact.label}: {names}.")
    return " ".join(parts)
