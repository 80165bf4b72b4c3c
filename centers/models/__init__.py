from .center import COMBINATION, Center, CenterQuerySet
from .reports import ProblemReport
from .taxonomy import (
    Accreditation,
    CareSetting,
    Language,
    Medication,
    PaymentOption,
    Population,
    Service,
    ServiceCategory,
    Term,
    TherapyType,
)

__all__ = [
    "COMBINATION",
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
    "TherapyType",
]
