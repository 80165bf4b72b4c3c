from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = "Treatment centers"

    def ready(self) -> None:
        # Imported for their side effect: registering the system checks.
        from centers import checks  # noqa: F401
        from centers.portal import checks as portal_checks  # noqa: F401
