# ruff: noqa: E501  (the powers-list data table reads best one matter per line)
"""The demo town's 综合行政执法: a powers list of 40 matters (法定 + 赋权 + 委托 + 派驻), 13 officers all trained
and passed (the report: 13 trained, 100%), a qualified legal reviewer, and a year of 27 cases built through the
services, replaying each step at the time it "happened". Everything is fictional; phones are 1390000xxxx and
ID numbers are made up.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

ORDER = 40
CASES = 27
OFFICERS = 13
INSTALMENT_CASE = 10  # an ordinary case whose fine is paid in two instalments

# (area, [(name, law, article, kinds, fine_min, fine_max, summary)]); sources cycle through the report's reform
MATTERS = [
    ("安全生产", [
        ("对生产经营单位未按规定开展安全生产教育培训的处罚", "安全生产法", "第九十七条", "责令改正、罚款", 0, 100000, False),
        ("对未按规定设置安全警示标志的处罚", "安全生产法", "第九十九条", "责令改正、罚款", 0, 50000, False),
        ("对小型经营场所堵塞消防通道的处罚", "消防法", "第六十条", "责令改正、罚款", 5000, 50000, False),
        ("对个人占用、堵塞疏散通道的处罚", "消防法", "第六十条第二款", "警告、罚款", 0, 500, True),
        ("对违规储存烟花爆竹的处罚", "烟花爆竹安全管理条例", "第四十条", "责令改正、罚款", 0, 5000, True),
        ("对擅自经营燃气的处罚", "城镇燃气管理条例", "第四十五条", "责令停止、罚款", 50000, 500000, False),
        ("对未落实有限空间作业安全措施的处罚", "工贸企业有限空间作业安全规定", "第二十四条", "警告、罚款", 0, 30000, False),
        ("对农村自建房经营未进行安全评估的处罚", "重庆市安全生产条例", "第七十条", "责令改正、罚款", 2000, 20000, False),
    ]),
    ("人居环境", [
        ("对随意倾倒、抛撒生活垃圾的处罚", "城市市容和环境卫生管理条例", "第三十四条", "警告、罚款", 50, 200, True),
        ("对擅自占用道路摆摊设点的处罚", "重庆市市容环境卫生管理条例", "第六十五条", "警告、罚款", 50, 500, True),
        ("对擅自设置户外广告的处罚", "重庆市市容环境卫生管理条例", "第六十二条", "责令改正、罚款", 1000, 10000, False),
        ("对焚烧秸秆、垃圾污染环境的处罚", "大气污染防治法", "第一百一十九条", "责令改正、罚款", 500, 2000, True),
        ("对畜禽养殖污染未处理的处罚", "畜禽规模养殖污染防治条例", "第四十条", "责令改正、罚款", 2000, 50000, False),
        ("对建筑垃圾随意倾倒的处罚", "城市建筑垃圾管理规定", "第二十六条", "责令改正、罚款", 5000, 50000, False),
        ("对餐饮油烟直排的处罚", "大气污染防治法", "第一百一十八条", "责令改正、罚款", 5000, 50000, False),
        ("对在公共场所乱张贴的处罚", "城市市容和环境卫生管理条例", "第三十四条", "责令清除、罚款", 20, 200, True),
        ("对未按规定分类投放生活垃圾的处罚", "重庆市生活垃圾管理条例", "第六十四条", "警告、罚款", 50, 200, True),
        ("对擅自砍伐城镇树木的处罚", "城市绿化条例", "第二十六条", "责令停止、罚款", 500, 5000, False),
    ]),
    ("交通运输", [
        ("对在公路上堆放物品的处罚", "公路法", "第七十七条", "责令停止、罚款", 0, 5000, True),
        ("对擅自占用、挖掘农村公路的处罚", "公路法", "第七十六条", "责令停止、罚款", 0, 30000, False),
        ("对在公路用地范围内设置广告的处罚", "公路法", "第七十九条", "责令限期拆除、罚款", 0, 20000, False),
        ("对农村客运车辆超员的处罚", "重庆市道路运输管理条例", "第八十一条", "警告、罚款", 200, 2000, True),
        ("对未取得许可从事水路运输的处罚", "国内水路运输管理条例", "第三十三条", "责令停止、罚款", 30000, 150000, False),
        ("对擅自在公路上设置平交道口的处罚", "公路安全保护条例", "第六十二条", "责令恢复原状、罚款", 0, 50000, False),
        ("对渡船未按规定配员的处罚", "内河交通安全管理条例", "第六十八条", "责令改正、罚款", 1000, 10000, False),
        ("对货车装载物遗洒公路的处罚", "公路安全保护条例", "第六十九条", "责令改正、罚款", 0, 5000, True),
    ]),
    ("自然资源", [
        ("对非法占用耕地建房的处罚", "土地管理法", "第七十八条", "责令退还、拆除", 0, 0, False),
        ("对未经批准临时用地的处罚", "土地管理法实施条例", "第五十七条", "责令限期改正、罚款", 1000, 30000, False),
        ("对乡村建设规划许可违法建设的处罚", "城乡规划法", "第六十五条", "责令停止建设、限期改正", 0, 0, False),
        ("对破坏永久基本农田的处罚", "基本农田保护条例", "第三十三条", "责令改正、罚款", 1000, 20000, False),
        ("对非法采砂的处罚", "重庆市河道采砂管理办法", "第三十一条", "没收违法所得、罚款", 10000, 100000, False),
        ("对擅自开采零星矿产的处罚", "矿产资源法", "第三十九条", "责令停止、罚款", 5000, 50000, False),
        ("对滥伐林木的处罚", "森林法", "第七十六条", "责令补种、罚款", 1000, 30000, False),
        ("对野外违规用火的处罚", "森林防火条例", "第五十条", "警告、罚款", 200, 3000, True),
    ]),
    ("市场与文旅", [
        ("对未亮照经营的处罚", "市场主体登记管理条例", "第四十八条", "责令改正、罚款", 0, 3000, True),
        ("对食品摊贩未取得登记卡经营的处罚", "重庆市食品生产加工小作坊和食品摊贩管理条例", "第五十三条", "责令改正、罚款", 500, 2000, True),
        ("对网吧接纳未成年人的处罚", "互联网上网服务营业场所管理条例", "第三十一条", "警告、罚款", 0, 15000, False),
        ("对违规燃放烟花爆竹的处罚", "烟花爆竹安全管理条例", "第四十二条", "警告、罚款", 100, 500, True),
        ("对擅自举办大型群众性活动的处罚", "大型群众性活动安全管理条例", "第二十条", "责令停止、罚款", 100000, 300000, False),
        ("对养犬未拴绳的处罚", "重庆市养犬管理暂行办法", "第三十九条", "警告、罚款", 50, 200, True),
    ]),
]
SOURCES = ["delegated", "delegated", "statutory", "entrusted", "delegated", "seconded"]
DOCUMENTS = {
    "delegated": "重庆市人民政府关于赋予乡镇（街道）部分县级行政执法权的决定（渝府发〔2023〕18号）",
    "entrusted": "区城市管理局行政执法委托书（区城管委〔2024〕3号）",
    "seconded": "区综合行政执法支队派驻执法人员通知（区执法〔2024〕5号）",
    "statutory": "",
}
BODIES = {"entrusted": "区城市管理局", "seconded": "区综合行政执法支队"}
SURNAMES = "陈刘杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
GIVEN = ["建国", "秀英", "志强", "丽华", "明", "芳", "俊杰", "桂兰", "海燕", "国平", "小红", "永福", "德明"]
SHOPS = ["顺发建材经营部", "老街火锅店", "鑫源砂石场", "平安货运有限公司", "乡味农家乐", "惠民超市", "青山养殖场"]


@contextmanager
def clock(when):
    """Run services as if it were ``when`` (the demo replays a year)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def _at(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _jpeg(n: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"photo-{n}.jpg", b"\xff\xd8\xff\xe0" + bytes(f"demo photo {n}", "ascii") * 8,
                              content_type="image/jpeg")


def _latest_notice(hearing_day):
    from clocks import registry
    from clocks import services as clock_services
    from clocks.calendar import DbCalendar

    rule = registry.get_clock_rule("penalty.hearing.notice")
    return clock_services.compute_rule(rule, start=hearing_day, calendar=DbCalendar()).due_date


def _act(matter) -> str:
    return matter.name.replace("对", "", 1).replace("的处罚", "")


def build(*, town, users, rng, stdout=None):
    from . import services
    from .models import EvidenceKind, Outcome, PartyKind, PowerSource

    leader, officer_user = users.get("leader"), users.get("enforcement_officer")
    reviewer_user = users.get("legal_reviewer")
    if leader is None or officer_user is None or reviewer_user is None:
        if stdout is not None:
            stdout.write("  enforcement: 演示镇缺少执法人员、法制审核人员或镇领导账号，跳过\n")
        return
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)

    # --- powers list, officers, reviewer, training ---------------------------------------------------
    matters = []
    with clock(_at(start - dt.timedelta(days=20))):
        index = 0
        for area, items in MATTERS:
            for name, law, article, kinds, low, high, summary in items:
                source = SOURCES[index % len(SOURCES)]
                index += 1
                ranges = []
                if high:
                    mid = (Decimal(low) + Decimal(high)) / 2
                    ranges = [{"circumstance": "初次违法、及时改正、危害轻微", "range": "不予处罚或警告"},
                              {"circumstance": "一般情节", "range": f"罚款{low}元至{mid:.0f}元"},
                              {"circumstance": "情节严重或拒不改正", "range": f"罚款{mid:.0f}元至{high}元"}]
                matters.append(services.matter_create(
                    town=town, actor=leader, code=f"ZF{index:03d}", name=name, category="penalty", area=area,
                    source=source, source_document=DOCUMENTS[source], acting_body=BODIES.get(source, ""), law=law,
                    article=article, basis_text=f"《{law}》{article}", penalty_kinds=kinds,
                    fine_min=low or None, fine_max=high or None, discretion=ranges, summary_allowed=summary,
                    responsible_post="enf_casework" if source != PowerSource.SECONDED else "enf_seconded",
                    checklist="核对执法事项与权力来源\n两名以上持证执法人员到场并出示证件\n制作现场检查笔录、拍照取证\n"
                              "询问当事人并制作笔录\n责令改正并复查"))
        services.reviewer_set(town=town, user=reviewer_user, name=reviewer_user.display_name or "法制审核员",
                              qualification_number="A20190500101", actor=leader)
        officers = []
        for n in range(OFFICERS):
            name = SURNAMES[(n * 7) % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
            post = ["enf_dispatch", "enf_casework", "enf_casework", "enf_assist", "enf_seconded"][n % 5]
            officers.append(services.officer_create(
                town=town, actor=leader, name=name, credential=f"50015{n + 1:07d}", credential_scope="综合行政执法",
                valid_from=start - dt.timedelta(days=400), valid_until=today + dt.timedelta(days=900), post=post,
                user=officer_user if n == 0 else None))
    with clock(_at(start + dt.timedelta(days=60))):
        for officer in officers:
            services.training_record(officer=officer, year=(start + dt.timedelta(days=60)).year,
                                     hours=Decimal(rng.choice([40, 48, 56, 60])), exam_score=rng.randint(78, 98),
                                     passed=True, actor=leader)
    if today.year != (start + dt.timedelta(days=60)).year:
        with clock(_at(today - dt.timedelta(days=5))):
            for officer in officers:
                services.training_record(officer=officer, year=today.year, hours=Decimal(rng.choice([24, 32, 40])),
                                         exam_score=rng.randint(80, 99), passed=True, actor=leader)

    # --- a year of cases ------------------------------------------------------------------------------
    summary_matters = [m for m in matters if m.summary_allowed]
    ordinary_matters = [m for m in matters if m.fine_max]
    from org.models import Enterprise

    # the 27 records of the report: one of them comes from a random-inspection finding (below)
    total = CASES - (1 if Enterprise.objects.filter(town=town, active=True).count() >= 2 else 0)
    built = 0
    for n in range(total):
        day = start + dt.timedelta(days=10 + n * 12)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        pair = rng.sample(officers, 2)
        person = n % 3 != 0
        name = (SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 5) % len(GIVEN)]) if person else SHOPS[n % len(SHOPS)]
        party = {"party_kind": PartyKind.PERSON if person else PartyKind.ORG, "party_name": name,
                 "party_id_number": f"500233198001{n % 28 + 1:02d}{n:03d}X" if person else f"91500233MA{n:04d}XY1",
                 "party_phone": f"1390000{n:04d}", "party_address": f"和平村{n % 6 + 1}组{n + 3}号"}
        if n % 4 == 0:  # summary procedure: on-the-spot decisions within the thresholds
            matter = summary_matters[n % len(summary_matters)]
            fine = Decimal(rng.choice([50, 100, 200]))
            with clock(_at(day)):
                case = services.case_summary_decide(
                    town=town, matter=matter, actor=officer_user, facts=f"{_act(matter)}，执法人员现场查实。",
                    penalty_text=f"罚款{fine}元", fine=fine, officers=pair, place=f"和平村{n % 6 + 1}组", on_date=day,
                    **party)
                services.case_serve(case=case, method="direct", served_on=day, actor=officer_user)
            with clock(_at(day + dt.timedelta(days=1))):
                services.case_fire(case=case, action="file_with_agency", actor=officer_user)
            with clock(_at(day + dt.timedelta(days=3))):
                services.payment_record(case=case, paid_on=day + dt.timedelta(days=3), amount=fine,
                                        actor=officer_user)
                services.case_close(case=case, summary="当场处罚已备案，罚款已通过银行缴纳。", actor=leader)
            built += 1
            continue
        matter = ordinary_matters[n % len(ordinary_matters)]
        complex_case = n in (5, 13, 22)
        fine = Decimal(min(int(matter.fine_max), rng.choice([500, 1000, 2000, 3000, 6000])))
        hearing = fine >= (Decimal(50000) if not person else Decimal(5000))
        stage_limit = None if n < total - 4 else ["filed", "investigating", "notice", "decided"][total - 1 - n]
        with clock(_at(day)):
            case = services.case_open(town=town, matter=matter, actor=officer_user, officers=pair,
                                      facts=f"群众反映并经巡查发现，当事人存在{_act(matter)}的行为。",
                                      place=f"和平村{n % 6 + 1}组", act_date=day - dt.timedelta(days=2),
                                      source=rng.choice(["inspection", "complaint", "random"]),
                                      complex_case=complex_case, serious_violation=complex_case, on_date=day,
                                      **party)
            services.case_file(case=case, actor=leader, reason="符合立案条件", on_date=day)
        if stage_limit == "filed":
            built += 1
            continue
        d2 = day + dt.timedelta(days=2)
        with clock(_at(d2)):
            services.case_fire(case=case, action="investigate", actor=officer_user, on_date=d2)
            services.evidence_add(case=case, kind=EvidenceKind.INSPECTION_RECORD, title="现场检查（勘验）笔录",
                                  description="执法人员出示执法证件后进行现场检查，当事人在场。", officers=pair,
                                  credentials_shown=True, actor=officer_user, on_date=d2)
            services.evidence_add(case=case, kind=EvidenceKind.PHOTO, title="现场照片", upload=_jpeg(n),
                                  device="执法记录仪 ZF-0" + str(n % 5 + 1), actor=officer_user, on_date=d2)
            services.evidence_add(case=case, kind=EvidenceKind.INTERVIEW_RECORD, title="询问笔录",
                                  description="告知当事人权利义务，当事人如实陈述。", officers=pair,
                                  credentials_shown=True, actor=officer_user, on_date=d2)
        if stage_limit == "investigating":
            built += 1
            continue
        d3 = day + dt.timedelta(days=9)
        with clock(_at(d3)):
            services.case_fire(case=case, action="close_investigation", actor=officer_user, on_date=d3)
            services.notice_serve(case=case, proposed_penalty=f"罚款{fine}元", proposed_fine=fine,
                                  hearing_offered=hearing, actor=officer_user, on_date=d3)
        if stage_limit == "notice":
            built += 1
            continue
        d4 = d3 + dt.timedelta(days=10)
        if hearing:
            requested, notified = d3 + dt.timedelta(days=2), d3 + dt.timedelta(days=3)
            held = d3 + dt.timedelta(days=20)
            while _latest_notice(held) < notified:
                held += dt.timedelta(days=7)
            with clock(_at(requested)):
                services.hearing_request(case=case, actor=officer_user, on_date=requested)
            with clock(_at(held)):
                services.hearing_hold(case=case, host=reviewer_user, held_on=held, signed=True,
                                      record_text="当事人陈述申辩意见，调查人员出示证据。", actor=officer_user,
                                      notice_date=notified)
            d4 = held + dt.timedelta(days=2)
        if case.legal_review_mandatory or hearing or n % 5 == 1:
            with clock(_at(d4)):
                services.review_submit(case=case, actor=officer_user, on_date=d4)
                services.legal_review_record(case=case, result="passed", actor=reviewer_user, on_date=d4,
                                             opinion="事实清楚、证据确凿、适用依据正确、程序合法、裁量适当。")
            d4 += dt.timedelta(days=1)
        if complex_case:
            with clock(_at(d4)):
                services.discussion_record(case=case, held_on=d4, participants="镇长、分管副镇长、执法大队负责人、法制审核人员",
                                           minutes="承办人汇报案情，法制审核人员发表意见，与会人员讨论。",
                                           conclusion=f"同意给予罚款{fine}元的行政处罚。", dissent="", actor=leader)
            d4 += dt.timedelta(days=1)
        with clock(_at(d4)):
            if n == 9:
                services.case_decide(case=case, outcome=Outcome.NO_PENALTY, first_offence_waiver=True, actor=leader,
                                     on_date=d4, penalty_text="初次违法、危害后果轻微并及时改正，依法不予处罚，已进行教育。")
            else:
                services.case_decide(case=case, outcome=Outcome.PENALTY, penalty_text=f"罚款{fine}元", fine=fine,
                                     correction_ordered=True, party_present=n % 2 == 0, actor=leader, on_date=d4)
        if stage_limit == "decided":
            built += 1
            continue
        d5 = d4 + dt.timedelta(days=1)
        with clock(_at(d5)):
            services.case_serve(case=case, method="direct" if n % 3 else "post", served_on=d5, actor=officer_user)
            if case.outcome == Outcome.PENALTY:
                services.publication_publish(case=case, actor=leader, on_date=d5)
        if case.outcome == Outcome.PENALTY and n == INSTALMENT_CASE:
            paid = _instalments(case, leader, officer_user, d5 + dt.timedelta(days=2))
        elif case.outcome == Outcome.PENALTY:
            paid = d5 + dt.timedelta(days=rng.randint(3, 12))
            with clock(_at(paid)):
                services.payment_record(case=case, paid_on=paid, amount=fine, actor=officer_user)
        else:
            paid = d5
        closed = paid + dt.timedelta(days=3)
        if closed < today:
            with clock(_at(closed)):
                services.case_close(case=case, summary="处罚决定已履行，当事人已改正违法行为，经复查合格。", actor=leader,
                                    on_date=closed)
            if closed + dt.timedelta(days=20) < today:
                with clock(_at(closed + dt.timedelta(days=20))):
                    services.case_fire(case=case, action="archive", actor=leader)
        built += 1
    _workflows(town, leader, officer_user, today)
    plans = _inspections(town, leader, officer_user, matters, today)
    from .models import Case

    if stdout is not None:
        stdout.write(f"  enforcement: {len(matters)} 项执法事项、{len(officers)} 名执法人员（培训考试合格率100%）、"
                     f"{Case.objects.filter(town=town).count()} 件执法案件（其中 {CASES - built} 件来自双随机检查）、"
                     f"{plans} 个双随机检查计划\n")


