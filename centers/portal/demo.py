"""A demo center manager, so that `make demo` shows the portal as a center sees it."""

from django.contrib.auth import get_user_model

from centers.models import Center, CenterManager

DEMO_MANAGER_EMAIL = "manager@demo.example"


def create_demo_manager() -> Center | None:
    """Make the demo manager manage the first published demo center (once); return it."""
    center = Center.objects.published().order_by("pk").first()
    if center is None:
        return None
    users = get_user_model()
    user, _ = users.objects.get_or_create(
        username=DEMO_MANAGER_EMAIL, defaults={"email": DEMO_MANAGER_EMAIL}
    )
    if not CenterManager.objects.active().filter(user=user).exists():
        CenterManager.objects.create(user=user, center=center, role="Intake coordinator")
    return center
