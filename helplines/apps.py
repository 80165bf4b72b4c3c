from django.apps import AppConfig


class HelplinesConfig(AppConfig):
    name = "helplines"
    verbose_name = "Helplines and calls"

    def ready(self) -> None:
        from centers.models.center import register_paid_status

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import is_paid_advertiser
        from .models.advertiser import current_key

        register_paid_status(is_paid_advertiser, key=current_key)
