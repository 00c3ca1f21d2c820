from .models import Notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user, *, unread: bool | None = None, level: str = ""):
    """The user's own notifications (a notification is personal: no town-wide listing)."""
    qs = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    if level in Notification.Level.values:
        qs = qs.filter(level=level)
    return qs


def get_own(user, pk):
    """One notification of the user (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Notification, recipient=user, pk=pk)
