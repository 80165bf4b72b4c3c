from .catalog_version import CatalogVersion
from .center import COMBINATION, Center, CenterQuerySet, prefetch_terms, set_prefetched_terms
from .reports import ProblemReport
from .taxonomy import (
    FACET_KINDS,
    TERM_KINDS,
    TERM_RELATIONS,
    Accreditation,
    CareSetting,
    Language,
    Medication,
    PaymentOption,
    Population,
    Service,
    ServiceCategory,
    Term,
    TermKind,
    TherapyType,
)

__all__ = [
    "COMBINATION",
    "FACET_KINDS",
    "TERM_KINDS",
    "TERM_RELATIONS",
    "Accreditation",
    "CareSetting",
    "CatalogVersion",
    "Center",
    "CenterQuerySet",
    "prefetch_terms",
    "set_prefetched_terms",
    "Language",
    "Medication",
    "PaymentOption",
    "Population",
    "ProblemReport",
    "Service",
    "ServiceCategory",
    "Term",
    "TermKind",
    "TherapyType",
]
