"""A small fixed-window rate limit per client address, kept in Django's cache (local memory by default)."""

from __future__ import annotations

import time

from django.core.cache import cache

from audit.middleware import client_ip

# scope → (requests, seconds)
LIMITS = {
    "report": (5, 600),
    "appeal": (5, 600),
    "track": (30, 600),
    "rate": (10, 600),
}


def allow(request, scope: str) -> bool:
    """Count one request of ``scope`` from this address; False once the window's quota is used up."""
    limit, window = LIMITS[scope]
    bucket = int(time.time() // window)
    key = f"portal-rl:{scope}:{client_ip(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
    return count <= limit
