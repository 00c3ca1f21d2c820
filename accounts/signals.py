from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from access.roles import THREE_OFFICERS
from access.scope import roles_of
from audit.services import record

from .services import session_closed, session_opened


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    idle_key = "three_officers" if roles_of(user) & THREE_OFFICERS else "default"
    request.session["fazhi_idle"] = settings.FAZHI_SESSION_IDLE_SECONDS[idle_key]
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        record(action="accounts.login", obj=user, town=user.town, actor=user)
        session_opened(user=user, session_key=request.session.session_key or "",
                       client_ip=request.META.get("REMOTE_ADDR", ""))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(action="accounts.logout", obj=user, town=user.town, actor=user)
    if request is not None and hasattr(request, "session"):
        session_closed(session_key=request.session.session_key or "")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        after = {"username": username[:150]}
        if user is not None:
            User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
            user.refresh_from_db(fields=["failed_logins"])
            if user.failed_logins >= settings.FAZHI_LOCKOUT_FAILURES:
                User.objects.filter(pk=user.pk).update(
                    locked_until=timezone.now() + timedelta(seconds=settings.FAZHI_LOCKOUT_SECONDS)
                )
                after["locked"] = True
        record(action="accounts.login_failed", obj=user, town=getattr(user, "town", None), actor=None, after=after)
