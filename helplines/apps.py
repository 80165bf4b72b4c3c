from django.apps import AppConfig


class HelplinesConfig(AppConfig):
    name = "helplines"
    verbose_name = "Helplines and calls"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
