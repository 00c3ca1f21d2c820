"""Journey through an ordinary-procedure enforcement case, at desktop and phone widths: an officer registers the
lead → the head approves 立案 → two certified officers investigate (inspection record, credentials shown) →
the notice of intended penalty → the head's decision (refused first without the correction order, with the
rule's message) → the 行政处罚决定书 downloads with its number → the de-identified publication on the public
page → the exported 卷宗 verifies, and fails after one byte is changed."""

import io
import zipfile

import pytest

from e2e.helpers import docx_text, download, seed_calendar_around_today, seed_instrument_kinds
from enforcement import services
from enforcement.models import Case, CaseStatus
from enforcement.tests.conftest import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fazhi-Test-2026!"


@pytest.fixture
def world(town, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_calendar_around_today()
    seed_instrument_kinds()
    return build_world(town, make_user)


def _switch(page, login, user):
    page.context.clear_cookies()
    login(page, user.username, PASSWORD)


def _no_overflow(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2, page.url


def _act(page, action):
    page.click(f"[data-testid=act-{action}]")
    page.wait_for_load_state("networkidle")


def _step(page, key, fields: dict, checks=()):
    summary = page.locator(f"[data-testid=step-{key}]")
    if not summary.evaluate("el => el.parentElement.open"):
        summary.click()
    for name, value in fields.items():
        selector = f"[data-testid=f-{key}-{name}]"
        if page.locator(selector).evaluate("el => el.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    for name, on in checks:
        page.set_checked(f"[data-testid=f-{key}-{name}]", on)
    page.click(f"[data-testid=submit-{key}]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_ordinary_case_to_decision_publication_and_casefile(width, request, live_server, login, world):
    page = request.getfixturevalue("phone_page" if width == "phone" else "page")
    base = live_server.url
    w = world

    # 1. The officer registers the lead for the matter, naming two certified officers.
    login(page, w.officer.username, PASSWORD)
    page.goto(f"{base}/enforcement/cases/")
    page.click("[data-testid=case-new]")
    page.select_option("[data-testid=f-matter]", str(w.matter.pk))
    page.fill("[data-testid=f-party_name]", "张三")
    page.fill("[data-testid=f-party_id_number]", "500101199001011234")
    page.fill("[data-testid=f-party_phone]", "13900001111")
    page.fill("[data-testid=f-party_address]", "和平村3组12号")
    page.fill("[data-testid=f-facts]", "张三在和平村主干道占道经营水果摊，影响通行。")
    page.select_option("[data-testid=f-officers]", [str(w.a.pk), str(w.b.pk)])
    page.click("[data-testid=submit]")
    page.wait_for_url("**/enforcement/cases/*/")
    case = Case.objects.get(town=w.town)
    assert case.status == CaseStatus.LEAD
    # the officer sees the matter's procedure and checklist on the case page
    assert "核实经营地点" in page.inner_text("body")
    _no_overflow(page)

    # 2. The head approves 立案 (the 90-day decision clock starts).
    _switch(page, login, w.leader)
    page.goto(f"{base}/enforcement/cases/{case.pk}/")
    _act(page, "file")
    assert "已立案" in page.inner_text("[data-testid=case-status]")
    assert "行政处罚决定期限" in page.inner_text("[data-testid=clocks]")

    # 3. The officers investigate: an inspection record with credentials shown, then close the investigation.
    _switch(page, login, w.officer)
    page.goto(f"{base}/enforcement/cases/{case.pk}/")
    _act(page, "investigate")
    page.click("[data-testid=evidence-add]")
    page.select_option("[data-testid=f-kind]", "inspection_record")
    page.fill("[data-testid=f-title]", "现场检查笔录")
    page.fill("[data-testid=f-description]", "执法人员出示证件后检查，现场摆放水果摊三处。")
    page.check("[data-testid=f-credentials_shown]")
    page.click("[data-testid=submit]")
    page.wait_for_url(f"**/enforcement/cases/{case.pk}/")
    _act(page, "close_investigation")
    _step(page, "serve_notice", {"proposed_penalty": "罚款200元", "proposed_fine": "200"})
    assert "已事先告知" in page.inner_text("[data-testid=case-status]")

    # 4. The head decides: refused first without the correction order (Art. 28), then decided.
    _switch(page, login, w.leader)
    page.goto(f"{base}/enforcement/cases/{case.pk}/")
    _step(page, "decide", {"outcome": "penalty", "penalty_text": "罚款200元", "fine": "200"},
          checks=[("correction_ordered", False)])
    assert "责令当事人改正" in page.inner_text("body")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOTICE_SERVED
    _step(page, "decide", {"outcome": "penalty", "penalty_text": "罚款200元", "fine": "200"},
          checks=[("correction_ordered", True)])
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision_number
    assert case.decision_number in page.inner_text("[data-testid=decision]")
    name, data = download(page, "[data-testid=instruments] a:has-text('行政处罚决定书')")
    assert name.endswith(".docx") and case.decision_number in docx_text(data)
    _no_overflow(page)

    # 5. Publication on the public page, with personal data removed.
    page.click("[data-testid=publish]")
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"{base}/enforcement/public/{w.town.code}/")
    page.click("[data-testid=public-decisions]")
    page.click("[data-testid=public-decision-link]")
    text = page.inner_text("[data-testid=public-decision]")
    assert case.decision_number in text and "张某" in text
    assert "张三" not in text and "500101199001011234" not in text and "13900001111" not in text
    _no_overflow(page)

    # 6. The 卷宗 exports and verifies; one changed byte is detected.
    login(page, w.leader.username, PASSWORD)
    page.goto(f"{base}/enforcement/cases/{case.pk}/")
    name, data = download(page, "[data-testid=casefile]")
    assert services.casefile_verify(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    target = next(n for n in archive.namelist() if "penalty_decision" in n)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as changed:
        for member in archive.namelist():
            content = archive.read(member)
            if member == target:
                content = content[:50] + bytes([content[50] ^ 1]) + content[51:]
            changed.writestr(member, content)
    problems = services.casefile_verify(out.getvalue())
    assert len(problems) == 1 and target in problems[0]
    assert not page.js_errors
