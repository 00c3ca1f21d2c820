"""Who is acting, from where: set by the middleware for requests, by ``acting_as`` for commands and tasks."""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AuditContext:
    actor: object = None
    request_id: str = ""
    client_ip: str = ""
    channel: str = "system"


_current: ContextVar[AuditContext] = ContextVar("fazhi_audit_context", default=AuditContext())  # noqa: B039 (frozen, immutable)


def current() -> AuditContext:
    return _current.get()


@contextlib.contextmanager
def acting_as(actor=None, *, channel: str = "cli", request_id: str | None = None, client_ip: str = ""):
    """Attribute every audit entry written inside the block (management commands, tasks, demo)."""
    token = _current.set(AuditContext(actor=actor, request_id=request_id or uuid.uuid4().hex,
                                      client_ip=client_ip, channel=channel))
    try:
        yield
    finally:
        _current.reset(token)


def set_context(ctx: AuditContext):
    return _current.set(ctx)


def reset_context(token) -> None:
    _current.reset(token)


def with_actor(actor) -> AuditContext:
    return replace(current(), actor=actor)
