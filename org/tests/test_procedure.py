"""岗位交接: each transition, its guards, illegal moves, clocks started and stopped."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from access.roles import Role
from audit.models import AuditEntry
from core.errors import DomainError, TransitionError
from org import services
from org.models import HandoverStatus, Position, PositionHandover, PositionStatus
from org.procedure import CLOCK_RULE, HANDOVER
from org.tests import factories as f


@pytest.fixture
def clock_calls(monkeypatch):
    """Spy on clocks.services (calls go through to the real functions)."""
    from clocks import services as clock_services

    calls = []
    real_start, real_stop = clock_services.clock_start, clock_services.clock_stop_for

    def start(**kwargs):
        calls.append(("start", kwargs["rule_code"], kwargs["obj"].pk))
        return real_start(**kwargs)

    def stop(**kwargs):
        calls.append(("stop", kwargs["rule_code"], kwargs["obj"].pk, kwargs.get("outcome", "met")))
        return real_stop(**kwargs)

    monkeypatch.setattr(clock_services, "clock_start", start)
    monkeypatch.setattr(clock_services, "clock_stop_for", stop)
    return calls


@pytest.fixture
def people(make_user):
    return {"dispatcher": make_user(Role.DISPATCHER), "leader": make_user(Role.LEADER),
            "sector_lead": make_user(Role.SECTOR_LEAD), "post_holder": make_user(Role.POST_HOLDER)}


def request(org, people, *, slot="primary", to=None, reason="轮岗交流"):
    return services.handover_request(position=org.position, slot=slot, to_staff=to or org.c, reason=reason,
                                     notes="在办事项清单", actor=people["dispatcher"])


def position(org):
    return Position.objects.get(pk=org.position.pk)


@pytest.mark.django_db
class TestHappyPath:
    def test_request_confirm_complete(self, org, people, clock_calls):
        handover = request(org, people)
        assert handover.status == HandoverStatus.REQUESTED and handover.from_staff == org.a
        assert position(org).status == PositionStatus.HANDING_OVER
        assert clock_calls == [("start", CLOCK_RULE, handover.pk)]
        assert AuditEntry.objects.filter(action="org.handover.create", object_id=str(handover.pk)).exists()
        assert AuditEntry.objects.filter(action="org.handover.request", object_id=str(handover.pk)).exists()

        assert [t.action for t in HANDOVER.available(handover, people["leader"])] == ["confirm", "reject", "cancel"]
        assert [t.action for t in HANDOVER.available(handover, people["dispatcher"])] == ["cancel"]

        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.CONFIRMED and position(org).primary_holder == org.a

        services.handover_fire(handover=handover, action="complete", actor=people["dispatcher"])
        handover.refresh_from_db()
        p = position(org)
        assert handover.status == HandoverStatus.COMPLETED
        assert p.primary_holder == org.c and p.backup_holder == org.b and p.status == PositionStatus.STAFFED
        assert clock_calls[-1] == ("stop", CLOCK_RULE, handover.pk, "met")
        holders = AuditEntry.objects.filter(action="org.position_holders", object_id=str(org.position.pk))
        assert holders.count() == 2  # 交接中, then the new holder
        last = holders.order_by("-seq").first()
        assert last.before["primary_holder_id"] == org.a.pk and last.after["primary_holder_id"] == org.c.pk

    def test_completion_renders_the_numbered_handover_form(self, org, people, clock_calls):
        import zipfile

        from core.crypto import sm3_file
        from instruments.selectors import instruments_by_record

        handover = request(org, people)
        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        found = instruments_by_record(town_id=handover.town_id, model=PositionHandover, object_ids=[handover.pk])
        assert found == {}  # nothing before completion
        services.handover_fire(handover=handover, action="complete", actor=people["dispatcher"])
        [form] = instruments_by_record(town_id=handover.town_id, model=PositionHandover,
                                       object_ids=[handover.pk])[str(handover.pk)]
        assert form.kind.code == "post_handover" and "岗交" in form.number and "〔" in form.number
        with form.file.open("rb") as fh:
            assert sm3_file(fh) == form.sm3
        with zipfile.ZipFile(form.file.path) as docx:
            xml = docx.read("word/document.xml").decode("utf-8")
        assert org.position.name in xml and org.c.name in xml and org.a.name in xml
        entry = AuditEntry.objects.get(action="instruments.render", object_id=str(handover.pk))
        assert entry.files[0]["sm3"] == form.sm3

    def test_vacant_slot_is_filled_by_a_handover(self, org, people, clock_calls):
        vacant = services.position_create(sector=org.sector, actor=None, code="petition", name="信访岗")
        handover = services.handover_request(position=vacant, slot="primary", to_staff=org.c, reason="新设岗位配人",
                                             actor=people["leader"])
        assert handover.from_staff is None
        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        services.handover_fire(handover=handover, action="complete", actor=people["leader"])
        vacant.refresh_from_db()
        assert vacant.primary_holder == org.c and vacant.status == PositionStatus.STAFFED

    def test_backup_slot(self, org, people, clock_calls):
        handover = request(org, people, slot="backup")
        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        services.handover_fire(handover=handover, action="complete", actor=people["sector_lead"])
        p = position(org)
        assert p.backup_holder == org.c and p.primary_holder == org.a

    @pytest.mark.parametrize("action,actor,status", [("reject", "leader", HandoverStatus.REJECTED),
                                                     ("cancel", "dispatcher", HandoverStatus.CANCELLED)])
    def test_reject_or_cancel_needs_a_reason_and_stops_the_clock(self, org, people, clock_calls, action, actor,
                                                                  status):
        handover = request(org, people)
        with pytest.raises(TransitionError) as exc:
            services.handover_fire(handover=handover, action=action, actor=people[actor], reason="  ")
        assert exc.value.field == "reason"
        services.handover_fire(handover=handover, action=action, actor=people[actor], reason="人员另有安排")
        handover.refresh_from_db()
        assert handover.status == status
        p = position(org)
        assert p.status == PositionStatus.STAFFED and p.primary_holder == org.a
        assert clock_calls[-1] == ("stop", CLOCK_RULE, handover.pk, "stopped")
        entry = AuditEntry.objects.get(action=f"org.handover.{action}", object_id=str(handover.pk))
        assert entry.reason == "人员另有安排"
        # the slot is free again
        request(org, people)


@pytest.mark.django_db
class TestIllegalMoves:
    def test_complete_before_confirm(self, org, people, clock_calls):
        handover = request(org, people)
        with pytest.raises(TransitionError) as exc:
            services.handover_fire(handover=handover, action="complete", actor=people["leader"])
        assert "已申请" in str(exc.value.message)
        assert position(org).primary_holder == org.a

    def test_nothing_after_completion(self, org, people, clock_calls):
        handover = request(org, people)
        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        services.handover_fire(handover=handover, action="complete", actor=people["leader"])
        for action in ("confirm", "complete", "reject", "cancel"):
            with pytest.raises(TransitionError):
                services.handover_fire(handover=handover, action=action, actor=people["leader"], reason="x")

    def test_request_cannot_be_fired_again(self, org, people, clock_calls):
        handover = request(org, people)
        with pytest.raises(TransitionError):
            services.handover_fire(handover=handover, action="request", actor=people["leader"])
        with pytest.raises(TransitionError):
            services.handover_fire(handover=handover, action="approve", actor=people["leader"])

    def test_only_the_leader_confirms(self, org, people, clock_calls):
        handover = request(org, people)
        for who in ("dispatcher", "sector_lead"):
            with pytest.raises(PermissionDenied):
                services.handover_fire(handover=handover, action="confirm", actor=people[who])
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.REQUESTED

    def test_post_holder_cannot_request(self, org, people, clock_calls):
        with pytest.raises(PermissionDenied):
            services.handover_request(position=org.position, slot="primary", to_staff=org.c, reason="x",
                                      actor=people["post_holder"])
        assert not PositionHandover.objects.exists()

    def test_stale_handover_is_a_conflict(self, org, people, clock_calls):
        handover = request(org, people)
        stale = PositionHandover.objects.get(pk=handover.pk)
        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        with pytest.raises(DomainError) as exc:
            services.handover_fire(handover=stale, action="cancel", actor=people["leader"], reason="x")
        assert exc.value.status_code == 409


@pytest.mark.django_db
class TestGuards:
    def test_successor_from_another_town(self, org, people, other_town, clock_calls):
        with pytest.raises(DomainError) as exc:
            request(org, people, to=f.StaffFactory(town=other_town))
        assert exc.value.rule == "org.handover.to_staff_town"
        assert not PositionHandover.objects.exists() and position(org).status == PositionStatus.STAFFED
        assert clock_calls == []

    def test_successor_not_in_post(self, org, people, clock_calls):
        services.staff_deactivate(staff=org.c, actor=None, reason="离职")
        with pytest.raises(DomainError) as exc:
            request(org, people)
        assert exc.value.rule == "org.handover.to_staff_active"

    def test_successor_already_holds_the_slot_or_the_other(self, org, people, clock_calls):
        with pytest.raises(DomainError) as exc:
            request(org, people, to=org.a)
        assert exc.value.rule == "org.handover.to_staff_is_holder"
        with pytest.raises(DomainError) as exc:
            request(org, people, to=org.b)
        assert exc.value.rule == "org.position.ab_distinct"

    def test_one_open_handover_per_slot(self, org, people, clock_calls):
        request(org, people)
        extra = services.staff_create(town=org.town, actor=None, code="S4", name="戊某")
        with pytest.raises(DomainError) as exc:
            request(org, people, to=extra)
        assert exc.value.rule == "org.handover.one_open"
        request(org, people, slot="backup", to=extra)  # the other slot is independent
        assert PositionHandover.objects.filter(status=HandoverStatus.REQUESTED).count() == 2

    def test_database_enforces_one_open_handover(self, org, people, clock_calls):
        f.PositionHandoverFactory(position=org.position, to_staff=org.c)
        with pytest.raises(IntegrityError), transaction.atomic():
            f.PositionHandoverFactory(position=org.position, to_staff=org.c)
        f.PositionHandoverFactory(position=org.position, to_staff=org.c, status=HandoverStatus.COMPLETED)

    def test_holder_changed_during_the_handover(self, org, people, clock_calls):
        handover = request(org, people)
        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        services.staff_deactivate(staff=org.a, actor=None, reason="调离")  # the A slot is vacated meanwhile
        with pytest.raises(DomainError) as exc:
            services.handover_fire(handover=handover, action="complete", actor=people["leader"])
        assert exc.value.rule == "org.handover.from_changed"
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.CONFIRMED

    def test_successor_leaves_before_completion(self, org, people, clock_calls):
        handover = request(org, people)
        services.handover_fire(handover=handover, action="confirm", actor=people["leader"])
        services.staff_deactivate(staff=org.c, actor=None, reason="离职")
        with pytest.raises(DomainError) as exc:
            services.handover_fire(handover=handover, action="complete", actor=people["leader"])
        assert exc.value.rule == "org.handover.to_staff_active"

    def test_inactive_post(self, org, people, clock_calls):
        services.position_deactivate(position=org.position, actor=None)
        with pytest.raises(DomainError):
            request(org, people)

    def test_position_with_open_handover_cannot_be_deactivated(self, org, people, clock_calls):
        request(org, people)
        with pytest.raises(DomainError) as exc:
            services.position_deactivate(position=org.position, actor=None)
        assert exc.value.rule == "org.position.open_handover"

    def test_missing_reason(self, org, people, clock_calls):
        with pytest.raises(DomainError) as exc:
            request(org, people, reason="")
        assert exc.value.field == "reason"


@pytest.mark.django_db
def test_real_clock_is_started_and_met(org, make_user):
    """Against the clocks app itself: the clock of org.handover.complete exists and ends as met."""
    from django.contrib.contenttypes.models import ContentType

    from clocks.models import Clock

    leader = make_user(Role.LEADER)
    handover = services.handover_request(position=org.position, slot="primary", to_staff=org.c, reason="轮岗",
                                         actor=leader)
    ct = ContentType.objects.get_for_model(PositionHandover)
    clock = Clock.objects.get(content_type=ct, object_id=handover.pk, rule_code=CLOCK_RULE)
    assert clock.is_open
    services.handover_fire(handover=handover, action="confirm", actor=leader)
    services.handover_fire(handover=handover, action="complete", actor=leader)
    clock.refresh_from_db()
    assert clock.status == "met"
