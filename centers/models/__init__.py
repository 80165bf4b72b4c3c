from .center import COMBINATION, Center, CenterQuerySet
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
    "Center",
    "CenterQuerySet",
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