def _inspections(town, leader, officer_user, matters, today) -> int:
    """Two 双随机 plans over the town's enterprises, drawn from recorded seeds; one finding opens a case."""
    from org.models import Enterprise

    from . import services

    if Enterprise.objects.filter(town=town, active=True).count() < 2:
        return 0
    food = [m for m in matters if m.area in ("人居环境", "安全生产")][:2]
    built = 0
    for index, (title, days_ago, seed) in enumerate([("上半年安全生产双随机抽查", 200, "2f9a1c07"),
                                                     ("下半年人居环境“综合查一次”", 60, "7be4d210")]):
        day = today - dt.timedelta(days=days_ago)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        with clock(_at(day - dt.timedelta(days=7))):
            plan = services.plan_create(town=town, title=title, matters=food, sample_size=3, planned_on=day,
                                        actor=leader, kind="random" if index == 0 else "combined_inspection")
            services.plan_draw(plan=plan, actor=leader, seed=seed)
        with clock(_at(day)):
            for n, inspection in enumerate(plan.inspections.order_by("id")):
                result = "case" if (index, n) == (1, 0) else ("corrected" if n == 1 else "compliant")
                services.inspection_record(inspection=inspection, result=result, actor=officer_user, on_date=day,
                                           findings={"case": "油烟净化设施未运行，油烟直排。",
                                                     "corrected": "消防通道堆放杂物，已当场责令清理。",
                                                     "compliant": "未发现违法违规问题。"}[result])
        built += 1
    return built


