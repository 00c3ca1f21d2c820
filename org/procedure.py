"""岗位交接: the post handover procedure (the first status machine of Fazhi).

    draft ──request──▶ requested ──confirm──▶ confirmed ──complete──▶ completed
                          │   └──────cancel / reject──────┘
                          ▼
                 cancelled / rejected

- ``request`` (org.handover) starts clock ``org.handover.complete``; the post shows 交接中.
- ``confirm`` (org.handover_confirm: the town leader) approves the successor.
- ``complete`` (org.handover) puts ``to_staff`` into the A or B slot of the post and stops the clock.
- ``reject`` (leader) / ``cancel`` (org.handover) need a reason; they end the clock as "stopped" (the
  procedure ended otherwise), so that no reminder runs for a handover that will not happen.

Guards raise ``DomainError`` naming their rule: the successor belongs to the town and is in post, is not
already the holder of that slot nor of the other slot, one open handover per post and slot, and on
completion the outgoing holder is still the one recorded when the handover was requested.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.procedure import Procedure, Transition

from .models import OPEN_HANDOVER_STATUSES, HandoverSlot, HandoverStatus, Position, PositionHandover, PositionStatus

CLOCK_RULE = "org.handover.complete"


def _holder_id(position: Position, slot: str):
    return position.primary_holder_id if slot == HandoverSlot.PRIMARY else position.backup_holder_id


def _other_holder_id(position: Position, slot: str):
    return position.backup_holder_id if slot == HandoverSlot.PRIMARY else position.primary_holder_id


# --- guards: guard(handover, ctx) raises DomainError ------------------------------------------------------

def guard_to_staff(handover: PositionHandover, ctx) -> None:
    staff = handover.to_staff
    if staff.town_id != handover.town_id:
        raise DomainError(_("接收人不属于本镇。"), rule="org.handover.to_staff_town", field="to_staff")
    if not staff.active:
        raise DomainError(_("接收人“{name}”已不在职。").format(name=staff.name), rule="org.handover.to_staff_active",
                          field="to_staff")
    position = handover.position
    if _holder_id(position, handover.slot) == staff.pk:
        raise DomainError(_("接收人已是该岗位的{slot}。").format(slot=HandoverSlot(handover.slot).label),
                          rule="org.handover.to_staff_is_holder", field="to_staff")
    if _other_holder_id(position, handover.slot) == staff.pk:
        other = HandoverSlot.BACKUP if handover.slot == HandoverSlot.PRIMARY else HandoverSlot.PRIMARY
        raise DomainError(
            _("接收人现为本岗位{other}，A岗和B岗不得为同一人；请先办理{other}的交接。").format(other=HandoverSlot(other).label),
            rule="org.position.ab_distinct", field="to_staff")


def guard_one_open(handover: PositionHandover, ctx) -> None:
    others = PositionHandover.objects.filter(town_id=handover.town_id, position_id=handover.position_id,
                                             slot=handover.slot, status__in=OPEN_HANDOVER_STATUSES)
    if handover.pk:
        others = others.exclude(pk=handover.pk)
    if others.exists():
        raise DomainError(_("该岗位的{slot}已有未办结的交接。").format(slot=HandoverSlot(handover.slot).label),
                          rule="org.handover.one_open", field="slot")


def guard_position_active(handover: PositionHandover, ctx) -> None:
    if not handover.position.active:
        raise DomainError(_("岗位“{name}”已停用。").format(name=handover.position.name),
                          rule="org.handover.position_active", field="position")


def guard_from_still_holder(handover: PositionHandover, ctx) -> None:
    position = Position.objects.get(pk=handover.position_id)
    if _holder_id(position, handover.slot) != handover.from_staff_id:
        raise DomainError(_("岗位人员在交接期间已发生变化，请撤销本次交接后重新发起。"),
                          rule="org.handover.from_changed")


# --- effects on the post: apply(handover, ctx) -> changed handover fields ---------------------------------

def _update_position(handover: PositionHandover, ctx, *, holder=None, set_holder: bool = False) -> None:
    from .services import _audit_change, _locked_update, state

    position = Position.objects.select_for_update().get(pk=handover.position_id)
    before = state(position)
    others_open = PositionHandover.objects.filter(position_id=position.pk, status__in=OPEN_HANDOVER_STATUSES) \
        .exclude(pk=handover.pk).exists()
    values = {}
    if set_holder:
        attr = "primary_holder" if handover.slot == HandoverSlot.PRIMARY else "backup_holder"
        setattr(position, attr, holder)
        values[f"{attr}_id"] = holder.pk if holder else None
    if handover.status in (HandoverStatus.DRAFT,) or others_open:
        status = PositionStatus.HANDING_OVER
    else:
        status = PositionStatus.STAFFED if position.primary_holder_id else PositionStatus.VACANT
    values["status"] = status
    _locked_update(position, values)
    position.status = status
    handover.position = position
    _audit_change("org.position_holders", position, before, ctx.actor,
                  _("岗位交接 #{pk}").format(pk=handover.pk))


def apply_request(handover: PositionHandover, ctx):
    _update_position(handover, ctx)  # status is still draft here: the post goes 交接中
    return []


def apply_complete(handover: PositionHandover, ctx):
    from_holder = handover.from_staff
    _update_position(handover, ctx, holder=handover.to_staff, set_holder=True)
    render_handover_form(handover, ctx, from_holder=from_holder)
    return []


def render_handover_form(handover: PositionHandover, ctx, *, from_holder) -> None:
    """The signed paper record of the handover: 岗位交接单, numbered, archived with its SM3 digest."""
    from instruments.services import instrument_render

    position = handover.position
    pending = [{"title": line.strip(), "status": _("待办"), "deadline": ""}
               for line in (handover.notes or "").splitlines() if line.strip()]
    instrument_render(
        kind_code="post_handover", obj=handover, actor=ctx.actor, on_date=ctx.on_date,
        context={
            "position": position.name, "sector": position.sector.name,
            "from_holder": from_holder.name if from_holder else _("（空缺）"),
            "to_holder": handover.to_staff.name,
            "supervisor": getattr(ctx.actor, "display_name", "") if ctx.actor else "",
            "reason": handover.reason, "duties": position.duty_list, "pending_items": pending,
            "handover_date": ctx.on_date or timezone.localdate(),
        },
    )


def apply_close(handover: PositionHandover, ctx):
    """Rejected or cancelled: the post leaves 交接中 and the clock ends as "stopped" (not "met")."""
    from clocks import services as clock_services

    _update_position(handover, ctx)
    clock_services.clock_stop_for(obj=handover, rule_code=CLOCK_RULE, actor=ctx.actor, on_date=ctx.on_date,
                                  outcome="stopped", reason=ctx.reason)
    return []


HANDOVER = Procedure(
    model=PositionHandover,
    field="status",
    audit_prefix="org.handover",
    transitions=[
        Transition("request", source=[HandoverStatus.DRAFT], target=HandoverStatus.REQUESTED,
                   label=gettext_lazy("申请交接"), permission="org.handover",
                   guards=[guard_position_active, guard_to_staff, guard_one_open],
                   start_clocks=[CLOCK_RULE], apply=apply_request),
        Transition("confirm", source=[HandoverStatus.REQUESTED], target=HandoverStatus.CONFIRMED,
                   label=gettext_lazy("确认交接"), permission="org.handover_confirm", style="primary",
                   guards=[guard_position_active, guard_to_staff]),
        Transition("complete", source=[HandoverStatus.CONFIRMED], target=HandoverStatus.COMPLETED,
                   label=gettext_lazy("完成交接"), permission="org.handover", style="success",
                   guards=[guard_position_active, guard_to_staff, guard_from_still_holder],
                   stop_clocks=[CLOCK_RULE], apply=apply_complete),
        Transition("reject", source=[HandoverStatus.REQUESTED, HandoverStatus.CONFIRMED],
                   target=HandoverStatus.REJECTED, label=gettext_lazy("退回"), permission="org.handover_confirm",
                   requires_reason=True, style="danger", apply=apply_close),
        Transition("cancel", source=[HandoverStatus.REQUESTED, HandoverStatus.CONFIRMED],
                   target=HandoverStatus.CANCELLED, label=gettext_lazy("撤销"), permission="org.handover",
                   requires_reason=True, style="outline-secondary", apply=apply_close),
    ],
)

__all__ = ["HANDOVER", "CLOCK_RULE"]
