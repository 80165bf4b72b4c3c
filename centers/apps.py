from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = "Treatment centers"

    def ready(self) -> None:
        from centers.portal import checks  # noqa: F401  (registers the system checks)
