"""Centers as Open Referral HSDS 3.0: objects, vocabulary, query parameters, tabular export."""

from centers.models import Center
from centers.models.center import CenterQuerySet

HSDS_VERSION = "3.0"
PROFILE_URL = "https://specs.openreferral.org/en/v3.0/"


def centers_for_list() -> CenterQuerySet:
    """Published centers with what a list item shows (its accreditations), in name order."""
    return Center.objects.published().prefetch_related("accreditations").order_by("name", "pk")


def centers_for_detail() -> CenterQuerySet:
    """Published centers with everything a whole object shows, one query per relation."""
    return Center.objects.published().for_detail().order_by("name", "pk")
