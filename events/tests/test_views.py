import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from events import services
from events.models import Event, EventStatus
from events.tests.conftest import png

pytestmark = pytest.mark.django_db


def _many_events(world, n=25):
    for i in range(n):
        e = services.event_report(town=world.town, category=world.category, title=f"事件{i}", description="描述",
                                  channel="grid_worker", actor=world.grid_worker, lat=30.05, lng=108.05,
                                  urgent=i % 7 == 0, photos=[png()] if i % 5 == 0 else ())
        if i % 3 == 0:
            services.event_transition(event=e, action="dispatch", actor=world.dispatcher,
                                      data={"sector": world.sector, "position": world.position})
        if i % 6 == 0:
            services.event_transition(event=e, action="resolve", actor=world.holder, data={"result": "已处理"})


@pytest.mark.parametrize("name,who", [
    ("events:board", "dispatcher"), ("events:list", "dispatcher"), ("events:stats", "leader"),
    ("events:map", "dispatcher"), ("events:my_tasks", "holder"), ("events:my_grid", "grid_worker"),
    ("events:report", "grid_worker"), ("events:hazards", "dispatcher"), ("events:operations", "dispatcher"),
    ("events:campaigns", "dispatcher"), ("events:categories", "dispatcher"), ("events:rules", "dispatcher"),
])
def test_pages_within_ten_queries(world, client, name, who, django_assert_max_num_queries):
    _many_events(world)
    client.force_login(getattr(world, who))
    client.get(reverse("core:home"))  # the session write happens once a minute, not on every page
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_detail_within_ten_queries_for_each_actor(world, client, django_assert_max_num_queries):
    _many_events(world, 4)
    event = Event.objects.filter(status=EventStatus.DISPATCHED).first()
    for user in (world.dispatcher, world.holder, world.leader, world.grid_worker):
        client.force_login(user)
        client.get(reverse("core:home"))
        with django_assert_max_num_queries(10):
            response = client.get(reverse("events:detail", args=[event.pk]))
        assert response.status_code == 200
    reported = Event.objects.filter(status=EventStatus.REPORTED).first()
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("events:detail", args=[reported.pk])).status_code == 200


