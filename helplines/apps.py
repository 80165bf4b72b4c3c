from django.apps import AppConfig


class HelplinesConfig(AppConfig):
    name = "helplines"
    verbose_name = "Helplines and calls"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from centers.models.center import register_paid_status

        from . import checks  # noqa: F401  (registers the system checks)
        from .context_processors import forget_general_lines
        from .models import Helpline, is_paid_advertiser
        from .models.advertiser import current_key

        register_paid_status(is_paid_advertiser, key=current_key)
        # Not business logic: a process's copy of the footer's lines, dropped when one changes.
        post_save.connect(forget_general_lines, sender=Helpline)
        post_delete.connect(forget_general_lines, sender=Helpline)
