import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from core.errors import DomainError, TransitionError
from events import selectors, services
from events.files import MAX_PHOTO_BYTES
from events.models import Dispatch, DispatchStatus, Event, EventStatus, Level
from events.tests.conftest import png

pytestmark = pytest.mark.django_db


def report(world, **kw):
    defaults = dict(town=world.town, category=world.category, title="路面塌陷", description="村道路面塌陷约2平方米",
                    channel="grid_worker", actor=world.grid_worker, lat=30.05, lng=108.05,
                    reporter_name="王五", reporter_phone="13800001111")
    defaults.update(kw)
    return services.event_report(**defaults)


def test_full_flow_is_audited_with_photo_digests(world):
    event = report(world, photos=[png()])
    assert event.grid == world.grid and event.village == world.village  # located by the boundary
    assert event.level == Level.GRID and event.status == EventStatus.REPORTED
    assert event.due_at is not None and len(event.tracking_code) == 10
    entry = AuditEntry.objects.get(action="events.event.report", object_id=str(event.pk))
    assert entry.files[0]["sm3"] == event.photos.get().sm3 and len(entry.files[0]["sm3"]) == 64

    services.event_transition(event=event, action="accept", actor=world.dispatcher)
    rule = services.suggest_route(event)
    assert rule.position == world.position  # inherited from the parent category
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    dispatch = Dispatch.objects.get(event=event)
    assert dispatch.holder == world.staff_a and dispatch.suggested
    event.refresh_from_db()
    assert event.level == Level.TOWN and event.due_handle_at is not None

    with pytest.raises(PermissionDenied):  # a post holder of another post may not act
        other = world.backup  # B holder may act (A present) — allowed by holding the post
        services.event_transition(event=event, action="start", actor=world.grid_worker)
    services.event_transition(event=event, action="start", actor=other)
    with pytest.raises(DomainError):
        services.event_transition(event=event, action="resolve", actor=world.holder, data={"result": ""})
    services.event_transition(event=event, action="resolve", actor=world.holder, data={"result": "已回填修复"},
                              photos=[png("after.png")])
    event.refresh_from_db()
    assert event.settlement_level == Level.TOWN and event.resolved_at
    services.event_transition(event=event, action="verify", actor=world.dispatcher)
    services.event_transition(event=event, action="close", actor=world.dispatcher)
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED and event.on_time
    actions = [e.action for e in selectors.timeline(event)]
    assert actions == ["events.event.report", "events.event.accept", "events.event.dispatch",
                       "events.dispatch.create", "events.event.start", "events.event.resolve",
                       "events.event.photos", "events.event.verify", "events.event.close"]


def test_poor_rating_reopens_and_good_rating_does_not(world):
    event = report(world, settle_result="现场清理完毕")
    assert event.status == EventStatus.RESOLVED and event.settlement_level == Level.GRID
    with pytest.raises(DomainError):
        services.event_rate(event=event, rating=5)  # not verified yet
    services.event_transition(event=event, action="verify", actor=world.dispatcher)
    services.event_transition(event=event, action="close", actor=world.dispatcher)
    services.event_rate(event=event, rating=1, comment="没修好")
    event.refresh_from_db()
    assert event.status == EventStatus.REOPENED and event.reopen_count == 1 and event.rating == 1
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    services.event_transition(event=event, action="resolve", actor=world.holder, data={"result": "重新修复"})
    services.event_transition(event=event, action="verify", actor=world.dispatcher)
    services.event_rate(event=event, rating=5)
    with pytest.raises(DomainError):
        services.event_rate(event=event, rating=4)  # once per outcome
    event.refresh_from_db()
    assert event.status == EventStatus.VERIFIED and event.rating == 5


def test_spot_settlement_only_for_settleable_categories(world):
    with pytest.raises(DomainError) as exc:
        report(world, category=world.other_category, settle_result="劝解")
    assert exc.value.rule == "events.guard.spot_settleable"
    assert not Event.objects.exists()


