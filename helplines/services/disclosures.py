"""The versioned "Where do calls go?" statement."""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import Disclosure


def publish_disclosure(
    *,
    body: str,
    body_es: str = "",
    effective_from: datetime | None = None,
    change_note: str = "",
    author: AbstractBaseUser | None = None,
) -> Disclosure:
    """Publish a new version of the disclosure text, with its Spanish (``body_es``, blank
    until translated); earlier versions stay as they were."""
    with transaction.atomic():
        # The race: two admins saving at once would both read the same latest version and
        # both claim the next number. Locking the latest row makes the second wait.
        latest = Disclosure.objects.select_for_update().order_by("-version").first()
        return Disclosure.objects.create(
            version=(latest.version if latest else 0) + 1,
            body=body.strip(),
            body_es=body_es.strip(),
            change_note=change_note,
            effective_from=effective_from or timezone.now(),
            created_by=author,
        )