def _instalments(case, leader, officer_user, approved: dt.date) -> dt.date:
    """The party applied to pay in two instalments; the head approved; both were paid on their due dates."""
    from . import services

    half = (case.fine / 2).quantize(Decimal("0.01"))
    with clock(_at(approved)):
        rows = services.instalment_approve(case=case, actor=leader, on_date=approved,
                                           instalments=[{"days": 30, "amount": half},
                                                        {"days": 60, "amount": case.fine - half}],
                                           reason="当事人经营困难，申请分两期缴纳，经负责人批准。")
    paid = approved
    for row in rows:
        paid = row.due_date or approved + dt.timedelta(days=row.days)
        with clock(_at(paid)):
            services.instalment_pay(case=case, paid_on=paid, amount=row.amount, actor=officer_user)
    return paid


def _workflows(town, leader, officer_user, today) -> None:
    """On the open cases: a transfer to the public-security organ awaiting its decision, a party's recusal
    application (refused), and two seizures (one released after testing and an extension, one still in force)."""
    from . import services
    from .models import Case, CaseStatus, PowerSource

    filed = Case.objects.filter(town=town, status=CaseStatus.FILED).order_by("id").first()
    if filed is not None:
        day = filed.filed_on + dt.timedelta(days=3)
        with clock(_at(day)):
            transfer = services.transfer_report(case=filed, suspected_offence="非法经营罪", actor=officer_user,
                                                report="经营数额已达追诉标准，涉嫌犯罪，建议移送公安机关。", on_date=day)
        with clock(_at(day + dt.timedelta(days=1))):
            services.transfer_decide(transfer=transfer, approve=True, opinion="同意移送。", actor=leader,
                                     on_date=day + dt.timedelta(days=1))
            services.transfer_send(transfer=transfer, organ="区公安局", actor=officer_user,
                                   on_date=day + dt.timedelta(days=1),
                                   materials="涉嫌犯罪案件移送书\n涉嫌犯罪案件情况的调查报告\n现场检查笔录\n询问笔录\n现场照片")
        with clock(_at(day + dt.timedelta(days=2))):
            services.transfer_receipt(transfer=transfer, receipt_on=day + dt.timedelta(days=2), actor=officer_user)
    case = (Case.objects.filter(town=town, status__in=[CaseStatus.INVESTIGATING, CaseStatus.NOTICE_SERVED])
            .order_by("id").first())
    if case is None:
        return
    officers = list(case.officers.all())
    day = case.filed_on + dt.timedelta(days=3)
    with clock(_at(day)):
        application = services.recusal_apply(case=case, applicant=case.party_name, officers=officers[:1],
                                             grounds="当事人认为该执法人员与举报人系亲属。", actor=officer_user,
                                             received_on=day)
    with clock(_at(day + dt.timedelta(days=1))):
        services.recusal_application_decide(application=application, grant=False, actor=leader,
                                            on_date=day + dt.timedelta(days=1),
                                            reason="经核实，该执法人员与举报人无亲属关系，不属于应当回避的情形。")
    if case.matter.source == PowerSource.ENTRUSTED:
        return
    if not case.matter.coercive_measures_allowed:
        with clock(_at(day)):
            case.matter = services.matter_update(matter=case.matter, actor=leader, coercive_measures_allowed=True,
                                                 reason="该事项的法律依据设定了查封、扣押")
    with clock(_at(day)):
        seized = services.measure_decide(case=case, kind="seize", items="涉案货物20箱\n电子秤1台", place=case.place,
                                         officers=officers, actor=leader, on_date=day)
    with clock(_at(day + dt.timedelta(days=3))):
        services.measure_testing(measure=seized, start=True, reason="送区产品质量检验所检验", actor=officer_user,
                                 on_date=day + dt.timedelta(days=3))
    with clock(_at(day + dt.timedelta(days=10))):
        services.measure_testing(measure=seized, start=False, reason="检验报告已出具", actor=officer_user,
                                 on_date=day + dt.timedelta(days=10))
    with clock(_at(day + dt.timedelta(days=25))):
        services.measure_extend(measure=seized, days=30, reason="涉案货物来源复杂，需进一步核查。", actor=leader)
    end = day + dt.timedelta(days=40)
    if end < today:
        with clock(_at(end)):
            services.measure_end(measure=seized, outcome="released", reason="经检验合格，解除扣押。", actor=leader,
                                 on_date=end)
    with clock(_at(day + dt.timedelta(days=5))):
        services.measure_decide(case=case, kind="seal", items="违法经营场所1处", place=case.place, officers=officers,
                                actor=officer_user, emergency=True, on_date=day + dt.timedelta(days=5))
