"""Journeys of the organisation module (一中心四板块一网格): villages and grids through the forms, export,
chart and map; the Excel import; the post handover with its clock; a grid worker on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from access.roles import Role
from audit.context import acting_as
from e2e.helpers import (
    PASSWORD,
    PHONE_MAX_WIDTH,
    RequestLog,
    deadline_lines,
    docx_text,
    download,
    logout,
    read_xlsx,
    scroll_width,
    seed_calendar_around_today,
    seed_instrument_kinds,
    upload,
    xlsx_bytes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOUNDARY = ('{"type": "Polygon", "coordinates": [[[108.0, 30.0], [108.01, 30.0], [108.01, 30.01], '
            '[108.0, 30.01], [108.0, 30.0]]]}')


def _alert(page, kind="success"):
    return page.locator(f".fazhi-messages .alert-{kind}")


# --- 1. villages and grids through the forms, export, chart, map ------------------------------------------

def test_dispatcher_builds_village_and_grid_exports_and_sees_chart_and_map(page, live_server, login, make_user):
    make_user(Role.DISPATCHER, username="centre1")
    requests = RequestLog(page)
    login(page, "centre1", PASSWORD)

    # A village, through the form.
    page.goto(f"{live_server.url}/org/villages/")
    expect(page.get_by_test_id("village-table")).to_contain_text("没有符合条件的村(社区)。")
    page.click("[data-testid=create]")
    expect(page.locator("h1")).to_have_text("新增村(社区)")
    page.fill("[data-testid=field-code]", "V101")
    page.fill("[data-testid=field-name]", "青石村")
    page.select_option("[data-testid=field-kind]", "village")
    page.fill("[data-testid=field-households]", "420")
    page.fill("[data-testid=field-population]", "1380")
    page.fill("[data-testid=field-village_committees]", "王一、李二")
    page.click("[data-testid=save]")
    expect(_alert(page)).to_contain_text("村(社区)已创建。")
    expect(page.locator("h1")).to_have_text("青石村")
    expect(page.get_by_test_id("village-grids")).to_contain_text("暂无网格。")

    # A grid of that village, from the village page (the village is preselected).
    page.get_by_role("link", name="新增网格").click()
    expect(page.locator("h1")).to_have_text("新增网格")
    expect(page.locator("[data-testid=field-village] option:checked")).to_have_text("青石村")
    page.fill("[data-testid=field-code]", "G101")
    page.fill("[data-testid=field-name]", "青石村第一网格")
    page.fill("[data-testid=field-households]", "210")
    page.fill("[data-testid=field-population]", "690")
    page.fill("[data-testid=field-boundary]", BOUNDARY)
    page.click("[data-testid=save]")
    expect(_alert(page)).to_contain_text("网格已创建。")
    expect(page.get_by_test_id("grid-name")).to_have_text("青石村第一网格")
    # 1+3+N: nobody assigned yet, the page says what is missing.
    expect(page.locator("main")).to_contain_text("缺：")
    expect(page.locator("#grid-map.leaflet-container path.leaflet-interactive")).to_have_count(1)

    # Both lists show them.
    page.goto(f"{live_server.url}/org/villages/")
    row = page.get_by_test_id("village-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("青石村")
    expect(row).to_contain_text("V101")
    page.goto(f"{live_server.url}/org/grids/")
    row = page.get_by_test_id("grid-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("青石村第一网格")
    expect(row).to_contain_text("青石村")

    # Export what the list shows.
    name, data = download(page, "[data-testid=export]")
    assert name.endswith(".xlsx"), name
    rows = read_xlsx(data)
    cells = [str(c) for r in rows for c in r if c is not None]
    assert "网格编码" in cells and "网格名称" in cells
    assert "G101" in cells and "青石村第一网格" in cells

    # The organisation chart: centre → sectors; villages → grids.
    page.goto(f"{live_server.url}/org/chart/")
    expect(page.locator("h1")).to_have_text("一中心四板块一网格")
    chart = page.get_by_test_id("org-chart")
    expect(chart).to_contain_text("一中心：基层治理指挥中心")
    chart.locator("summary", has_text="青石村").click()
    grid_link = chart.get_by_test_id("chart-grid").get_by_role("link", name="青石村第一网格")
    expect(grid_link).to_be_visible()

    # The grid map: Leaflet from /static, the grid drawn from the GeoJSON endpoint, no tiles.
    page.goto(f"{live_server.url}/org/map/")
    expect(page.locator("h1")).to_have_text("网格地图")
    expect(page.locator("[data-testid=grid-map].leaflet-container")).to_be_visible()
    expect(page.locator("[data-testid=grid-map] path.leaflet-interactive")).to_have_count(1)
    expect(page.locator("[data-testid=grid-map] img.leaflet-tile")).to_have_count(0)
    page.locator("[data-testid=grid-map] path.leaflet-interactive").click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("青石村第一网格")

    assert any("/org/map/geojson/" in u for u in requests.urls)
    assert requests.foreign(live_server.url) == []
    assert page.js_errors == []


# --- 2. Excel import: a bad file imports nothing, a good one imports every row ----------------------------

HEADER = ["编码*", "名称*", "类型", "户数", "人口", "两委成员"]


def test_import_bad_villages_file_reports_each_row_then_good_file_imports(page, live_server, login, make_user):
    from org.models import ImportBatch, Village

    make_user(Role.LEADER, username="leader1")
    login(page, "leader1", PASSWORD)
    page.goto(f"{live_server.url}/org/import/")
    expect(page.locator("h1")).to_have_text("Excel 导入")

    bad = xlsx_bytes([
        HEADER,
        ["V201", "东岭村", "村", 300, 900, "张三、李四"],   # fine on its own
        ["V202", "", "村", 100, 300, ""],                  # row 3: name missing
        ["V203", "南湾社区", "小区", 100, 300, ""],         # row 4: unknown kind
        ["V201", "西坝村", "村", 50, 100, ""],              # row 5: code repeated in the file
        ["V205", "北山村", "村", -3, 100, ""],              # row 6: negative households
    ])
    page.select_option("[data-testid=field-kind]", "villages")
    upload(page, "[data-testid=field-file]", "村社区-有错.xlsx", bad)
    page.click("[data-testid=import-submit]")

    expect(_alert(page, "danger")).to_contain_text("未导入任何数据")
    report = page.get_by_test_id("import-errors")
    expect(report).to_be_visible()
    expect(report).to_contain_text("错误报告")
    rows = report.locator("tbody tr")
    row_numbers = {int(t.split()[0]) for t in rows.all_inner_texts()}
    assert {3, 4, 5, 6} <= row_numbers, row_numbers
    assert 2 not in row_numbers
    expect(report.locator("tbody tr", has_text="名称")).not_to_have_count(0)
    expect(report.locator("tbody tr", has_text="类型")).not_to_have_count(0)
    # The report can be downloaded as Excel too.
    name, data = download(page, "[data-testid=download-errors]")
    assert name.endswith(".xlsx")
    assert any("V202" in str(c) or c == 3 for r in read_xlsx(data) for c in r)
    # Nothing was imported, not even the good first row.
    assert Village.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    page.goto(f"{live_server.url}/org/villages/")
    expect(page.get_by_test_id("village-table")).to_contain_text("没有符合条件的村(社区)。")

    # The corrected file.
    good = xlsx_bytes([
        HEADER,
        ["V201", "东岭村", "村", 300, 900, "张三、李四"],
        ["V202", "中坪村", "村", 100, 300, ""],
        ["V203", "南湾社区", "社区", 100, 300, ""],
    ])
    page.goto(f"{live_server.url}/org/import/")
    page.select_option("[data-testid=field-kind]", "villages")
    upload(page, "[data-testid=field-file]", "村社区.xlsx", good)
    page.click("[data-testid=import-submit]")
    expect(_alert(page)).to_contain_text("导入成功：共 3 行，新增 3 条，更新 0 条。")
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    history = page.locator("section", has_text="导入记录").locator("tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("村社区.xlsx")

    page.goto(f"{live_server.url}/org/villages/")
    table = page.get_by_test_id("village-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    for village in ("东岭村", "中坪村", "南湾社区"):
        expect(table).to_contain_text(village)
    expect(table.locator("tbody tr", has_text="南湾社区")).to_contain_text("社区")
    assert page.js_errors == []


# --- 3. post handover: request → confirm → complete, with its clock and timeline -------------------------

@pytest.fixture
def post(town):
    """A post of the 平安法治 sector with an A holder, and the staff member who will take over."""
    from org import services

    seed_calendar_around_today()  # the handover's clock starts today
    seed_instrument_kinds()  # completing a handover renders the 岗位交接单
    with acting_as(None, channel="cli"):
        sector = services.sector_create(town=town, actor=None, code="safety_rule_of_law", name="平安法治", order=4)
        old = services.staff_create(town=town, actor=None, code="S001", name="赵守岗", title="综治专干")
        new = services.staff_create(town=town, actor=None, code="S002", name="钱接任", title="综治专干")
        position = services.position_create(sector=sector, actor=None, code="zongzhi", name="综治岗",
                                            duties="矛盾纠纷排查\n平安建设台账", primary_holder=old)
    return {"sector": sector, "position": position, "old": old, "new": new}


def test_post_handover_request_confirm_complete(page, live_server, login, make_user, post):
    from clocks.models import Clock

    make_user(Role.SECTOR_LEAD, username="lead1", sector=post["sector"])
    make_user(Role.LEADER, username="leader1")
    url = f"{live_server.url}/org/positions/{post['position'].pk}/"

    # The sector lead requests the handover of the A slot.
    login(page, "lead1", PASSWORD)
    page.goto(url)
    expect(page.get_by_test_id("position-name")).to_have_text("综治岗")
    expect(page.get_by_test_id("holder-a")).to_contain_text("赵守岗")
    page.click("[data-testid=handover-a]")
    expect(page.locator("h1")).to_have_text("发起岗位交接：综治岗")
    expect(page.locator("[data-testid=field-slot] option:checked")).to_have_text("A岗（主岗）")
    page.select_option("[data-testid=field-to_staff]", str(post["new"].pk))
    expect(page.locator("[data-testid=field-to_staff] option:checked")).to_contain_text("钱接任")
    page.fill("[data-testid=field-reason]", "赵守岗调任经济发展板块")
    page.fill("[data-testid=field-notes]", "在办矛盾纠纷3件\n平安建设台账")
    page.click("[data-testid=save]")
    expect(_alert(page)).to_contain_text("交接已申请，待镇领导确认。")
    handover = page.get_by_test_id("open-handover")
    expect(handover).to_contain_text("赵守岗 → 钱接任")
    expect(handover).to_contain_text("在办矛盾纠纷3件")
    # The sector lead may not confirm: only the leader's buttons include 确认交接.
    expect(page.get_by_test_id("fire-confirm")).to_have_count(0)

    # Its clock (org.handover.complete): due date and how it was computed, as the clocks app computes it.
    clock = Clock.objects.get(rule_code="org.handover.complete")
    assert clock.due_date is not None, clock.status
    panel = handover.get_by_test_id("clock-org.handover.complete")
    expect(panel).to_contain_text("届满日 " + clock.due_date.isoformat())
    expected = deadline_lines("org.handover.complete", clock.start_date.isoformat())
    assert expected[0] == clock.due_date.isoformat()
    panel.locator("summary", has_text="届满日是怎样计算的").click()
    explanation = panel.get_by_test_id("explanation")
    expect(explanation).to_be_visible()
    expect(explanation.locator("li")).to_have_text(expected[1:])
    logout(page)

    # The leader confirms, then completes.
    login(page, "leader1", PASSWORD)
    page.goto(url)
    page.fill("[data-testid=open-handover] input[name=reason]", "同意")
    page.click("[data-testid=fire-confirm]")
    expect(_alert(page)).to_contain_text("已办理：确认交接")
    expect(page.get_by_test_id("open-handover")).to_contain_text("已确认")
    page.click("[data-testid=fire-complete]")
    expect(_alert(page)).to_contain_text("已办理：完成交接")
    expect(page.get_by_test_id("open-handover")).to_have_count(0)
    expect(page.get_by_test_id("holder-a")).to_contain_text("钱接任")
    expect(page.get_by_test_id("acting")).to_contain_text("钱接任")

    # The timeline (from the audit trail) shows every step, newest first.
    timeline = page.get_by_test_id("timeline")
    for label in ("起草交接", "申请交接", "确认交接", "完成交接"):
        expect(timeline).to_contain_text(label)
    texts = timeline.locator("li").all_inner_texts()
    steps = [label for t in texts for label in ("完成交接", "确认交接", "申请交接") if label in t]
    assert steps[:3] == ["完成交接", "确认交接", "申请交接"], texts
    # The handover list shows it completed, with its numbered 岗位交接单 (a Word file); the clock is met.
    row = page.locator("table", has_text="接收人").locator("tbody tr").first
    expect(row).to_contain_text("已完成")
    form_link = row.get_by_test_id("handover-form")
    expect(form_link).to_contain_text("岗交〔")
    name, data = download(page, "[data-testid=handover-form]")
    assert name.endswith(".docx"), name
    body = docx_text(data)
    for text in ("综治岗", "赵守岗", "钱接任", "在办矛盾纠纷3件"):
        assert text in body, text
    clock.refresh_from_db()
    assert clock.status == "met"
    assert page.js_errors == []


# --- 4. a grid worker on a phone --------------------------------------------------------------------------

def test_grid_worker_on_phone_sees_my_grid_without_horizontal_scroll(phone_page, live_server, login, make_user,
                                                                     town):
    from org import services

    page = phone_page
    with acting_as(None, channel="cli"):
        village = services.village_create(town=town, actor=None, code="V301", name="清溪社区", kind="community",
                                          households=800, population=2400)
        grid = services.grid_create(town=town, actor=None, village=village, code="G301", name="清溪社区第一网格",
                                    households=260, population=780)
        services.microgrid_create(town=town, actor=None, grid=grid, code="M3011", name="一号微网格",
                                  households=65)
    worker = make_user(Role.GRID_WORKER, username="grid1", grid=grid)
    with acting_as(None, channel="cli"):
        staff = services.staff_create(town=town, actor=None, code="S301", name="孙网格", user=worker,
                                      phone="13900000301")
        services.grid_assignment_add(grid=grid, staff=staff, role="grid_worker_fulltime", actor=None)

    login(page, "grid1", PASSWORD)
    panel = page.locator("[data-panel=org_my_grid]")
    expect(panel.locator(".card-header")).to_have_text("我的网格")
    card = panel.get_by_test_id("my-grid")
    expect(card).to_contain_text("清溪社区第一网格")
    expect(card).to_contain_text("260 户")
    expect(card).to_contain_text("一号微网格")
    expect(card).to_contain_text("孙网格（专职网格员）")
    assert scroll_width(page) <= PHONE_MAX_WIDTH

    card.get_by_role("link", name="清溪社区第一网格").click()
    expect(page.get_by_test_id("grid-name")).to_have_text("清溪社区第一网格")
    expect(page.get_by_test_id("grid-team")).to_contain_text("孙网格")
    expect(page.get_by_test_id("grid-micro")).to_contain_text("一号微网格")
    assert scroll_width(page) <= PHONE_MAX_WIDTH
    # The grid worker does not manage the structure.
    expect(page.get_by_test_id("add-member")).to_have_count(0)
    assert page.js_errors == []


# --- 5. the post handover form (instruments): preview of the template and a rendered, archived copy -------

def test_post_handover_form_preview_and_download(page, live_server, login, make_user, post):
    from audit.models import AuditEntry
    from instruments.models import Instrument
    from org import services

    leader = make_user(Role.LEADER, username="leader1")
    handover = services.handover_request(position=post["position"], slot="primary", to_staff=post["new"],
                                         reason="岗位调整", actor=leader)
    services.handover_fire(handover=handover, action="confirm", actor=leader)
    services.handover_fire(handover=handover, action="complete", actor=leader)
    instrument = Instrument.objects.get(kind__code="post_handover")
    login(page, "leader1", PASSWORD)

    # The kind's page: the template preview with sample data is a Word file.
    page.goto(f"{live_server.url}/instruments/kinds/")
    page.get_by_role("link", name="岗位交接单").click()
    expect(page.locator("h1")).to_have_text("岗位交接单")
    name, data = download(page, "[data-testid=template-preview]")
    assert name.endswith(".docx"), name
    assert "岗位交接" in docx_text(data)

    # The form rendered by the completion: numbered, in the ledger, downloaded (the download is audited).
    page.goto(f"{live_server.url}/instruments/")
    page.get_by_role("link", name=instrument.number).click()
    expect(page.locator("main")).to_contain_text(instrument.number)
    expect(page.locator("main")).to_contain_text(instrument.sm3)
    expect(page.get_by_test_id("audit-timeline")).to_be_visible()
    name, data = download(page, "[data-testid=instrument-download]")
    assert name.endswith(".docx"), name
    body = docx_text(data)
    for text in ("综治岗", "赵守岗", "钱接任"):
        assert text in body, text
    assert AuditEntry.objects.filter(action="instruments.download", actor=leader).count() == 1
    assert page.js_errors == []


def test_post_timeline_names_every_step_in_chinese(page, live_server, login, make_user, post):
    from org import services

    leader = make_user(Role.LEADER, username="leader1")
    handover = services.handover_request(position=post["position"], slot="primary", to_staff=post["new"],
                                         reason="岗位调整", actor=leader)
    services.handover_fire(handover=handover, action="confirm", actor=leader)
    services.handover_fire(handover=handover, action="complete", actor=leader)
    login(page, "leader1", PASSWORD)
    page.goto(f"{live_server.url}/org/positions/{post['position'].pk}/")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "完成交接" in timeline
    assert "instruments.render" not in timeline, timeline
