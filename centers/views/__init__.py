"""Views by area: the catalog (home, listing, detail, term pages, health check)."""

from .catalog import (
    care_setting,
    center_detail,
    center_list,
    find,
    healthz,
    home,
    report_problem,
    therapy,
)

__all__ = [
    "care_setting",
    "center_detail",
    "center_list",
    "find",
    "healthz",
    "home",
    "report_problem",
    "therapy",
]
