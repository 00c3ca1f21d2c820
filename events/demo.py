"""A year of grid events in the demo town, with the campaigns the 2023 report names.

Built through the services only, replaying the year in time order with the clock set back to each step
(``timezone.now`` patched), so every record and audit entry carries the time it "happened". Figures from
the report (shared/spec): 16 grids, 两排查两整治 with a monthly full screening, 31 joint traffic-safety
enforcement operations, 30 road hazards rectified. Everything is fictional; phone numbers are 1390000xxxx.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from contextlib import contextmanager
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from access.roles import Role

ORDER = 20
EVENTS_PER_YEAR = 300  # a small town: 万顺镇 reported 307 grid events in a year (domain.md §2.4)
DEMO_PASSWORD = "Fazhi@2026demo"

# (parent code, parent name, [(code, name, post code, (ack, dispatch, handle) hours, spot, public, priority, weight)])
CATEGORIES = [
    ("safety", "平安建设", [
        ("road_safety", "道路交通安全隐患", "work_safety", (2, 4, 72), False, True, "normal", 10),
        ("fire_hazard", "消防安全隐患", "work_safety", (1, 2, 48), False, True, "normal", 4),
        ("public_order", "治安问题", "comprehensive_governance", (1, 2, 48), False, True, "normal", 6),
        ("dispute", "矛盾纠纷", "mediation", (2, 4, 120), True, True, "low", 14),
        ("petition_lead", "信访苗头", "petition", (2, 4, 72), False, False, "normal", 3),
    ]),
    ("environment", "城乡环境", [
        ("garbage", "垃圾堆放", "planning", (4, 8, 72), True, True, "low", 12),
        ("pollution", "环境污染", "ecology", (2, 4, 96), False, True, "normal", 5),
        ("illegal_building", "违法建设", "enf_casework", (4, 8, 240), False, True, "normal", 4),
        ("street_occupation", "占道经营", "enf_assist", (2, 4, 48), True, True, "low", 6),
    ]),
    ("infrastructure", "基础设施", [
        ("road_damage", "道路破损", "planning", (4, 8, 168), False, True, "low", 7),
        ("street_light", "路灯损坏", "planning", (4, 8, 120), False, True, "low", 6),
        ("water_supply", "供水问题", "planning", (2, 4, 48), False, True, "normal", 4),
    ]),
    ("livelihood", "民生服务", [
        ("relief", "困难救助", "civil_affairs", (4, 8, 168), False, True, "low", 5),
        ("social_security", "社保医保咨询", "social_security", (4, 8, 72), True, True, "low", 6),
    ]),
    ("business", "营商环境", [
        ("enterprise_appeal", "企业诉求", "enterprise_service", (2, 8, 168), False, True, "normal", 4),
    ]),
    ("disaster", "自然灾害", [
        ("geohazard", "地质灾害隐患", "natural_resources", (1, 2, 24), False, True, "high", 3),
    ]),
]

TITLES = {
    "road_safety": ["急弯处缺少警示标志", "村道临水临崖路段无护栏", "学校门口缺少减速带", "路口视线被树木遮挡",
                    "农用车违规载人"],
    "fire_hazard": ["楼道堆放杂物堵塞通道", "电动车楼道充电", "小作坊私拉乱接电线"],
    "public_order": ["夜间有人聚集喧哗", "疑似电信诈骗宣传单", "停车场车辆被剐蹭"],
    "dispute": ["邻里宅基地界址纠纷", "土地流转租金纠纷", "家庭赡养纠纷", "相邻排水纠纷", "务工工资纠纷"],
    "petition_lead": ["群众反映征地补偿问题", "多名村民对项目有意见"],
    "garbage": ["河边垃圾堆积", "垃圾桶满溢未清运", "建筑垃圾乱倒"],
    "pollution": ["养殖场污水直排", "露天焚烧秸秆", "作坊噪声扰民"],
    "illegal_building": ["未批先建房屋", "占用耕地搭建棚房"],
    "street_occupation": ["场镇占道经营", "摊点占用人行道"],
    "road_damage": ["村道路面坑洼", "桥面伸缩缝破损", "边沟堵塞路面积水"],
    "street_light": ["路灯不亮", "路灯杆倾斜"],
    "water_supply": ["停水未通知", "水管爆裂漏水"],
    "relief": ["独居老人生活困难", "因病致贫家庭求助"],
    "social_security": ["咨询城乡居民医保缴费", "咨询养老保险领取"],
    "enterprise_appeal": ["企业用电增容办理慢", "企业招工需要帮助", "企业门前道路破损影响运输"],
    "geohazard": ["房屋后山体出现裂缝", "道路边坡落石"],
}
RESULTS = ["已现场处置完毕", "已协调相关单位处理到位", "已整改完成并回访反映人", "已调解达成一致", "已清理完毕",
           "已修复，恢复正常", "已答复并解释政策"]
UNITS = ["镇综合行政执法大队", "区交巡警大队瀼渡中队", "区交通运输综合执法支队", "镇应急办", "镇派出所", "镇安全生产岗"]
ROADS = ["清溪大道", "青龙村道", "双河桥头", "白鹤山路", "桂花湾路口", "松林村道K3", "溪口街"]


@contextmanager
def clock(when):
    """Run services as if it were ``when`` (the demo replays a year)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def png(rgb=(179, 38, 30), size=48) -> bytes:
    """A small solid-colour PNG (no imaging library needed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def _photo(rng, name="photo.png"):
    colour = (rng.randint(60, 220), rng.randint(60, 220), rng.randint(60, 220))
    return SimpleUploadedFile(name, png(colour), content_type="image/png")


def _point_in(grid, rng):
    ring = grid.boundary["coordinates"][0] if grid.boundary else None
    if not ring:
        return None, None
    lngs, lats = [p[0] for p in ring], [p[1] for p in ring]
    return (round(rng.uniform(min(lats) + 0.001, max(lats) - 0.001), 6),
            round(rng.uniform(min(lngs) + 0.001, max(lngs) - 0.001), 6))


def _login(*, username, full_name, town, password_hash):
    """A demo login with the demo password (hashed once for all of them, as the org demo does)."""
    from django.contrib.auth import get_user_model

    from audit.services import record

    user = get_user_model().objects.create(username=username, full_name=full_name, town=town, password=password_hash,
                                           password_changed_at=timezone.now())
    record(action="accounts.user_create", obj=user, town=town, after={"username": username, "full_name": full_name,
                                                                     "town": town.pk})
    return user


def _logins(town, posts, grids, stdout):
    """Logins for the post holders who handle events and for each grid's full-time worker."""
    from django.contrib.auth.hashers import make_password

    from access.services import role_grant
    from org import services as org_services
    from org.models import GridAssignment, GridRole

    password_hash = make_password(DEMO_PASSWORD)
    handlers, workers = {}, {}
    for code, position in posts.items():
        staff = position.primary_holder
        if staff is None:
            continue
        if staff.user_id is None:
            user = _login(username=f"post_{code}", full_name=staff.name, town=town, password_hash=password_hash)
            role_grant(user=user, role=Role.POST_HOLDER, actor=None)
            org_services.staff_update(staff=staff, actor=None, user=user)
            staff.refresh_from_db()
        handlers[code] = staff.user
    for a in (GridAssignment.objects.filter(town=town, role=GridRole.GRID_WORKER_FULLTIME)
              .select_related("staff", "grid").order_by("grid__code")):
        staff = a.staff
        if staff.user_id is None:
            user = _login(username=f"grid_{a.grid.code.lower().replace('-', '_')}", full_name=staff.name, town=town,
                          password_hash=password_hash)
            role_grant(user=user, role=Role.GRID_WORKER, actor=None, grid=a.grid)
            org_services.staff_update(staff=staff, actor=None, user=user)
            staff.refresh_from_db()
        workers[a.grid_id] = staff.user
    if stdout is not None:
        stdout.write(f"  events: {len(handlers)} 个承办岗位账号（post_<岗位代码>）、{len(workers)} 个网格员账号"
                     f"（grid_<网格编码>），密码同演示密码\n")
    return handlers, workers


