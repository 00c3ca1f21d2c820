from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


class LockoutModelBackend(ModelBackend):
    """Refuses an account while it is locked after repeated failures (S2)."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return not (user.locked_until and user.locked_until > timezone.now())
