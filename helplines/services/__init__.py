"""Writes that span several models, one module per area, all importable from here.

- ``routing``: the one rule that chooses a paid advertiser, for calls and callbacks alike.
- ``calls``: routing a call to the helplines and recording what Twilio reports about it.
- ``callbacks``: callback requests, to a center or to the advertiser the rotation chooses.
- ``pauses``: pausing an advertiser that stops taking calls, and lifting the pause.
- ``retention``: deleting call detail and callback requests once their time is up.
- ``disclosures``: publishing a new version of the "Where do calls go?" statement.

Each function is keyword-only and typed, and runs in one transaction.
"""

from .callbacks import (
    RATE_LIMIT,
    RATE_WINDOW,
    NoAdvertiserAvailable,
    RotationMoved,
    allow_callback_request,
    request_advertiser_callback,
    request_center_callback,
)
from .calls import (
    ACCEPT_DIGIT,
    MAX_ADVERTISER_ATTEMPTS,
    NOTHING_MORE,
    Announcement,
    NextStep,
    record_acceptance,
    record_call_status,
    record_connected,
    record_dial_result,
    record_unrouted_call,
    record_web_click,
    route_call,
)
from .disclosures import publish_disclosure
from .pauses import end_pause
from .retention import purge_call_detail, purge_callbacks
from .routing import (
    LONGEST_CALL,
    RINGING_MARGIN,
    Selection,
    next_advertiser,
    select_advertiser,
    smooth_weighted_choice,
)

__all__ = [
    "ACCEPT_DIGIT",
    "LONGEST_CALL",
    "RINGING_MARGIN",
    "MAX_ADVERTISER_ATTEMPTS",
    "NOTHING_MORE",
    "RATE_LIMIT",
    "RATE_WINDOW",
    "Announcement",
    "NextStep",
    "NoAdvertiserAvailable",
    "RotationMoved",
    "Selection",
    "allow_callback_request",
    "end_pause",
    "next_advertiser",
    "publish_disclosure",
    "purge_call_detail",
    "purge_callbacks",
    "record_acceptance",
    "record_call_status",
    "record_connected",
    "record_dial_result",
    "record_unrouted_call",
    "record_web_click",
    "request_advertiser_callback",
    "request_center_callback",
    "route_call",
    "select_advertiser",
    "smooth_weighted_choice",
]
