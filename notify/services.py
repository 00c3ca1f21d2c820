"""Notifications: the one write path of the notify app.

``notify()`` creates one in-app notification (once per recipient and ``key``) and, with ``sms=True``,
queues a text message through the pluggable channel (``notify/sms.py``) after the transaction commits.
The message task carries only the notification's id: phone numbers never enter the task queue.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger("fazhi.notify")


def notify(*, recipient, title: str, body: str = "", url: str = "", level: str = Notification.Level.INFO,
           key: str = "", town=None, sms: bool = False) -> Notification | None:
    """Create one notification; with ``key``, a second call for the same recipient does nothing."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(recipient=recipient, title=title[:200], body=body, url=url[:300],
                                               level=level, key=key[:120], town=town or recipient.town)
    except IntegrityError:
        return None
    if sms and recipient.phone:
        note_id = note.pk
        transaction.on_commit(lambda: _queue_sms(note_id))
    return note


def notify_many(*, recipients, title: str, body: str = "", url: str = "", level: str = Notification.Level.INFO,
                key: str = "", town=None, sms: bool = False) -> list[Notification]:
    """``notify()`` for each distinct recipient; returns the notifications actually created."""
    seen, created = set(), []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        note = notify(recipient=user, title=title, body=body, url=url, level=level, key=key, town=town, sms=sms)
        if note is not None:
            created.append(note)
    return created


def _queue_sms(notification_id: int) -> None:
    from .tasks import send_sms

    try:
        send_sms.enqueue(notification_id)
    except Exception:  # noqa: BLE001 - a queue outage must not break the request that notified
        logger.exception("could not queue SMS for notification %s", notification_id)


def send_sms_for(notification_id: int) -> bool:
    """Send the text of one notification to its recipient's phone (called by the task)."""
    from .sms import get_backend

    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or not note.recipient.phone:
        return False
    get_backend().send(note.recipient.phone, f"{note.title} {note.body}".strip())
    return True


def mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