def build(*, town, users, rng, stdout=None):
    from org.models import Grid, Position

    from . import services
    from .models import Channel, Event, EventStatus

    dispatcher, leader = users["dispatcher"], users["leader"]
    posts = {p.code: p for p in Position.objects.filter(town=town).select_related(
        "sector", "primary_holder", "backup_holder")}
    grids = list(Grid.objects.filter(town=town, active=True).select_related("village").order_by("code"))
    if not grids or not posts:
        if stdout is not None:
            stdout.write("  events: 演示镇缺少网格或岗位，跳过\n")
        return
    now = timezone.now()
    year_ago = now - dt.timedelta(days=365)
    handlers, workers = _logins(town, {c: p for c, p in posts.items()
                                       if c in {leaf[2] for _p, _n, leaves in CATEGORIES for leaf in leaves}},
                                grids, stdout)
    workers.setdefault(grids[0].pk, users["grid_worker"])

    # --- configuration: categories, routing rules, 网格准入事项, an Open311 key ----------------------------
    with clock(year_ago - dt.timedelta(days=5)):
        leaves = []
        for p_index, (p_code, p_name, children) in enumerate(CATEGORIES):
            parent = services.category_create(town=town, actor=dispatcher, code=p_code, name=p_name, order=p_index)
            for c_index, (code, name, post, (ack, disp, handle), spot, public, prio, weight) in enumerate(children):
                cat = services.category_create(
                    town=town, actor=dispatcher, parent=parent, code=code, name=name, order=c_index,
                    sla_ack_hours=ack, sla_dispatch_hours=disp, sla_handle_hours=handle, spot_settleable=spot,
                    public=public, default_priority=prio, description=f"{p_name}类：{name}")
                position = posts.get(post)
                if position is not None:
                    services.routing_rule_set(town=town, category=cat, sector=position.sector, position=position,
                                              actor=dispatcher)
                leaves.append((cat, position, weight))
        # Disputes in the two communities go to the comprehensive-governance post first (a village-level rule).
        from org.models import Village

        community = Village.objects.filter(town=town, kind="community").order_by("code").first()
        dispute = next(c for c, _p, _w in leaves if c.code == "dispute")
        if community is not None and "comprehensive_governance" in posts:
            gov = posts["comprehensive_governance"]
            services.routing_rule_set(town=town, category=dispute, sector=gov.sector, position=gov, village=community,
                                      actor=dispatcher, note="社区矛盾先由综治岗统筹")
        task_types = {}
        for order, (code, name, basis, admitted) in enumerate([
            ("dispute_screening", "矛盾纠纷排查", "两排查两整治专项行动方案", True),
            ("security_screening", "治安隐患排查", "两排查两整治专项行动方案", True),
            ("road_screening", "道路交通安全隐患排查", "道路交通安全专项整治方案：每月1次全面排查", True),
            ("base_data", "一标三实信息采集", "网格化服务管理规定", True),
            ("key_visits", "重点人员走访", "平安建设工作要求", True),
            ("flood_patrol", "防汛地灾巡查", "汛期工作方案", True),
            ("investment", "招商引资任务", "不属于网格职责", False),
            ("fee_collection", "代收各类费用", "不属于网格职责", False),
        ]):
            task_types[code] = services.grid_task_type_save(town=town, actor=dispatcher, code=code, name=name,
                                                            basis=basis, admitted=admitted, order=order)
        _key, raw_key = services.apikey_create(town=town, name="12345政务服务便民热线", actor=dispatcher)

    # --- a year of events, replayed in time order ----------------------------------------------------------
    weights = [w for _c, _p, w in leaves]
    plans = []
    for i in range(EVENTS_PER_YEAR):
        cat, position, _w = rng.choices(leaves, weights=weights)[0]
        day = rng.random() ** 0.9 * 365  # a little denser towards now
        t0 = now - dt.timedelta(days=day)
        t0 = timezone.localtime(t0).replace(hour=rng.randint(7, 19), minute=rng.randint(0, 59),
                                            second=rng.randint(0, 59))
        if t0 >= now:
            t0 = now - dt.timedelta(minutes=rng.randint(30, 600))
        grid = rng.choice(grids)
        channel = rng.choices([Channel.GRID_WORKER, Channel.PORTAL, Channel.HOTLINE, Channel.ENTERPRISE,
                               Channel.DISTRICT, Channel.OPEN311], weights=[55, 16, 14, 0, 5, 10])[0]
        if cat.code == "enterprise_appeal":
            channel = Channel.ENTERPRISE
        plans.append(_plan(i, t0, cat, position, grid, channel, rng, now))
    steps = sorted(((when, i, k) for i, p in enumerate(plans) for k, (when, _a) in enumerate(p["steps"])
                    if when < now), key=lambda s: (s[0], s[1], s[2]))
    from org.models import Enterprise

    enterprises = list(Enterprise.objects.filter(town=town, active=True).select_related("liaison"))
    events: dict[int, Event] = {}
    for when, i, k in steps:
        p = plans[i]
        action = p["steps"][k][1]
        with clock(when):
            if k == 0:
                events[i] = _report(services, town, p, workers, dispatcher, enterprises, rng)
                continue
            event = events.get(i)  # the same instance all along: the services keep it up to date
            if event is None:
                continue
            _step(services, event, action, p, dispatcher, leader, handlers, workers, rng)

    # --- campaigns, screening, joint operations, road hazards ---------------------------------------------
    start = (now - dt.timedelta(days=364)).date().replace(day=1)
    end = now.date()
    with clock(year_ago):
        from .models import Category as Cat

        cats = {c.code: c for c in Cat.objects.filter(town=town)}
        twin = services.campaign_create(
            town=town, actor=dispatcher, code="two_screenings", name="“两排查两整治”专项行动", start_date=start,
            end_date=end + dt.timedelta(days=30), sector=posts["comprehensive_governance"].sector,
            scope="全镇16个网格：排查调处矛盾纠纷、排查整治治安问题",
            targets="全年零重大矛盾纠纷事件；矛盾纠纷排查调处率100%", categories=[cats["dispute"],
                                                                            cats["public_order"]])
        road = services.campaign_create(
            town=town, actor=dispatcher, code="road_safety", name="道路交通安全和运输执法领域突出问题专项整治",
            start_date=start, end_date=end + dt.timedelta(days=30), sector=posts["work_safety"].sector,
            scope="镇村道路、临水临崖路段、场镇及学校周边；过往车辆定期巡查、随机抽查",
            targets="每月1次全面排查；交安联合执法行动不少于30次；整治道路交通隐患30处；杜绝逐利执法",
            target_operations=31, target_hazards=30, categories=[cats["road_safety"]])
    month = start
    month_index = 0
    while month <= end:
        first = timezone.make_aware(dt.datetime.combine(month, dt.time(9, 0)))
        for campaign, ttype, title in ((twin, task_types["dispute_screening"], "矛盾纠纷和治安问题月度排查"),
                                       (road, task_types["road_screening"], "道路交通安全隐患月度全面排查")):
            with clock(first):
                plan = services.screening_plan_create(town=town, month=month, title=title, campaign=campaign,
                                                      task_type=ttype, actor=dispatcher)
            for task in plan.tasks.select_related("grid"):
                done_at = first + dt.timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 6))
                if done_at >= now or (month_index % 5 == 4 and rng.random() < 0.15):
                    continue
                with clock(done_at):
                    services.screening_task_complete(
                        task=task, actor=workers.get(task.grid_id) or dispatcher,
                        places_checked=rng.randint(8, 30), issues_found=rng.choice([0, 0, 0, 1, 1, 2]),
                        note="已完成本月排查")
        month = (month + dt.timedelta(days=32)).replace(day=1)
        month_index += 1

    # 31 joint traffic-safety operations across the year; 33 road hazards, 30 of them rectified and verified.
    op_days = sorted(rng.sample(range(8, 360), 31), reverse=True)
    hazard_no = 0
    for n, days_ago in enumerate(op_days):
        when = (now - dt.timedelta(days=days_ago)).replace(hour=9, minute=30)
        with clock(when):
            op = services.operation_record(
                town=town, actor=dispatcher, campaign=road, date=timezone.localdate(),
                title=f"交安联合执法行动（第{n + 1}次）", location=rng.choice(ROADS),
                units="\n".join(rng.sample(UNITS, 3)), leader="镇安全生产岗负责人", staff_count=rng.randint(6, 14),
                vehicles_checked=rng.randint(20, 80), places_checked=rng.randint(0, 6),
                violations=rng.randint(0, 6), hazards_found=1 if n < 29 else 2,
                follow_ups="对查处的违法行为依法处理；发现的隐患登记入隐患台账限期整改")
        found = 1 if n < 29 else 2
        for _h in range(found):
            hazard_no += 1
            grid = rng.choice(grids)
            lat, lng = _point_in(grid, rng)
            with clock(when + dt.timedelta(hours=2)):
                hazard = services.hazard_report(
                    town=town, actor=dispatcher, title=rng.choice(["急弯路段缺少警示标志", "临水路段护栏缺失",
                                                                   "路面沉陷", "交叉路口视距不良",
                                                                   "学校周边缺少减速设施"]),
                    kind="road", description="联合执法行动中发现的道路交通安全隐患", grid=grid,
                    location=rng.choice(ROADS), lat=lat, lng=lng, campaign=road, operation=op,
                    photos=[_photo(rng, "before.png")])
            deadline_days = rng.randint(7, 30)
            rect_days = rng.randint(3, deadline_days)
            timeline = [
                (when + dt.timedelta(days=1), "order"),
                (when + dt.timedelta(days=2), "start"),
                (when + dt.timedelta(days=1 + rect_days), "rectified"),
                (when + dt.timedelta(days=3 + rect_days), "verify"),
            ]
            if hazard_no > 30:
                timeline = timeline[:2]  # the last ones are still being rectified
            for at, act in timeline:
                if at >= now:
                    break
                with clock(at):
                    data = {}
                    if act == "order":
                        data = {"deadline": (when + dt.timedelta(days=deadline_days)).date(),
                                "responsible": "镇规划建设岗、村委会", "measures": "设置警示标志、修复护栏"}
                    services.hazard_transition(
                        hazard=hazard, action=act, actor=dispatcher, data=data,
                        photos=[_photo(rng, "after.png")] if act == "rectified" else ())
    # A few hazards found by grid workers, not yet rectified.
    for _n in range(3):
        grid = rng.choice(grids)
        with clock(now - dt.timedelta(days=rng.randint(1, 6))):
            services.hazard_report(town=town, actor=workers.get(grid.pk) or dispatcher, title="村道边坡松动",
                                   kind="geology", description="雨后边坡有落石，需要清理加固", grid=grid,
                                   location=rng.choice(ROADS))

    _duty_roster(services, town, dispatcher, leader, now)
    services.scan_overdue()  # today's overdue crossings, as the scheduler would record them

    # Demo inboxes start read: the year's notifications are history, not today's work.
    def read_history():
        from notify.models import Notification

        Notification.objects.filter(town=town).update(read_at=timezone.now())

    transaction.on_commit(read_history)
    if stdout is not None:
        counts = {s: Event.objects.filter(town=town, status=s).count() for s in EventStatus.values}
        stdout.write(f"  events: {sum(counts.values())} 件事件（在办 "
                     f"{sum(v for k, v in counts.items() if k not in ('closed', 'rejected'))}），"
                     f"31 次交安联合执法，30 处道路隐患整改销号；Open311 演示密钥：{raw_key}\n")


