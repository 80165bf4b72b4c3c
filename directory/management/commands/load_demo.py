from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from centers.demo import create_demo_centers
from centers.models import Center
from centers.portal.demo import DEMO_MANAGER_EMAIL, create_demo_manager
from helplines.demo import create_demo_helplines

DEMO_ADMIN = "demo-admin"
DEMO_PASSWORD = "demo-admin-password"


class Command(BaseCommand):
    help = "Load the fictional demo data set (centers, helplines, advertisers) and a demo admin."

    def handle(self, *args, **options) -> None:
        if Center.objects.exists():
            # Never mix fictional listings into a real directory.
            self.stdout.write("The directory already has centers; demo data was not loaded.")
        else:
            centers = create_demo_centers()
            create_demo_helplines(centers=centers)
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(centers)} demo centers."))
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_ADMIN).exists():
            user_model.objects.create_superuser(DEMO_ADMIN, "", DEMO_PASSWORD)
        self.stdout.write(f"Demo admin: user {DEMO_ADMIN!r}, password {DEMO_PASSWORD!r}")
        managed = create_demo_manager()
        if managed is not None:
            self.stdout.write(
                f"Demo center manager of {managed.name}: sign in at /manage/sign-in/ with "
                f"{DEMO_MANAGER_EMAIL}; the sign-in link is printed on the server's console."
            )
