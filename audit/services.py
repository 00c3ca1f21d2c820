"""Writing the audit chain. Every service calls ``record()`` inside its own transaction.

Each entry's ``hash`` = HMAC-SM3(key, canonical JSON of its fields + the previous entry's hash), so
editing, deleting or re-ordering any entry breaks every hash after it (``manage.py audit_verify``).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core.crypto import hmac_sm3

from .context import current
from .models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "at", "actor_id", "actor_name", "role", "town_id", "action", "object_type", "object_id",
    "object_repr", "before", "after", "reason", "request_id", "client_ip", "channel", "files", "prev_hash",
)


def _json_default(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def normalise(value):
    """JSON-safe copy: what is stored is exactly what is hashed."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_json_default).encode("utf-8")


def entry_fields(entry: AuditEntry) -> dict:
    data = {name: getattr(entry, name) for name in HASHED_FIELDS}
    data["at"] = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return data


def compute_hash(entry: AuditEntry) -> str:
    return hmac_sm3(settings.FAZHI_AUDIT_KEY.encode("utf-8"), canonical(entry_fields(entry)))


def snapshot(obj: Model, fields=None) -> dict:
    """The concrete field values of a model instance, for ``before``/``after``."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return normalise({name: getattr(obj, name) for name in names})


def _roles(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    from access.scope import grants_of

    return ",".join(sorted({g.role for g in grants_of(actor)}))


@transaction.atomic
def record(*, action: str, obj: Model | None = None, town=None, actor=None, before=None, after=None,
           reason: str = "", files=(), object_type: str = "", object_id: str = "", object_repr: str = "") -> AuditEntry:
    """Append one entry. ``files`` is a list of ``{"name", "path", "sm3"}`` dicts of stored files."""
    ctx = current()
    if actor is None:
        actor = ctx.actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_repr = object_repr or str(obj)[:255]
        if town is None:
            town = _town_of(obj)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=actor,
        actor_name=(getattr(actor, "display_name", "") or getattr(actor, "username", ""))[:150] if actor else "",
        role=_roles(actor)[:255],
        town_id=getattr(town, "pk", town),
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=object_repr[:255],
        before=normalise(before),
        after=normalise(after),
        reason=str(reason or ""),
        request_id=ctx.request_id,
        client_ip=ctx.client_ip,
        channel=ctx.channel,
        files=normalise(list(files)) or [],
        prev_hash=head.hash,
    )
    entry.hash = compute_hash(entry)
    entry.save(force_insert=True)
    AuditChainHead.objects.filter(id=1).update(seq=entry.seq, hash=entry.hash)
    return entry


def _town_of(obj: Model):
    path = getattr(type(obj), "scope_town", None)
    if path is None:
        return None
    if path == "":
        return obj
    target = obj
    for part in path.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def record_change(*, action: str, obj: Model, before: dict | None, actor, reason: str = "", fields=None,
                  files=()) -> AuditEntry:
    """Record a change, keeping only the fields that differ between ``before`` and the object now."""
    after = snapshot(obj, fields)
    if before is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after[k] for k in sorted(changed)}
    return record(action=action, obj=obj, actor=actor, before=before, after=after, reason=reason, files=files)


# --- reading and verifying the log (S7, S8) ---------------------------------------------------

def log_read(*, actor, action: str = "audit.read", filters: dict | None = None, shown: int | None = None,
             entry: AuditEntry | None = None, town=None) -> AuditEntry:
    """Audit a read of the audit log itself: a list page, an entry, an export or an API call."""
    after = {"filters": {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}}
    if shown is not None:
        after["shown"] = shown
    if entry is not None:
        return record(action=action, actor=actor, town=entry.town_id, object_type="audit.auditentry",
                      object_id=str(entry.pk), object_repr=f"#{entry.seq} {entry.action}"[:255], after=after)
    return record(action=action, actor=actor, town=town if town is not None else getattr(actor, "town_id", None),
                  after=after)


def _auditors():
    from django.contrib.auth import get_user_model

    from access.roles import Role

    return get_user_model().objects.filter(is_active=True, grants__role=Role.AUDITOR).distinct()


@transaction.atomic
def verification_record(*, result, started_at, actor=None, channel: str = "", notify_auditors: bool = True):
    """Store the outcome of a chain verification, audit it, and tell the auditors when it failed."""
    from .context import current
    from .models import Verification

    if actor is None:
        actor = current().actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    first = result.first
    verification = Verification.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        result=Verification.Result.INTACT if result.ok else Verification.Result.BROKEN,
        entries_checked=result.entries_checked,
        files_checked=result.files_checked,
        last_seq=result.last_seq,
        first_bad_seq=first.seq if first else None,
        problem="" if result.ok else result.summary(),
        channel=channel or current().channel,
        actor=actor,
    )
    record(action="audit.verify", obj=verification, actor=actor, after={
        "result": verification.result, "entries": result.entries_checked, "files": result.files_checked,
        "last_seq": result.last_seq, "first_bad_seq": verification.first_bad_seq,
        "problem": first.kind if first else "",
    })
    if not result.ok and notify_auditors:
        pk = verification.pk
        transaction.on_commit(lambda: _notify_broken_chain(pk))
    return verification


def _notify_broken_chain(verification_id: int) -> None:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from notify.models import Notification
    from notify.services import notify

    from .models import Verification

    verification = Verification.objects.get(pk=verification_id)
    for auditor in _auditors():
        notify(recipient=auditor, title=_("审计链校验发现异常"), body=verification.problem,
               url=reverse("audit:verification_list"), level=Notification.Level.DANGER,
               key=f"audit.verify:{verification_id}", town=auditor.town)


def verification_run(*, actor=None, check_files: bool = True, channel: str = "", notify_auditors: bool = True):
    """Verify the whole chain (reading outside any transaction) and record the outcome."""
    from .verification import verify_chain

    started = timezone.now()
    result = verify_chain(check_files=check_files)
    verification = verification_record(result=result, started_at=started, actor=actor, channel=channel,
                                       notify_auditors=notify_auditors)
    return result, verification
