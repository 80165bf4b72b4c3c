"""Views by area: the catalog (home, listing, detail, term pages), comparing
centers, and guides."""

from .catalog import (
    care_setting,
    center_detail,
    center_list,
    find,
    home,
    report_problem,
    therapy,
)
from .compare import compare, compare_tray
from .guides import guide_inpatient_outpatient
from .maps import locator_outline, map_points
from .visitor import visitor

__all__ = [
    "care_setting",
    "center_detail",
    "center_list",
    "compare",
    "compare_tray",
    "find",
    "guide_inpatient_outpatient",
    "home",
    "locator_outline",
    "map_points",
    "report_problem",
    "therapy",
    "visitor",
]
