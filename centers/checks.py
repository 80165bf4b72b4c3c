"""System checks for the catalog's settings."""

from collections.abc import Iterable

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(deploy=True)
def editors_hear_of_reports(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    if settings.EDITORS_EMAIL:
        return []
    return [
        checks.Warning(
            "EDITORS_EMAIL is not set: nobody is emailed about new problem reports.",
            hint="Set it to the editors' address; the reports still wait in the admin.",
            id="centers.W001",
        )
    ]
