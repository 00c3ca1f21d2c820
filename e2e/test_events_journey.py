"""Journey at phone width: a grid worker reports with a photo → the centre dispatches → the post holder
resolves → the centre verifies and closes → the resident rates by tracking code. Each step is on the event's
timeline and in the audit chain."""

import base64

import pytest

from audit.models import AuditEntry
from events.models import Event, EventStatus
from events.tests.conftest import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fazhi-Test-2026!"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def world(town, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(town, make_user)


def _switch(page, login, user):
    page.context.clear_cookies()
    login(page, user.username, PASSWORD)


def _no_overflow(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2, page.url


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_report_dispatch_resolve_close_rate(width, request, live_server, login, world):
    page = request.getfixturevalue("phone_page" if width == "phone" else "page")
    base = live_server.url
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 30.05, "longitude": 108.05})

    # 1. The grid worker reports from the phone, with a photo from the camera and the GPS position.
    login(page, world.grid_worker.username, PASSWORD)
    page.click("[data-testid=panel-report]")
    page.wait_for_url("**/events/report/")
    _no_overflow(page)
    assert page.get_attribute("[data-testid=photos]", "capture") == "environment"
    page.select_option("[data-testid=f-category]", str(world.category.pk))
    page.fill("[data-testid=f-title]", "村道路面塌陷")
    page.fill("[data-testid=f-description]", "和平村一组村道路面塌陷约两平方米，有安全隐患。")
    page.set_input_files("[data-testid=photos]", files=[{"name": "scene.png", "mimeType": "image/png",
                                                         "buffer": PNG}])
    page.click("[data-testid=locate]")
    page.wait_for_function("document.getElementById('id_lat').value !== ''")
    page.click("[data-testid=submit-report]")
    page.wait_for_url("**/events/*/")
    code = page.inner_text("[data-testid=tracking-code]").strip()
    event = Event.objects.get(tracking_code=code)
    assert event.grid == world.grid and event.photos.count() == 1 and event.status == EventStatus.REPORTED
    assert page.locator("[data-testid=photo]").count() == 1
    _no_overflow(page)

    # 2. The centre dispatches to the post the routing rule suggests.
    _switch(page, login, world.dispatcher)
    page.goto(f"{base}/events/")
    page.click(f"[data-testid=event-{event.pk}]")
    assert page.locator("[data-testid=dispatch-position]").input_value() == str(world.position.pk)
    page.click("[data-testid=act-dispatch]")
    page.wait_for_load_state("networkidle")
    assert "已分拨" in page.inner_text("[data-testid=event-status]")

    # 3. The post holder (A post) finds it in "my tasks" and resolves it.
    _switch(page, login, world.holder)
    page.goto(f"{base}/events/tasks/")
    page.click(f"[data-testid=event-{event.pk}]")
    page.click("[data-testid=act-start]")
    page.wait_for_load_state("networkidle")
    page.fill("[data-testid=form-resolve] [data-testid=result-input]", "已回填碎石并设置警示标志，路面恢复通行。")
    page.click("[data-testid=act-resolve]")
    page.wait_for_load_state("networkidle")
    assert "已办结" in page.inner_text("[data-testid=event-status]")
    _no_overflow(page)

    # 4. The centre verifies and closes.
    _switch(page, login, world.dispatcher)
    page.goto(f"{base}/events/{event.pk}/")
    page.click("[data-testid=act-verify]")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=act-close]")
    page.wait_for_load_state("networkidle")
    assert "已结案" in page.inner_text("[data-testid=event-status]")

    # 5. The resident, without logging in, rates the outcome by tracking code.
    page.context.clear_cookies()
    page.goto(f"{base}/public/track/")
    page.fill("#id_code", code.lower())
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/public/track/{code}/")
    assert "已回填碎石" in page.inner_text("[data-testid=public-result]")
    page.click("[data-testid=rating-5]")
    page.click("[data-testid=rating-submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=rated]").is_visible()
    _no_overflow(page)

    # Every step on the timeline and in the audit chain.
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED and event.rating == 5
    _switch(page, login, world.dispatcher)
    page.goto(f"{base}/events/{event.pk}/")
    shown = page.eval_on_selector_all("[data-testid=timeline] li", "els => els.map(e => e.dataset.action)")
    steps = ["events.event.report", "events.event.dispatch", "events.event.start", "events.event.resolve",
             "events.event.verify", "events.event.close", "events.event.rate"]
    assert [a for a in shown if a in steps] == steps
    chain = AuditEntry.objects.filter(object_type="events.event", object_id=str(event.pk)).order_by("seq")
    assert [e.action for e in chain if e.action in steps] == steps
    report = chain.first()
    assert report.files and report.files[0]["sm3"] == event.photos.get().sm3
    from audit.verification import verify_chain

    assert verify_chain().ok
    assert page.js_errors == []