def _duty_roster(services, town, dispatcher, leader, now):
    """This month and next: the town's leaders take turns as duty leader, the dispatchers and sector leads as
    deputies; the last two days of next month are left unplanned (the board then says 今日未排班 on them)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(town=town, is_active=True)
    leaders = list(users.filter(grants__role="leader").distinct().order_by("username")) or [leader]
    deputies = list(users.filter(grants__role__in=["dispatcher", "sector_lead"]).exclude(
        pk__in=[u.pk for u in leaders]).distinct().order_by("username")) or [dispatcher]
    first = timezone.localtime(now).date().replace(day=1)
    end = (first + dt.timedelta(days=62)).replace(day=1) - dt.timedelta(days=3)
    day, n = first, 0
    while day <= end:
        services.duty_shift_set(town=town, date=day, leader=leaders[n % len(leaders)],
                                deputy=deputies[n % len(deputies)], actor=dispatcher,
                                note="节假日带班" if day.weekday() >= 5 else "")
        day, n = day + dt.timedelta(days=1), n + 1


def _plan(i, t0, cat, position, grid, channel, rng, now):
    """The life of one event: a list of (time, action). Recent events are caught mid-way."""
    plan = _life(i, t0, cat, position, grid, channel, rng)
    age = now - t0
    if age < dt.timedelta(days=21) and rng.random() < 0.85 and len(plan["steps"]) > 1:
        del plan["steps"][rng.randint(1, min(len(plan["steps"]) - 1, 5)):]
    elif plan["late"] and age < dt.timedelta(days=30) and rng.random() < 0.5:
        cut = next((k for k, (_t, a) in enumerate(plan["steps"]) if a == "resolve"), None)
        if cut is not None:
            del plan["steps"][cut:]  # overdue and still being handled
    return plan


def _life(i, t0, cat, position, grid, channel, rng):
    h = dt.timedelta(hours=1)
    steps = [(t0, "report")]
    urgent = cat.default_priority == "high" or rng.random() < 0.02
    t = t0
    roll = rng.random()
    settle = channel == "grid_worker" and cat.spot_settleable and roll < 0.45
    plan = {"i": i, "t0": t0, "category": cat, "position": position, "grid": grid, "channel": channel,
            "urgent": urgent, "settle_level": None, "steps": steps, "late": rng.random() < 0.12}
    if settle:
        if rng.random() < 0.3:
            t += rng.uniform(2, 20) * h
            steps.append((t, "escalate_village"))
        t += rng.uniform(0.5, 24) * h
        steps.append((t, "settle"))
    elif roll > 0.97:
        t += rng.uniform(0.5, 3) * h
        steps.append((t, "reject"))
        return plan
    else:
        t += rng.uniform(0.2, cat.sla_ack_hours * (3 if plan["late"] else 0.9)) * h
        steps.append((t, "accept"))
        if rng.random() < 0.03:
            t += rng.uniform(1, 6) * h
            steps.append((t, "transfer"))
            t += rng.uniform(48, 240) * h
            steps.append((t, "answer"))
        else:
            t += rng.uniform(0.2, max(0.3, cat.sla_dispatch_hours - cat.sla_ack_hours)) * h
            steps.append((t, "dispatch"))
            if rng.random() < 0.05:
                t += rng.uniform(1, 8) * h
                steps.append((t, "return"))
                t += rng.uniform(0.5, 4) * h
                steps.append((t, "redispatch_after_return"))
            t += rng.uniform(0.5, 12) * h
            steps.append((t, "start"))
            if plan["late"] and rng.random() < 0.5:
                t += cat.sla_handle_hours * 0.8 * h
                steps.append((t, "supervise"))
            handle = cat.sla_handle_hours * (rng.uniform(1.1, 2.5) if plan["late"] else rng.uniform(0.1, 0.9))
            t += handle * h
            steps.append((t, "resolve"))
    t += rng.uniform(1, 24) * h
    steps.append((t, "verify"))
    t += rng.uniform(0.1, 24) * h
    steps.append((t, "close"))
    if channel in ("portal", "hotline", "enterprise", "open311") and rng.random() < 0.7:
        t += rng.uniform(2, 72) * h
        rating = rng.choices([5, 4, 3, 2, 1], weights=[62, 24, 8, 4, 2])[0]
        steps.append((t, f"rate:{rating}"))
        if rating <= 2:
            t += rng.uniform(1, 8) * h
            steps.append((t, "redispatch_after_reopen"))
            t += rng.uniform(4, 48) * h
            steps.append((t, "resolve"))
            t += rng.uniform(1, 12) * h
            steps.append((t, "verify"))
            t += rng.uniform(0.1, 12) * h
            steps.append((t, "close"))
    return plan


REPORTERS = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def _report(services, town, p, workers, dispatcher, enterprises, rng):
    cat, grid, channel = p["category"], p["grid"], p["channel"]
    lat, lng = _point_in(grid, rng)
    title = rng.choice(TITLES.get(cat.code, [cat.name]))
    actor = workers.get(grid.pk) if channel == "grid_worker" else dispatcher
    if channel == "grid_worker" and actor is None:
        channel = "centre"
        actor = dispatcher
    if channel in ("portal", "open311"):
        actor = None
    enterprise = None
    if channel == "enterprise" and enterprises:
        enterprise = rng.choice(enterprises)
        actor = None
    phone = f"1390000{rng.randint(0, 9999):04d}" if channel != "grid_worker" else ""
    name = rng.choice(REPORTERS) + "某" if channel in ("hotline", "district") else ""
    photos = [_photo(rng)] if channel in ("grid_worker", "portal") and rng.random() < 0.15 else ()
    return services.event_report(
        town=town, category=cat, title=title, description=f"{grid.village.name}{grid.name}：{title}。", channel=channel,
        actor=actor, lat=lat, lng=lng, address=f"{grid.village.name}{rng.randint(1, 9)}组", reporter_name=name,
        reporter_phone=phone, urgent=p["urgent"], photos=photos, enterprise=enterprise, reported_at=timezone.now())


def _step(services, event, action, p, dispatcher, leader, handlers, workers, rng):
    from django.core.exceptions import PermissionDenied

    from core.errors import DomainError

    position = p["position"] or event.position
    handler = handlers.get(position.code) if position is not None else None
    worker = workers.get(event.grid_id) if event.grid_id else None
    try:
        if action == "escalate_village":
            services.event_escalate(event=event, to_level="village", reason="需村(社区)两委协调", actor=worker)
        elif action == "settle":
            services.event_transition(event=event, action="settle", actor=worker,
                                      data={"result": rng.choice(RESULTS)})
        elif action == "reject":
            services.event_transition(event=event, action="reject", actor=dispatcher,
                                      reason="重复上报，已并入同一事件办理")
        elif action == "accept":
            services.event_transition(event=event, action="accept", actor=dispatcher)
        elif action in ("dispatch", "redispatch_after_return", "redispatch_after_reopen"):
            if position is None:
                return
            services.event_transition(event=event, action="dispatch", actor=dispatcher,
                                      data={"sector": position.sector, "position": position,
                                            "kind": "vertical" if position.code.startswith("enf_") else "internal"})
        elif action == "return":
            services.event_transition(event=event, action="return", actor=handler, reason="需其他岗位配合，请中心协调")
        elif action == "start":
            services.event_transition(event=event, action="start", actor=handler)
        elif action == "supervise":
            services.event_supervise(event=event, instruction="超时未办结，请加快办理并反馈", actor=leader)
        elif action == "resolve":
            services.event_transition(event=event, action="resolve", actor=handler,
                                      data={"result": rng.choice(RESULTS)})
        elif action == "transfer":
            services.event_transition(event=event, action="transfer", actor=dispatcher, reason="超出镇级职权",
                                      data={"department": rng.choice(["区交通运输委", "区生态环境局", "区水利局"])})
        elif action == "answer":
            services.event_transition(event=event, action="answer", actor=dispatcher,
                                      data={"result": "区级部门已答复并处理完毕"})
        elif action == "verify":
            services.event_transition(event=event, action="verify", actor=dispatcher)
        elif action == "close":
            services.event_transition(event=event, action="close", actor=dispatcher)
        elif action.startswith("rate:"):
            services.event_rate(event=event, rating=int(action[5:]),
                                comment="" if int(action[5:]) > 2 else "问题没有彻底解决")
    except (DomainError, PermissionDenied):
        # A step the life plan could not take (e.g. a handler post without a login): the event stays where it is.
        return