def test_board_htmx_partial(world, client):
    _many_events(world, 3)
    client.force_login(world.dispatcher)
    response = client.get(reverse("events:board"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content and b"queue-intake" in response.content


def test_report_form_bad_input_and_double_submit(world, client):
    client.force_login(world.grid_worker)
    url = reverse("events:report")
    page = client.get(url)
    assert 'capture="environment"' in page.content.decode()
    before = AuditEntry.objects.count()
    response = client.post(url, {"title": "路灯坏了", "description": "三盏路灯不亮", "token": "t1"})
    assert response.status_code == 200 and "请选择事件分类" in response.content.decode()
    response = client.post(url, {"category": world.category.pk, "title": "路灯坏了", "description": "三盏不亮",
                                 "token": "t1", "photos": [SimpleUploadedFile("a.txt", b"hello")]})
    assert "不是图片文件" in response.content.decode()
    response = client.post(url, {"category": world.category.pk, "title": "路灯坏了", "description": "三盏不亮",
                                 "token": "t1", "lat": "35.0", "lng": "100.0"})
    assert "不在" in response.content.decode()
    assert Event.objects.count() == 0 and AuditEntry.objects.count() == before
    data = {"category": world.category.pk, "title": "路灯坏了", "description": "三盏不亮", "token": "t1",
            "lat": "30.05", "lng": "108.05", "photos": [png()]}
    response = client.post(url, data)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("events:detail", args=[event.pk])
    assert event.grid == world.grid and event.photos.count() == 1
    data["photos"] = [png()]
    response = client.post(url, data, follow=True)
    assert Event.objects.count() == 1 and "请勿重复提交" in response.content.decode()


def test_act_flow_through_views(world, client):
    event = services.event_report(town=world.town, category=world.category, title="井盖缺失", description="危险",
                                  channel="grid_worker", actor=world.grid_worker)
    client.force_login(world.dispatcher)
    detail = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'data-testid="act-dispatch"' in detail and "按规则建议" in detail
    client.post(reverse("events:act", args=[event.pk]), {"action": "dispatch", "position": world.position.pk})
    event.refresh_from_db()
    assert event.status == EventStatus.DISPATCHED and event.position == world.position
    client.force_login(world.holder)
    assert event.title in client.get(reverse("events:my_tasks")).content.decode()
    response = client.post(reverse("events:act", args=[event.pk]), {"action": "resolve", "result": ""}, follow=True)
    assert "请填写处置结果" in response.content.decode()
    client.post(reverse("events:act", args=[event.pk]), {"action": "resolve", "result": "已加盖"})
    event.refresh_from_db()
    assert event.status == EventStatus.RESOLVED
    client.force_login(world.backup)  # not in charge any more; cannot act on it
    assert client.post(reverse("events:act", args=[event.pk]), {"action": "verify"}).status_code == 403


def test_export_is_audited_and_masks_nothing_it_should_not_show(world, client):
    services.event_report(town=world.town, category=world.category, title="井盖缺失", description="危险",
                          channel="grid_worker", actor=world.grid_worker, reporter_phone="13800001111")
    client.force_login(world.dispatcher)
    response = client.get(reverse("events:list") + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEntry.objects.filter(action="events.event.export").exists()


def test_contact_reveal_is_audited(world, client):
    event = services.event_report(town=world.town, category=world.category, title="噪音", description="夜间施工",
                                  channel="hotline", actor=world.dispatcher, reporter_name="王小明",
                                  reporter_phone="13800001111")
    client.force_login(world.dispatcher)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "13800001111" not in page and "138****1111" in page
    page = client.post(reverse("events:contact", args=[event.pk]), follow=True).content.decode()
    assert "13800001111" in page
    assert AuditEntry.objects.filter(action="events.event.contact_read", object_id=str(event.pk)).exists()


def test_grid_worker_sees_only_own_grid(world, client):
    services.event_report(town=world.town, category=world.category, title="第一网格事件", description="x",
                          channel="centre", actor=world.dispatcher, lat=30.05, lng=108.05)
    services.event_report(town=world.town, category=world.category, title="第二网格事件", description="x",
                          channel="centre", actor=world.dispatcher, lat=30.05, lng=108.15)
    client.force_login(world.grid_worker)
    page = client.get(reverse("events:my_grid")).content.decode()
    assert "第一网格事件" in page and "第二网格事件" not in page
    other = Event.objects.get(title="第二网格事件")
    assert client.get(reverse("events:detail", args=[other.pk])).status_code == 404


def test_hazard_flow_with_photos(world, client):
    client.force_login(world.dispatcher)
    response = client.post(reverse("events:hazard_create"), {"title": "急弯无警示", "kind": "road",
                                                              "description": "K3+200 急弯", "photos": [png()]})
    from events.models import Hazard

    hazard = Hazard.objects.get()
    assert response.status_code == 302 and hazard.photos.count() == 1
    url = reverse("events:hazard_act", args=[hazard.pk])
    response = client.post(url, {"action": "order"}, follow=True)
    assert "请填写整改期限" in response.content.decode()
    client.post(url, {"action": "order", "deadline": "2099-01-01", "responsible": "交通办"})
    client.post(url, {"action": "start"})
    response = client.post(url, {"action": "rectified"}, follow=True)
    assert "请上传整改后照片" in response.content.decode()
    client.post(url, {"action": "rectified", "photos": [png("after.png")]})
    client.post(url, {"action": "verify"})
    hazard.refresh_from_db()
    assert hazard.status == "verified" and hazard.photos.filter(stage="after").count() == 1


def test_attachments_and_duplicate_merge(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile as F

    client.force_login(world.grid_worker)
    url = reverse("events:report")
    base = {"category": world.category.pk, "title": "群众来信", "description": "附村民联名信"}
    page = client.post(url, {**base, "token": "a1", "attachments": [F("letter.pdf", b"MZ not a pdf")]})
    assert "类型不受支持" in page.content.decode() and not Event.objects.exists()
    client.post(url, {**base, "token": "a2", "attachments": [F("letter.pdf", b"%PDF-1.4 fake body")]})
    event = Event.objects.get()
    att = event.attachments.get()
    entry = AuditEntry.objects.get(action="events.event.report", object_id=str(event.pk))
    assert entry.files[0]["sm3"] == att.sm3
    client.force_login(world.dispatcher)
    assert client.get(reverse("events:attachment", args=[att.pk]))["Content-Disposition"].startswith("attachment")
    dup = services.event_report(town=world.town, category=world.category, title="同一问题", description="又报一次",
                                channel="portal", actor=None)
    response = client.post(reverse("events:merge", args=[dup.pk]), {"into": "NOSUCHCODE"}, follow=True)
    assert "另一件事件" in response.content.decode()
    client.post(reverse("events:merge", args=[dup.pk]), {"into": event.tracking_code.lower()})
    dup.refresh_from_db()
    assert dup.status == EventStatus.REJECTED and dup.duplicate_of == event
    from events.selectors import public_projection

    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    proj = public_projection(Event.objects.select_related("town", "category", "grid").get(pk=dup.pk))
    assert proj["merged"] and proj["status_label"] == "办理中" and not proj["can_rate"]


def test_hazard_from_event(world, client):
    event = services.event_report(town=world.town, category=world.category, title="护栏缺失", description="临水路段",
                                  channel="centre", actor=world.dispatcher, lat=30.05, lng=108.05)
    client.force_login(world.dispatcher)
    page = client.get(reverse("events:hazard_create") + f"?event={event.pk}").content.decode()
    assert "护栏缺失" in page
    client.post(reverse("events:hazard_create"), {"event": event.pk, "title": "护栏缺失", "kind": "road",
                                                  "description": "临水路段", "grid": world.grid.pk})
    from events.models import Hazard

    assert Hazard.objects.get().event == event


def test_cohandler_through_views(world, client, make_user, django_assert_max_num_queries):
    from access.roles import Role
    from org.tests import factories as f

    co_user = make_user(Role.POST_HOLDER)
    co_post = f.PositionFactory(sector=world.sector, code="water", name="水利岗",
                                primary_holder=f.StaffFactory(town=world.town, user=co_user))
    event = services.event_report(town=world.town, category=world.category, title="沟渠堵塞", description="x",
                                  channel="centre", actor=world.dispatcher)
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    client.force_login(world.dispatcher)
    client.post(reverse("events:cohandler", args=[event.pk]), {"position": co_post.pk})
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'data-testid="cohandlers"' in page and "水利岗" in page
    client.force_login(co_user)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "记录办理过程" in page and 'data-testid="act-resolve"' not in page
    client.post(reverse("events:note", args=[event.pk]), {"text": "已配合疏通"})
    assert event.notes.get().author == co_user


def test_centre_registers_an_enterprise_appeal(world, client, make_user, django_capture_on_commit_callbacks):
    from access.roles import Role
    from notify.models import Notification
    from org.tests import factories as f

    cadre_user = make_user(Role.POST_HOLDER)
    ent = f.EnterpriseFactory(town=world.town, name="溪口机械", liaison=f.StaffFactory(town=world.town,
                                                                                   user=cadre_user))
    client.force_login(world.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:report"), {"category": world.category.pk, "title": "用电增容", "description": "慢",
                                               "channel": "hotline", "enterprise": ent.pk, "token": "e1"})
    event = Event.objects.get()
    assert event.channel == "enterprise" and event.enterprise == ent
    assert Notification.objects.filter(recipient=cadre_user).exists()


def test_campaign_and_screening_exports(world, client):
    import datetime as dt

    from django.utils import timezone

    client.force_login(world.dispatcher)
    campaign = services.campaign_create(town=world.town, actor=world.dispatcher, code="road", name="道路整治",
                                        start_date=timezone.localdate(),
                                        end_date=timezone.localdate() + dt.timedelta(days=30))
    plan = services.screening_plan_create(town=world.town, month=timezone.localdate(), title="月度排查",
                                          campaign=campaign, actor=world.dispatcher)
    assert plan.tasks.count() == 2  # one per grid
    for url in (reverse("events:campaigns"), reverse("events:plan_detail", args=[plan.pk])):
        response = client.get(url + "?export=xlsx")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEntry.objects.filter(action__in=["events.campaign.export", "events.screening_plan.export"]).count() == 2
    client.force_login(world.grid_worker)
    task = plan.tasks.get(grid=world.grid)
    client.post(reverse("events:task_complete", args=[task.pk]), {"places_checked": "12", "issues_found": "1"})
    task.refresh_from_db()
    assert task.done and task.done_by == world.grid_worker
    response = client.post(reverse("events:task_complete", args=[task.pk]), {}, follow=True)
    assert "已完成" in response.content.decode()


def test_accept_can_flag_and_unflag_urgent(world, client, django_capture_on_commit_callbacks):
    from notify.models import Notification

    event = services.event_report(town=world.town, category=world.category, title="山体裂缝", description="x",
                                  channel="centre", actor=world.dispatcher)
    client.force_login(world.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:act", args=[event.pk]), {"action": "accept", "urgent_shown": "1",
                                                             "urgent": "on", "priority": "high"})
    event.refresh_from_db()
    assert event.urgent and event.priority == "high"
    assert Notification.objects.filter(recipient=world.leader, level="danger").exists()
    other = services.event_report(town=world.town, category=world.category, title="误报紧急", description="x",
                                  channel="centre", actor=world.dispatcher, urgent=True)
    client.post(reverse("events:act", args=[other.pk]), {"action": "accept", "urgent_shown": "1"})
    other.refresh_from_db()
    assert not other.urgent


def test_other_pages_within_ten_queries(world, client, django_assert_max_num_queries):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    campaign = services.campaign_create(town=world.town, actor=world.dispatcher, code="road", name="道路整治",
                                        start_date=today, end_date=today + dt.timedelta(days=30))
    plan = services.screening_plan_create(town=world.town, month=today, title="排查", campaign=campaign,
                                          actor=world.dispatcher)
    op = services.operation_record(town=world.town, actor=world.dispatcher, date=today, title="联合执法",
                                   units="交巡警\n执法大队", campaign=campaign)
    hazard = services.hazard_report(town=world.town, title="急弯", description="x", actor=world.dispatcher,
                                    campaign=campaign, operation=op, photos=[png()])
    services.grid_task_type_save(town=world.town, actor=world.dispatcher, code="road", name="道路排查")
    services.apikey_create(town=world.town, name="热线", actor=world.dispatcher)
    client.force_login(world.dispatcher)
    client.get(reverse("core:home"))
    for url in (reverse("events:campaign_detail", args=[campaign.pk]), reverse("events:plan_detail", args=[plan.pk]),
                reverse("events:hazard_detail", args=[hazard.pk]), reverse("events:operation_detail", args=[op.pk]),
                reverse("events:task_types"), reverse("events:api_keys"), reverse("events:hazard_create"),
                reverse("events:operation_create"), reverse("events:map_data")):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url
    client.logout()
    event = services.event_report(town=world.town, category=world.category, title="垃圾", description="x",
                                  channel="portal", actor=None)
    for url in (reverse("portal:town_home", args=[world.town.code]), reverse("portal:report", args=[world.town.code]),
                reverse("portal:track_detail", args=[event.tracking_code]), reverse("portal:track")):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url


def test_event_page_offers_a_dispute_lead(client, world):
    """A dispute found through a grid event becomes a 矛盾纠纷线索 in one click (the lead form is prefilled)."""
    _many_events(world, 1)
    event = Event.objects.get(town=world.town)
    client.force_login(world.dispatcher)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert f"/disputes/leads/new/?event={event.tracking_code}" in page
    assert f"/enforcement/cases/new/?event={event.pk}" in page  # the centre may register an enforcement lead