def test_resident_snaps_a_problem_without_logging_in(phone_page, live_server, world):
    from django.core.cache import cache

    cache.clear()
    page = phone_page
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 30.05, "longitude": 108.15})
    page.goto(f"{live_server.url}/public/t/{world.town.code}/")
    page.click("[data-testid=portal-report]")
    page.click("[data-testid=portal-submit]")  # nothing filled in: a clear message, nothing saved
    assert "请选择事件分类" in page.inner_text("[data-testid=portal-form]")
    assert not Event.objects.exists()
    page.select_option("[data-testid=f-category]", str(world.category.pk))
    page.fill("[data-testid=f-title]", "桥头垃圾堆积")
    page.fill("[data-testid=f-description]", "桥头有一堆生活垃圾，已经发臭。")
    page.set_input_files("[data-testid=photos]", files=[{"name": "snap.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("#locate")
    page.wait_for_function("document.getElementById('id_lat').value !== ''")
    page.click("[data-testid=portal-submit]")
    page.wait_for_url("**/public/track/*/?new=1")
    code = page.inner_text("[data-testid=new-code]").strip()
    event = Event.objects.get(tracking_code=code)
    assert event.channel == "portal" and event.grid == world.grid2 and event.reporter_user is None
    assert page.inner_text("[data-testid=public-status]") == "已提交"
    _no_overflow(page)
    assert page.js_errors == []


def test_duty_leader_planned_on_the_phone_and_shown_on_the_board(phone_page, live_server, login, world):
    """The dispatcher sees 今日未排班 on the board, plans today's duty leader from the month page at phone
    width, and the board then names the duty leader."""
    from django.utils import timezone

    from events.models import DutyShift

    page = phone_page
    base = live_server.url
    login(page, world.dispatcher.username, PASSWORD)
    page.goto(f"{base}/events/")
    assert page.is_visible("[data-testid=duty-unplanned]")
    page.goto(f"{base}/events/duty/")
    _no_overflow(page)
    assert page.is_visible("[data-testid=duty-list]")  # the calendar becomes a list at 390 px
    page.fill("#id_date", timezone.localdate().isoformat())
    page.select_option("#id_leader", str(world.leader.pk))
    page.select_option("#id_deputy", str(world.dispatcher.pk))
    page.click("[data-testid=duty-form] button")
    page.wait_for_load_state("networkidle")
    shift = DutyShift.objects.get(town=world.town, date=timezone.localdate())
    assert shift.leader == world.leader and shift.deputy == world.dispatcher
    assert AuditEntry.objects.filter(action="events.duty.set").count() == 1
    page.goto(f"{base}/events/")
    assert world.leader.display_name in page.inner_text("[data-testid=duty-today]")
    _no_overflow(page)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_campaign_edited_then_closed_with_its_summary(width, request, live_server, login, world):
    """A manager edits a campaign with a reason, closes it with a summary, and finds it read-only."""
    import datetime as dt

    from django.utils import timezone

    from events import services
    from events.models import Campaign, CampaignStatus

    page = request.getfixturevalue("phone_page" if width == "phone" else "page")
    today = timezone.localdate()
    campaign = services.campaign_create(
        town=world.town, actor=world.dispatcher, code="road", name="道路交通安全专项整治",
        start_date=today - dt.timedelta(days=20), end_date=today + dt.timedelta(days=10), target_operations=1)
    login(page, world.dispatcher.username, PASSWORD)
    page.goto(f"{live_server.url}/events/campaigns/{campaign.pk}/")
    _no_overflow(page)
    page.click("[data-testid=campaign-edit]")
    page.fill("#id_target_operations", "2")
    page.fill("#id_reason", "区里追加目标")
    page.click("[data-testid=form-save]")
    page.wait_for_url(f"**/events/campaigns/{campaign.pk}/")
    page.click("[data-testid=campaign-close-open]")
    page.fill("#close-summary", "开展联合执法，整治隐患，目标基本完成。")
    page.fill("#close-reason", "整治期满")
    page.click("[data-testid=campaign-close]")
    page.wait_for_selector("[data-testid=campaign-summary]")
    assert "目标基本完成" in page.inner_text("[data-testid=campaign-summary]")
    assert page.locator("[data-testid=campaign-edit]").count() == 0
    _no_overflow(page)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.status == CampaignStatus.CLOSED and campaign.target_operations == 2
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="events.campaign.").order_by("pk")] == [
        "events.campaign.create", "events.campaign.update", "events.campaign.close"]
