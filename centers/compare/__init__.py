"""Comparing a few centers side by side: which centers, and the rows that tell them apart.

The comparison lives in the URL (``/compare/?c=<slug>&c=<slug>``), so it can be shared,
bookmarked and printed, and the URL alone always shows the same table. Separately, the browser
remembers the visitor's own selection (the "compare tray") in a cookie, so that the "Add to
compare" buttons on every card can extend it without carrying it through every listing link.
The cookie holds slugs only and lasts until the browser is closed. Opening a comparison
replaces it with that comparison, so "Add to compare" always extends what was last on screen.
"""

from .page import Comparison, Distance, compare_url, distance_from
from .rows import TERM_GROUPS, Group, Row, build_groups
from .selection import (
    MAX_CENTERS,
    MAX_REQUESTED,
    SLUG_PATTERN,
    Selection,
    compare_queryset,
    requested_slugs,
    select,
)
from .tray import (
    TRAY_COOKIE,
    TRAY_SEPARATOR,
    Tray,
    TrayChange,
    change_tray,
    tray_cookie_value,
    tray_slugs,
    tray_with_centers,
)

__all__ = [
    "Comparison",
    "Distance",
    "Group",
    "MAX_CENTERS",
    "MAX_REQUESTED",
    "Row",
    "SLUG_PATTERN",
    "Selection",
    "TERM_GROUPS",
    "TRAY_COOKIE",
    "TRAY_SEPARATOR",
    "Tray",
    "TrayChange",
    "build_groups",
    "change_tray",
    "compare_queryset",
    "compare_url",
    "distance_from",
    "requested_slugs",
    "select",
    "tray_cookie_value",
    "tray_slugs",
    "tray_with_centers",
]