@pytest.mark.parametrize("kwargs,rule", [
    ({"category": None}, "events.guard.category"),
    ({"lat": 31.5, "lng": 109.0}, "events.guard.location"),
    ({"photos": [SimpleUploadedFile("x.png", b"not an image", content_type="image/png")]}, "events.guard.photo_type"),
    ({"photos": [SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * MAX_PHOTO_BYTES)]}, "events.guard.photo_size"),
    ({"reporter_phone": "abc"}, "events.guard.phone"),
])
def test_bad_input_is_refused_and_nothing_written(world, kwargs, rule):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        report(world, **kwargs)
    assert exc.value.rule == rule
    assert Event.objects.count() == 0 and AuditEntry.objects.count() == before


def test_double_submit_saves_once(world):
    first = report(world, client_key="k1")
    with pytest.raises(services.DuplicateSubmission) as exc:
        report(world, client_key="k1")
    assert exc.value.event == first and Event.objects.count() == 1


def test_return_redispatch_transfer_and_answer(world):
    event = report(world)
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    with pytest.raises(TransitionError):
        services.event_transition(event=event, action="return", actor=world.holder)  # reason required
    services.event_transition(event=event, action="return", actor=world.holder, reason="不属本岗位职责")
    assert Dispatch.objects.get(event=event).status == DispatchStatus.RETURNED
    services.event_transition(event=event, action="transfer", actor=world.dispatcher, reason="涉及区级道路",
                              data={"department": "区交通运输委"})
    event.refresh_from_db()
    assert event.status == EventStatus.ESCALATED and event.level == Level.DISTRICT
    services.event_transition(event=event, action="answer", actor=world.dispatcher, data={"result": "区里已修复"})
    event.refresh_from_db()
    assert event.settlement_level == Level.DISTRICT
    assert event.escalations.get().answer == "区里已修复"


