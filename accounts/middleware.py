"""Session policy (S3): idle timeout by role (15 min for 三员, 30 min for staff), absolute 12 h; and the
forced password change (S1): an account created or reset by the system administrator, or a 三员 account
whose password is older than the rotation period, can only change its password until it does.

The idle clock is kept in the session with one-minute resolution, so most requests do not write it."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def _exempt_paths() -> tuple:
    return (reverse("accounts:password_change"), reverse("accounts:logout"), reverse("accounts:login"),
            settings.STATIC_URL, reverse("javascript-catalog"), "/i18n/", reverse("core:healthz"))


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("fazhi_started", now)
            last = session.get("fazhi_seen", now)
            idle = session.get("fazhi_idle", settings.FAZHI_SESSION_IDLE_SECONDS["default"])
            if now - started > settings.FAZHI_SESSION_ABSOLUTE_SECONDS or now - last > idle:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if now - last >= 60 or "fazhi_seen" not in session:
                session["fazhi_seen"] = now  # written at most once a minute: no session write per request
            if not user.is_active:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if getattr(user, "must_change_password", False) and not request.path.startswith(_exempt_paths()):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("须先修改密码。"), "rule": "accounts.must_change_password"},
                                        status=403)
                return redirect(f"{reverse('accounts:password_change')}?required=1")
        return self.get_response(request)
