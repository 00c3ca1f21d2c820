"""Journeys through the enforcement workflows beyond the decision: a transfer to the judicial organs — the officers'
report, the head's approval, the numbered 移送书 to the public-security organ, its receipt, a refusal, the head's
reconsideration request and the organ's acceptance, then 移送结案; and a seizure decided by the head, extended once
and released, each with its instrument."""

import datetime as dt
import importlib

import pytest

from e2e.helpers import docx_text, download, seed_calendar_around_today, seed_instrument_kinds
from e2e.test_enforcement_journey import PASSWORD, _no_overflow, _step, _switch
from enforcement import services
from enforcement.models import Case, CaseStatus, MeasureStatus, TransferStatus
from enforcement.tests.conftest import build_world
from enforcement.tests.test_services import open_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(town, make_user, settings, tmp_path):
    from django.apps import apps

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_calendar_around_today()
    seed_instrument_kinds()
    importlib.import_module("enforcement.migrations.0007_instrument_kinds").seed(apps, None)
    return build_world(town, make_user)


def _investigating(w) -> Case:
    case = open_case(w)
    services.case_file(case=case, actor=w.leader)
    services.case_fire(case=case, action="investigate", actor=w.officer)
    return case


def test_transfer_to_the_organs_answer_and_closure(page, live_server, login, world):
    base, w = live_server.url, world
    case = _investigating(w)
    url = f"{base}/enforcement/cases/{case.pk}/"
    today = dt.date.today().isoformat()

    login(page, w.officer.username, PASSWORD)
    page.goto(url)
    _step(page, "transfer_report", {"suspected_offence": "非法经营罪", "report": "经营数额巨大，涉嫌犯罪。"})
    assert "待负责人审批" in page.inner_text("[data-testid=transfers]")
    assert "负责人审批是否移送涉嫌犯罪案件" in page.inner_text("[data-testid=clocks]")

    _switch(page, login, w.leader)
    page.goto(url)
    _step(page, "transfer_decide", {"approve": "1", "opinion": "同意移送。"})
    assert "已批准移送" in page.inner_text("[data-testid=transfers]")

    _switch(page, login, w.officer)
    page.goto(url)
    _step(page, "transfer_send", {"organ": "某县公安局", "materials": "涉嫌犯罪案件移送书\n调查报告\n现场照片"})
    transfer = case.transfers.get()
    assert transfer.status == TransferStatus.SENT and transfer.letter_number
    name, data = download(page, "[data-testid=instruments] a:has-text('涉嫌犯罪案件移送书')")
    assert name.endswith(".docx") and transfer.letter_number in docx_text(data) and "某县公安局" in docx_text(data)
    _step(page, "transfer_receipt", {"receipt_on": today})
    _step(page, "transfer_answer", {"accepted": "0", "reason": "认为不构成犯罪", "on_date": today})
    assert "公安机关不予立案" in page.inner_text("[data-testid=transfers]")

    _switch(page, login, w.leader)
    page.goto(url)
    _step(page, "transfer_reconsider", {"reason": "经营数额已达追诉标准"})
    assert "已提请复议" in page.inner_text("[data-testid=transfers]")

    _switch(page, login, w.officer)
    page.goto(url)
    _step(page, "transfer_answer", {"accepted": "1", "reason": "复议后决定立案", "on_date": today})
    assert "公安机关已立案" in page.inner_text("[data-testid=transfers]")

    _switch(page, login, w.leader)
    page.goto(url)
    _step(page, "close_transferred", {"summary": "公安机关已立案侦查，本案移送结案。"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "transfer"
    assert "已结案" in page.inner_text("[data-testid=case-status]")
    _no_overflow(page)
    assert not page.js_errors


def test_seizure_with_extension_and_release(phone_page, live_server, login, world):
    page, base, w = phone_page, live_server.url, world
    w.matter.coercive_measures_allowed = True
    w.matter.save()
    case = _investigating(w)
    url = f"{base}/enforcement/cases/{case.pk}/"

    login(page, w.leader.username, PASSWORD)
    page.goto(url)
    _step(page, "measure", {"kind": "seize", "items": "水果10箱\n电子秤1台", "place": "和平村主干道",
                            "officers": [str(w.a.pk), str(w.b.pk)]})
    measure = case.measures.get()
    assert measure.decision_number and "实施中" in page.inner_text("[data-testid=measures]")
    assert "查封、扣押期限" in page.inner_text("[data-testid=clocks]")
    _step(page, "measure_extend", {"measure": str(measure.pk), "days": "30", "reason": "情况复杂，需进一步核查。"})
    measure.refresh_from_db()
    assert measure.extended and "已延长" in page.inner_text("[data-testid=measures]")
    _step(page, "measure_end", {"measure": str(measure.pk), "outcome": "released", "reason": "经检验合格，解除扣押。"})
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.RELEASED and "已解除" in page.inner_text("[data-testid=measures]")
    listed = page.inner_text("[data-testid=instruments]")
    for kind in ("查封（扣押）决定书", "延长查封（扣押）期限决定书", "解除查封（扣押）决定书"):
        assert kind in listed
    _no_overflow(page)
    assert not page.js_errors