def test_urgent_notifies_leaders_and_supervision(world, django_capture_on_commit_callbacks):
    from notify.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        event = report(world, urgent=True)
    assert Notification.objects.filter(recipient=world.leader, level="danger").exists()
    assert event.level == Level.TOWN
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    with pytest.raises(PermissionDenied):
        services.event_supervise(event=event, instruction="限期办结", actor=world.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_supervise(event=event, instruction="今日办结", actor=world.leader)
    assert Notification.objects.filter(recipient=world.holder, title__startswith="督办").exists()


def test_escalation_ladder_within_town(world):
    event = report(world, category=world.other_category)
    services.event_escalate(event=event, to_level="village", reason="需村两委调处", actor=world.grid_worker)
    event.refresh_from_db()
    assert event.level == Level.VILLAGE
    with pytest.raises(DomainError):
        services.event_escalate(event=event, to_level="village", reason="再报", actor=world.grid_worker)
    services.event_transition(event=event, action="settle", actor=world.grid_worker,
                              data={"result": "村调委会调解成功"})
    event.refresh_from_db()
    assert event.settlement_level == Level.VILLAGE


def test_board_orders_urgent_then_overdue(world):
    import datetime as dt

    from django.utils import timezone

    old = report(world, title="旧事件")
    Event.objects.filter(pk=old.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    report(world, title="普通事件")
    urgent = report(world, title="紧急事件", urgent=True)
    data = selectors.board(world.dispatcher)
    intake = data["queues"][0]
    assert [e.title for e in intake["events"]] == ["紧急事件", "旧事件", "普通事件"]
    assert intake["total"] == 3 and intake["urgent"] == 1 and intake["overdue"] == 1
    assert data["alarms"][0].pk == urgent.pk


def test_scrub_masks_personal_data():
    text = "联系人电话13812345678，身份证500101199001011234，座机023-58123456"
    out = selectors.scrub(text)
    assert "13812345678" not in out and "500101199001011234" not in out and "58123456" not in out
    assert "138****5678" in out


def test_overdue_recorded_once_and_grid_timer_escalates(world, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from events.tasks import scan_overdue
    from notify.models import Notification

    event = report(world)  # a grid worker's report waits at grid level
    later = timezone.now() + dt.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        # past the acknowledge time but within the category's grid timer (24 h): recorded, not moved up
        assert services.scan_overdue(now=later) == {"overdue": 1, "escalated": 0, "reminders": 0, "hazards": 0}
    assert services.scan_overdue(now=later)["overdue"] == 0  # once per crossing
    event.refresh_from_db()
    assert event.level == Level.GRID and event.overdue_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.scan_overdue(now=timezone.now() + dt.timedelta(hours=25))["escalated"] == 1
        assert services.scan_overdue(now=timezone.now() + dt.timedelta(hours=25 + 49))["escalated"] == 1
    event.refresh_from_db()
    assert event.level == Level.TOWN and event.escalate_at is None
    assert AuditEntry.objects.filter(action="events.event.overdue", object_id=str(event.pk)).count() == 1
    assert Notification.objects.filter(recipient=world.dispatcher, title__startswith="事件超时").exists()
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    with django_capture_on_commit_callbacks(execute=True):
        result = services.scan_overdue(now=timezone.now() + dt.timedelta(days=5))
    assert result["overdue"] == 1
    assert Notification.objects.filter(recipient=world.holder, title__startswith="事件超时").exists()
    assert scan_overdue.enqueue().return_value == {"overdue": 0, "escalated": 0, "reminders": 0, "hazards": 0}


def test_hazard_deadline_passed_is_recorded_once(world):
    import datetime as dt

    from django.utils import timezone

    hazard = services.hazard_report(town=world.town, title="护栏缺失", description="临水", actor=world.dispatcher,
                                    found_on=timezone.localdate() - dt.timedelta(days=20))
    services.hazard_transition(hazard=hazard, action="order", actor=world.dispatcher,
                               data={"deadline": timezone.localdate() - dt.timedelta(days=1)})
    assert services.scan_overdue()["hazards"] == 1
    assert services.scan_overdue()["hazards"] == 0
    assert AuditEntry.objects.filter(action="events.hazard.overdue").count() == 1


def test_cohandling_post_records_its_part_but_the_lead_resolves(world, make_user):
    from access.roles import Role
    from org.tests import factories as f

    other_user = make_user(Role.POST_HOLDER)
    other_post = f.PositionFactory(sector=world.sector, code="waterway", name="水利岗",
                                   primary_holder=f.StaffFactory(town=world.town, user=other_user))
    event = report(world)
    with pytest.raises(DomainError):
        services.event_add_cohandler(event=event, position=other_post, actor=world.dispatcher)  # not dispatched
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    services.event_add_cohandler(event=event, position=other_post, actor=world.dispatcher, note="配合清淤")
    with pytest.raises(DomainError):
        services.event_add_cohandler(event=event, position=other_post, actor=world.dispatcher)
    assert event in selectors.my_tasks(other_user)
    services.event_add_note(event=event, text="已派人配合清淤", actor=other_user)
    with pytest.raises(PermissionDenied):
        services.event_transition(event=event, action="resolve", actor=other_user, data={"result": "x"})
    services.event_transition(event=event, action="resolve", actor=world.holder, data={"result": "已处理"})
    assert not selectors.cohandlers(event).exists()  # every dispatch done with the event


def test_statistics_figures(world):
    import datetime as dt

    from django.utils import timezone

    on_time = report(world, title="按时")
    services.event_transition(event=on_time, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    services.event_transition(event=on_time, action="resolve", actor=world.holder, data={"result": "好"})
    late = report(world, title="超时")
    services.event_transition(event=late, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    Event.objects.filter(pk=late.pk).update(due_handle_at=timezone.now() - dt.timedelta(hours=1),
                                            due_at=timezone.now() - dt.timedelta(hours=1))
    late.refresh_from_db()
    services.event_transition(event=late, action="resolve", actor=world.holder, data={"result": "迟"})
    spot = report(world, title="就地", settle_result="现场处理")
    for e in (on_time, late, spot):
        services.event_transition(event=e, action="verify", actor=world.dispatcher)
        services.event_transition(event=e, action="close", actor=world.dispatcher)
    services.event_rate(event=on_time, rating=5)
    services.event_rate(event=spot, rating=4)
    report(world, title="待受理")
    stats = selectors.statistics(world.leader)
    assert stats["total"] == 4 and stats["open"] == 1 and stats["closed"] == 3
    assert stats["on_time_rate"] == 50.0  # the spot settlement was never dispatched: not judged
    assert stats["satisfaction"] == 4.5 and stats["rated"] == 2
    levels = {r["code"]: r["n"] for r in stats["by_level"]}
    assert levels["grid"] == 1 and levels["town"] == 2 and stats["not_up_rate"] == 100.0
    assert {r["name"]: r["n"] for r in stats["by_grid"]}[world.grid.name] == 4
