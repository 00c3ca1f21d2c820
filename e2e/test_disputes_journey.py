"""Journey: a grid worker reports a dispute lead → the mediator registers the dispute, records both parties'
consent, two sessions and a written agreement (the 调解协议书 DOCX downloads and opens) → signatures and the
committee seal make it effective and the 30-day 司法确认 clock appears → return visit → the sector lead
archives the case. At desktop and 390 px widths."""

import importlib
import zipfile

import pytest
from django.apps import apps as django_apps

from disputes.models import Dispute, Lead
from disputes.tests.conftest import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fazhi-Test-2026!"


@pytest.fixture
def world(town, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A transactional test flushes the rows seeded by data migrations: seed this module's instrument kinds again.
    importlib.import_module("disputes.migrations.0002_instrument_kinds").seed(django_apps, None)
    return build_world(town, make_user)


def _switch(page, login, user):
    page.context.clear_cookies()
    login(page, user.username, PASSWORD)


def _no_overflow(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2, page.url


def _post(page, selector):
    """Submit a form that redirects back to the same page, and wait for the new page."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("domcontentloaded")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_lead_to_archived_agreement(width, request, live_server, login, world, tmp_path):
    page = request.getfixturevalue("phone_page" if width == "phone" else "page")
    base = live_server.url

    # 1. The grid worker reports a lead in the own grid.
    login(page, world.users.worker.username, PASSWORD)
    page.goto(f"{base}/disputes/leads/new/")
    _no_overflow(page)
    page.select_option("#id_source", "walk_in")
    page.select_option("#id_kind", "neighbour")
    page.fill("#id_summary", "张家与李家因排水沟堵塞发生争执")
    page.select_option("#id_grid", str(world.grid.pk))
    page.fill("#id_place", "青石村3组")
    page.click("[data-testid=lead-submit]")
    page.wait_for_url("**/disputes/leads/*/")
    lead = Lead.objects.get()
    assert lead.grid == world.grid and lead.status == "open"

    # 2. The mediator registers the dispute from the lead.
    _switch(page, login, world.users.mediator)
    page.goto(f"{base}/disputes/leads/{lead.pk}/")
    page.click("[data-testid=lead-convert]")
    page.wait_for_url("**/disputes/new/?lead=*")
    assert page.input_value("#id_summary") == lead.summary
    page.select_option("#id_committee", str(world.committee.pk))
    page.select_option("#id_mediator", str(world.mediator.pk))
    page.fill("#id_party1_name", "张三丰")
    page.fill("#id_party1_phone", "13900001111")
    page.fill("#id_party2_name", "李四光")
    page.click("[data-testid=dispute-submit]")
    page.wait_for_url("**/disputes/*/")
    dispute = Dispute.objects.get()
    assert dispute.lead == lead and dispute.grid == world.grid
    _no_overflow(page)

    # 3. Both parties consent (人民调解法第十七条), mediation starts.
    _post(page, "[data-testid=consent-agree-1]")
    _post(page, "[data-testid=consent-agree-2]")
    _post(page, "[data-testid=accept]")
    assert Dispute.objects.get().status == "mediating"

    # 4. Two sessions.
    for n in (1, 2):
        page.fill("[data-testid=session-form] [name=attendees]", "双方当事人、调解员")
        page.fill("[data-testid=session-form] [name=record_text]", f"第{n}次调解，双方陈述意见")
        _post(page, "[data-testid=session-submit]")
    assert page.locator("[data-testid=sessions] li").count() == 2

    # 5. A written agreement: the DOCX downloads and opens.
    page.select_option("[data-testid=agreement-form] [name=kind]", "written")
    page.fill("[data-testid=agreement-form] [name=terms]", "李四光于十日内疏通排水沟")
    page.fill("[data-testid=agreement-form] [name=performance_days]", "10")
    _post(page, "[data-testid=agreement-submit]")
    with page.expect_download() as info:
        page.click("[data-testid=agreement-docx]")
    target = tmp_path / f"agreement-{width}.docx"
    info.value.save_as(target)
    with zipfile.ZipFile(target) as docx:
        assert "word/document.xml" in docx.namelist()
        assert "人民调解协议书" in docx.read("word/document.xml").decode("utf-8")

    # 6. Signatures and the seal make it effective; the 司法确认 reminder and its clock appear.
    _post(page, "[data-testid=sign-party-1]")
    _post(page, "[data-testid=sign-party-2]")
    _post(page, "[data-testid=sign-mediator]")
    assert Dispute.objects.get().status == "signing"
    _post(page, "[data-testid=sign-seal]")
    assert Dispute.objects.get().status == "performing"
    assert page.locator("[data-testid=effective-on]").count() == 1
    assert "三十日内共同向人民法院申请司法确认" in page.inner_text("[data-testid=confirmation]")
    assert "申请司法确认期限" in page.inner_text("[data-testid=clocks]")

    # 7. The return visit.
    page.select_option("[data-testid=visit-form] [name=performance]", "full")
    page.fill("[data-testid=visit-form] [name=visit_note]", "已疏通，双方满意")
    _post(page, "[data-testid=visit-submit]")
    assert Dispute.objects.get().status == "visited"

    # 8. The sector lead archives the case (registration, records and agreement are complete).
    _switch(page, login, world.users.lead)
    page.goto(f"{base}/disputes/{dispute.pk}/")
    _post(page, "[data-testid=close]")
    assert Dispute.objects.get().status == "closed"
    assert "已归档" in page.inner_text("[data-testid=dispute-status]")
    _no_overflow(page)
    assert not page.js_errors
