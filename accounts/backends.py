from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


class LockoutModelBackend(ModelBackend):
    """Refuses an account while it is locked after repeated failures (S2)."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return not (user.locked_until and user.locked_until > timezone.now())

    def get_user(self, user_id):
        # One query for the user and the town/district shown in every page header.
        user = self.get_user_model_queryset().filter(pk=user_id).first()
        # A lockout stops new logins only; a disabled account loses its sessions at once.
        return user if user is not None and ModelBackend.user_can_authenticate(self, user) else None

    @staticmethod
    def get_user_model_queryset():
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.select_related("town", "district")
