"""The public call statistics: what happened to the calls to our helplines, per advertiser.

Counted from the call records by a fixed number of grouped queries, whatever the number of
calls or advertisers, and the same way as the admin's report (``reports.attempt_figures``), so
that the two always agree for the same period. Months and days are the site's
(``settings.TIME_ZONE``). ``purge_calls`` keeps everything counted here.
"""

from .export import CSV_HEADER, csv_rows
from .figures import (
    CHART_MONTHS,
    AdvertiserFigures,
    MonthBar,
    PauseRecord,
    Statistics,
    build,
    for_period,
)
from .periods import LAST_DAYS, Period, last_days, month_period, parse_month, recent_months

__all__ = [
    "CHART_MONTHS",
    "CSV_HEADER",
    "LAST_DAYS",
    "AdvertiserFigures",
    "MonthBar",
    "PauseRecord",
    "Period",
    "Statistics",
    "build",
    "csv_rows",
    "for_period",
    "last_days",
    "month_period",
    "parse_month",
    "recent_months",
]
