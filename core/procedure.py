"""Declarative status machines: one way for every module to give a record its procedure.

A module writes, in its ``procedure.py``::

    @coloured({"staffed": "success", "handing_over": "warning"})
    class PositionStatus(models.TextChoices):
        STAFFED = "staffed", _("在岗")
        HANDING_OVER = "handing_over", _("交接中")

    HANDOVER = Procedure(
        model=Position,
        field="status",
        transitions=[
            Transition("start_handover", source=[PositionStatus.STAFFED], target=PositionStatus.HANDING_OVER,
                       label=_("发起交接"), permission="org.handover", guards=[has_successor],
                       start_clocks=["org.handover.complete"], requires_reason=True),
        ],
    )

and its service calls ``HANDOVER.fire(position, "start_handover", actor=user, reason=...)``, which
checks the action is legal from the current state (``TransitionError``), that the actor may fire it
(``PermissionDenied``), runs the guards (each raises ``DomainError`` naming its rule), applies the
change with an optimistic-locking update, starts/stops clocks, writes the audit entry in the same
transaction and schedules ``after_commit`` callbacks with ``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from .errors import ConflictError, TransitionError

_COLOURS: dict[type, dict[str, str]] = {}


def coloured(mapping: dict):
    """Class decorator giving a TextChoices its colours: ``@coloured({"staffed": "success", ...})``.

    Colours are Bootstrap contextual names (primary, secondary, success, danger, warning, info, dark).
    """

    def decorate(cls):
        _COLOURS[cls] = {str(k): v for k, v in mapping.items()}
        return cls

    return decorate


def colour_of(choices_cls, value) -> str:
    return _COLOURS.get(choices_cls, {}).get(str(value), "secondary")


_FIELD_CHOICES: dict = {}


def colour_for_field(model, field_name: str, value) -> str:
    """The colour of a status value, found through the @coloured TextChoices that defines the field."""
    key = (model, field_name)
    if key not in _FIELD_CHOICES:
        values = {str(v) for v, _label in model._meta.get_field(field_name).flatchoices}
        _FIELD_CHOICES[key] = next((cls for cls in _COLOURS if set(cls.values) == values), None)
    cls = _FIELD_CHOICES[key]
    return colour_of(cls, value) if cls is not None else "secondary"


Guard = Callable[[models.Model, "TransitionContext"], None]


@dataclass(frozen=True)
class Transition:
    action: str
    source: Iterable[str]
    target: str
    label: str = ""
    permission: str = ""  # an access action code, e.g. "org.handover"
    guards: tuple = ()
    start_clocks: tuple = ()  # rule codes started on this transition (start date = today)
    stop_clocks: tuple = ()  # rule codes stopped (met) on this transition
    requires_reason: bool = False
    style: str = "primary"  # button colour in the UI
    apply: Callable | None = None  # extra field changes: apply(obj, ctx) -> list of changed field names
    after_commit: tuple = ()  # callables(obj_id) run after the transaction commits

    def __post_init__(self):
        object.__setattr__(self, "source", tuple(str(s) for s in self.source))
        object.__setattr__(self, "guards", tuple(self.guards))
        object.__setattr__(self, "start_clocks", tuple(self.start_clocks))
        object.__setattr__(self, "stop_clocks", tuple(self.stop_clocks))
        object.__setattr__(self, "after_commit", tuple(self.after_commit))


@dataclass
class TransitionContext:
    actor: object
    reason: str = ""
    data: dict = field(default_factory=dict)
    on_date: object = None  # the legal date the step happened (defaults to today, Asia/Shanghai)


class Procedure:
    def __init__(self, *, model, transitions: list[Transition], field: str = "status", audit_prefix: str = "",
                 version_field: str | None = "version"):
        self.model = model
        self.field = field
        self.version_field = version_field
        self.audit_prefix = audit_prefix or model._meta.label_lower
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self.transitions:
                raise ValueError(f"duplicate transition {t.action}")
            self.transitions[t.action] = t

    # --- reading ------------------------------------------------------------------------------
    def state_of(self, obj) -> str:
        return str(getattr(obj, self.field))

    def get(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise TransitionError(_("未知的操作：{action}").format(action=action)) from None

    def legal(self, obj) -> list[Transition]:
        state = self.state_of(obj)
        return [t for t in self.transitions.values() if state in t.source]

    def available(self, obj, user) -> list[Transition]:
        """Transitions the user could fire now (state and permission; guards are checked on firing)."""
        from access.scope import can

        return [t for t in self.legal(obj) if not t.permission or can(user, t.permission)]

    # --- firing -------------------------------------------------------------------------------
    def check(self, obj, action: str, ctx: TransitionContext) -> Transition:
        t = self.get(action)
        state = self.state_of(obj)
        if state not in t.source:
            field_obj = obj._meta.get_field(self.field)
            labels = dict(field_obj.flatchoices)
            raise TransitionError(
                _("当前状态为“{state}”，不能执行“{action}”。").format(
                    state=labels.get(state, state), action=t.label or t.action
                ),
                rule=f"procedure.{self.audit_prefix}.{t.action}",
            )
        if t.permission:
            from access.scope import can

            if not can(ctx.actor, t.permission):
                raise PermissionDenied(t.permission)
        if t.requires_reason and not (ctx.reason or "").strip():
            raise TransitionError(_("“{action}”须填写理由。").format(action=t.label or t.action), field="reason")
        for guard in t.guards:
            guard(obj, ctx)
        return t

    @transaction.atomic
    def fire(self, obj, action: str, *, actor, reason: str = "", data: dict | None = None, on_date=None):
        from audit.services import record, snapshot

        ctx = TransitionContext(actor=actor, reason=reason, data=data or {}, on_date=on_date)
        t = self.check(obj, action, ctx)
        source = self.state_of(obj)
        changed = [self.field]
        if t.apply is not None:
            changed += list(t.apply(obj, ctx) or [])
        tracked = sorted(set(changed))
        before = {self.field: source}
        setattr(obj, self.field, str(t.target))
        self._save(obj, tracked)
        after = snapshot(obj, tracked)
        if t.start_clocks or t.stop_clocks:
            from clocks import services as clock_services

            for code in t.stop_clocks:
                clock_services.clock_stop_for(obj=obj, rule_code=code, actor=actor, on_date=on_date)
            for code in t.start_clocks:
                clock_services.clock_start(obj=obj, rule_code=code, actor=actor, start_date=on_date)
        record(action=f"{self.audit_prefix}.{t.action}", obj=obj, actor=actor, reason=reason,
               before=before, after=after)
        for callback in t.after_commit:
            pk = obj.pk
            transaction.on_commit(lambda cb=callback, pk=pk: cb(pk))
        return obj

    def _save(self, obj, fields: list[str]) -> None:
        """Optimistic locking when the model has a version column: a concurrent change → ConflictError."""
        manager = type(obj)._default_manager
        if self.version_field and hasattr(obj, self.version_field):
            current_version = getattr(obj, self.version_field)
            values = {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}
            values[self.version_field] = models.F(self.version_field) + 1
            updated = manager.filter(pk=obj.pk, **{self.version_field: current_version}).update(**values)
            if updated != 1:
                raise ConflictError(_("该记录已被他人修改，请刷新后重试。"))
            setattr(obj, self.version_field, current_version + 1)
        else:
            obj.save(update_fields=fields)
