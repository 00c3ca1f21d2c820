from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification
from .sms import get_backend


def notify(*, recipient, title: str, body: str = "", url: str = "", level: str = Notification.Level.INFO,
           key: str = "", town=None, sms: bool = False) -> Notification | None:
    """Create one notification; with ``key``, a second call for the same recipient does nothing."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(recipient=recipient, title=title[:200], body=body, url=url,
                                               level=level, key=key[:120], town=town or recipient.town)
    except IntegrityError:
        return None
    if sms and recipient.phone:
        phone, text = recipient.phone, f"{title} {body}".strip()
        transaction.on_commit(lambda: get_backend().send(phone, text))
    return note


def mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
