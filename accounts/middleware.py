"""Session policy (S3): idle timeout by role (15 min for 三员, 30 min for staff), absolute 12 h.

The idle clock is kept in the session with one-minute resolution, so most requests do not write it."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse


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
        return self.get_response(request)
