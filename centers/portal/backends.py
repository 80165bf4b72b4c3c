from sesame.backends import ModelBackend


class ManagerLinkBackend(ModelBackend):
    """django-sesame's sign-in by emailed link, for center managers only.

    Staff sign in to the admin with a password, behind the login throttle: a link to their
    mailbox must never open the admin, even for staff who also manage a center.
    """

    def user_can_authenticate(self, user: object) -> bool:
        staff = getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
        return not staff and super().user_can_authenticate(user)
