"""A year of 矛盾纠纷排查调处 and 信访 in the demo town, built through the services only.

Every step is replayed in time order with the clock set back to the moment it "happened" (``timezone.now``
patched), so records, clocks and audit entries carry their own dates. Figures aimed at the 2023 report
(shared/spec): 80+ disputes resolved, 20+ leads found by screening, a mediation success rate of about 98 %.
Everything is fictional; phone numbers are 1390000xxxx.
"""

from __future__ import annotations

import datetime as dt
import heapq
from contextlib import contextmanager
from itertools import count
from unittest import mock

from django.utils import timezone

ORDER = 30  # after org (0) and events (20): leads come from grid events
DISPUTES = 96
SCREENING_LEADS = 24
EVENT_LEADS = 12
PETITIONS = 30

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰红建国志鹏飞宇晨欣怡婷雪梅琳浩然俊春雨"

# (kind, summary templates, amount range or None)
KINDS = [
    ("neighbour", ["相邻房屋滴水引发争执", "排水沟堵塞致邻居院坝积水", "修建围墙占用公共通道", "饲养家禽扰邻"], None),
    ("family", ["赡养老人费用分担争议", "离婚后子女探望纠纷", "兄弟分家财产争议"], (2000, 30000)),
    ("land", ["承包地边界争议", "林地权属争议", "土地流转租金争议"], (3000, 60000)),
    ("labour", ["务工人员工资拖欠", "工地受伤赔偿争议", "劳务费结算争议"], (5000, 150000)),
    ("damages", ["交通事故损害赔偿", "耕牛损毁庄稼赔偿", "施工损坏房屋赔偿"], (1000, 80000)),
    ("contract", ["农产品收购合同纠纷", "房屋装修合同纠纷"], (5000, 50000)),
    ("property", ["宅基地使用争议", "房屋买卖过户争议"], (10000, 120000)),
]
WEIGHTS = [30, 14, 16, 10, 14, 6, 10]
PETITION_SUBJECTS = [
    ("suggestion", "建议增设村道路灯"), ("suggestion", "建议改造场镇农贸市场"), ("suggestion", "建议增加公交班次"),
    ("accusation", "反映村务公开不及时"), ("accusation", "反映低保评定不公"),
    ("claim", "要求解决征地补偿款"), ("claim", "要求修复灾损房屋"), ("claim", "要求解决农村饮水问题"),
    ("claim", "要求解决拖欠工程款"), ("claim", "相邻通行纠纷请求处理"),
]


@contextmanager
def clock(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


class Timeline:
    """Steps to run in time order: ``at(when, fn)``; a step may schedule later steps."""

    def __init__(self):
        self.heap, self.seq = [], count()

    def at(self, when, fn):
        heapq.heappush(self.heap, (when, next(self.seq), fn))

    def run(self, now):
        while self.heap:
            when, _n, fn = heapq.heappop(self.heap)
            if when > now:
                continue  # the future has not happened yet
            with clock(when):
                fn(when)


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _i in range(rng.choice([1, 2])))


def _phone(rng):
    return f"1390000{rng.randint(0, 9999):04d}"


def build(*, town, users, rng, stdout=None):
    from org.models import Grid, Village

    from . import services
    from .models import Lead

    mediator_user, lead_user = users["post_holder"], users["sector_lead"]
    dispatcher, worker = users["dispatcher"], users["grid_worker"]
    villages = list(Village.objects.filter(town=town, active=True).order_by("code"))
    grids = list(Grid.objects.filter(town=town, active=True).select_related("village").order_by("code"))
    if not villages or not grids:
        if stdout is not None:
            stdout.write("  disputes: 演示镇缺少村或网格，跳过\n")
        return
    now = timezone.now()
    start = now - dt.timedelta(days=365)

    # --- committees and mediators (调解法 Arts 8, 34) -----------------------------------------------------
    committees = {}
    with clock(start - dt.timedelta(days=10)):
        term_start = dt.date(2024, 3, 1)
        term_end = dt.date(2027, 2, 28)
        town_committee = services.committee_save(
            town=town, actor=lead_user, name=f"{town.name}人民调解委员会", level="town", members=7, women_members=2,
            term_start=term_start, term_end=term_end)
        for v in villages:
            committees[v.pk] = services.committee_save(
                town=town, actor=lead_user, name=f"{v.name}人民调解委员会", level="village", village=v,
                members=rng.choice([3, 5, 5, 7]), women_members=1, term_start=term_start, term_end=term_end)
        mediators = {}
        for committee in [town_committee, *committees.values()]:
            mediators[committee.pk] = [services.mediator_save(
                town=town, actor=lead_user, committee=committee, name=_name(rng),
                qualification=rng.choice(["法律专业", "退休教师", "村两委成员", "老党员", "基层法律服务工作者"]),
                certificate_no=f"TJY{rng.randint(10000, 99999)}", phone=_phone(rng),
                trained_on=dt.date(2025, rng.randint(3, 10), rng.randint(1, 28))) for _i in range(2)]

    tl = Timeline()
    lead_pool = []  # open leads, converted into disputes as they come

    # --- monthly full screening of every village; some rounds find leads ------------------------------
    months = sorted({(start + dt.timedelta(days=30 * i)).date().replace(day=1) for i in range(13)})
    finding_months = rng.sample(range(len(months) - 1), k=min(len(months) - 1, 10))
    screening_leads = SCREENING_LEADS
    for index, month in enumerate(months):
        plan_at = timezone.make_aware(dt.datetime.combine(month, dt.time(9, 0)))
        if plan_at < start:
            plan_at = start + dt.timedelta(hours=1)

        def plan(when, month=month, index=index):
            nonlocal screening_leads
            rounds = services.screening_plan(town=town, month=month, actor=lead_user)
            wanted = 0
            if index in finding_months and screening_leads > 0:
                wanted = min(screening_leads, rng.randint(2, 3))
                screening_leads -= wanted
            finders = rng.sample(rounds, k=min(wanted, len(rounds)))
            for r in rounds:
                done = when + dt.timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 6))

                def complete(when2, r=r, found=r in finders):
                    findings = []
                    if found:
                        kind, texts, amounts = _pick(rng)
                        findings.append({"kind": kind, "summary": rng.choice(texts) + "（排查发现）",
                                         "place": f"{r.village.name}{rng.randint(1, 8)}组",
                                         "parties_count": rng.choice([2, 2, 3, 4, 6]),
                                         "amount": rng.randint(*amounts) if amounts else None})
                    services.screening_complete(round_=r, actor=worker, households=rng.randint(80, 260),
                                                note="逐户走访，排查矛盾纠纷隐患", findings=findings)
                    if found:
                        lead = Lead.objects.filter(screening=r).latest("pk")
                        tl.at(when2 + dt.timedelta(days=rng.randint(1, 4)), lambda w, lead=lead: _convert(w, lead))
                tl.at(done, complete)
        tl.at(plan_at, plan)

    # --- leads from grid events (of the 矛盾纠纷 category), through the events selectors ----------------
    from events import selectors as event_selectors

    dispute_events = list(event_selectors.events(dispatcher).filter(category__code="dispute")
                          .select_related("grid").order_by("reported_at")[:EVENT_LEADS])
    for event in dispute_events:
        when = max(event.reported_at + dt.timedelta(hours=rng.randint(2, 30)), start + dt.timedelta(hours=2))

        def from_event(w, event=event):
            kind, texts, amounts = _pick(rng)
            lead = services.lead_create(town=town, actor=worker, source=Lead.Source.EVENT, event=event, kind=kind,
                                        summary=event.title, grid=event.grid, parties_count=2)
            tl.at(w + dt.timedelta(days=rng.randint(0, 2), hours=2), lambda w2, lead=lead: _convert(w2, lead))
        tl.at(when, from_event)

    # --- walk-ins and referrals fill the year up to DISPUTES ----------------------------------------------
    walk_ins = DISPUTES - SCREENING_LEADS - len(dispute_events)
    for _i in range(max(walk_ins, 0)):
        when = start + dt.timedelta(days=rng.random() * 360, hours=rng.randint(8, 17))

        def walk_in(w):
            kind, texts, amounts = _pick(rng)
            grid = rng.choice(grids)
            lead = services.lead_create(
                town=town, actor=mediator_user, source=rng.choice([Lead.Source.WALK_IN] * 4 + [Lead.Source.REFERRAL]),
                kind=kind, summary=rng.choice(texts), grid=grid, place=f"{grid.village.name}{rng.randint(1, 8)}组",
                parties_count=rng.choice([2, 2, 2, 3]), amount=rng.randint(*amounts) if amounts else None,
                violence_threat=rng.random() < 0.04)
            tl.at(w + dt.timedelta(hours=rng.randint(1, 20)), lambda w2, lead=lead: _convert(w2, lead))
        tl.at(when, walk_in)

    outcomes = {"terminated": 0, "refused": 0}

    def _convert(when, lead):
        lead.refresh_from_db()
        if lead.status != "open":
            return
        village_level = rng.random() < 0.72 and lead.village_id in committees
        committee = committees[lead.village_id] if village_level else town_committee
        mediator = rng.choice(mediators[committee.pk])
        parties = [{"side": "applicant", "name": _name(rng), "phone": _phone(rng),
                    "address": f"{lead.place or '本镇'}{rng.randint(1, 60)}号"},
                   {"side": "respondent", "name": _name(rng), "phone": _phone(rng)}]
        if rng.random() < 0.06:  # the same party again: the recurrence early warning
            parties[1]["name"] = lead_pool[-1] if lead_pool else parties[1]["name"]
        lead_pool.append(parties[0]["name"])
        dispute = services.dispute_register(
            town=town, actor=mediator_user, kind=lead.kind, summary=lead.summary, committee=committee,
            mediator=mediator, parties=parties, lead=lead, amount=lead.amount, violence_threat=lead.violence_threat,
            grid=lead.grid, place=lead.place)
        tl.at(when + dt.timedelta(hours=rng.randint(2, 48)), lambda w, d=dispute: _consent(w, d))

    def _consent(when, dispute):
        parties = list(dispute.parties.all())
        refuse = outcomes["refused"] < 1 and rng.random() < 0.03
        for i, p in enumerate(parties):
            services.party_consent(party=p, actor=mediator_user,
                                   consent="refused" if refuse and i == 1 else "agreed")
        dispute.refresh_from_db()
        if refuse:
            outcomes["refused"] += 1
            services.dispute_refuse(dispute=dispute, actor=mediator_user,
                                    reason="被申请人明确拒绝调解，已告知可向人民法院起诉")
            tl.at(when + dt.timedelta(days=2), lambda w, d=dispute: services.dispute_close(
                dispute=_fresh(d), actor=lead_user))
            return
        services.dispute_accept(dispute=dispute, actor=mediator_user)
        sessions = rng.choice([1, 1, 2, 2, 3])
        for n in range(sessions):
            tl.at(when + dt.timedelta(days=1 + 3 * n, hours=rng.randint(0, 5)),
                  lambda w, d=dispute, n=n, last=n == sessions - 1: _session(w, d, n, last))

    def _session(when, dispute, n, last):
        dispute = _fresh(dispute)
        services.session_add(dispute=dispute, actor=mediator_user, held_on=timezone.localdate(),
                             place=rng.choice(["村委会调解室", "镇综治中心调解室", "纠纷发生现场"]),
                             attendees="双方当事人、调解员", record_text=f"第{n + 1}次调解：听取双方陈述，释法说理。")
        if last:
            tl.at(when + dt.timedelta(hours=2), lambda w, d=dispute: _outcome(w, d))

    def _outcome(when, dispute):
        dispute = _fresh(dispute)
        if outcomes["terminated"] < 2 and rng.random() < 0.03:
            outcomes["terminated"] += 1
            services.dispute_terminate(dispute=dispute, actor=mediator_user,
                                       route=rng.choice(["litigation", "arbitration"]),
                                       reason="双方分歧较大，调解不成，已告知可依法申请仲裁或向人民法院起诉")
            tl.at(when + dt.timedelta(days=3), lambda w, d=dispute: services.dispute_close(
                dispute=_fresh(d), actor=lead_user))
            return
        written = dispute.amount is not None or rng.random() < 0.5
        terms = "被申请人于协议生效后按约定赔偿/履行；双方今后和睦相处，不再因此事发生争执。"
        services.agreement_make(dispute=dispute, actor=mediator_user, kind="written" if written else "oral",
                                terms=terms, performance_days=rng.choice([None, 7, 15, 30]) if written else None)
        if written:
            tl.at(when + dt.timedelta(days=rng.randint(0, 2), hours=1), lambda w, d=dispute: _sign(w, d))
        else:
            tl.at(when + dt.timedelta(days=rng.randint(10, 30)), lambda w, d=dispute: _visit(w, d))

    def _sign(when, dispute):
        dispute = _fresh(dispute)
        for p in dispute.parties.all():
            services.agreement_sign(dispute=dispute, actor=mediator_user, party=p)
        services.agreement_sign(dispute=dispute, actor=mediator_user, mediator=True)
        services.agreement_sign(dispute=_fresh(dispute), actor=mediator_user, seal=True)
        if rng.random() < 0.7:
            tl.at(when + dt.timedelta(days=rng.randint(3, 25)), lambda w, d=dispute: services.confirmation_set(
                dispute=_fresh(d), actor=mediator_user,
                confirmation=rng.choice(["declined", "declined", "applied", "confirmed"])))
        tl.at(when + dt.timedelta(days=rng.randint(15, 40)), lambda w, d=dispute: _visit(w, d))

    def _visit(when, dispute):
        dispute = _fresh(dispute)
        services.dispute_return_visit(dispute=dispute, actor=mediator_user, visit_note="电话回访，协议已履行，双方满意",
                                      performance=rng.choice(["full"] * 9 + ["partial"]))
        tl.at(when + dt.timedelta(days=rng.randint(1, 7)), lambda w, d=dispute: services.dispute_close(
            dispute=_fresh(d), actor=lead_user))

    # --- petitions ------------------------------------------------------------------------------------
    for i in range(PETITIONS):
        when = start + dt.timedelta(days=rng.random() * 355, hours=rng.randint(8, 17))

        def petition(w, i=i):
            p_class, subject = rng.choice(PETITION_SUBJECTS)
            grid = rng.choice(grids)
            p = services.petition_register(
                town=town, actor=dispatcher, channel=rng.choice(["letter", "visit", "visit", "phone", "online",
                                                                 "transferred"]),
                petitioner_name=_name(rng), petitioner_phone=_phone(rng), subject=subject,
                content=f"{subject}，请求政府予以解决。", grid=grid, people=rng.choice([1, 1, 1, 2, 3]))
            tl.at(w + dt.timedelta(days=rng.randint(1, 10)), lambda w2, p=p, c=p_class: _classify(w2, p, c))
        tl.at(when, petition)

    def _classify(when, p, p_class):
        p.refresh_from_db()
        route = "petition"
        if p_class == "claim" and rng.random() < 0.25:
            route = rng.choice(["litigation", "mediation", "reconsideration"])
        if p_class == "accusation":
            route = rng.choice(["petition", "discipline"])
        services.petition_classify(petition=p, actor=dispatcher, petition_class=p_class, route=route,
                                   handling_unit=rng.choice(["农业服务中心", "规划建设管理环保办", "社会事务办",
                                                             "综合行政执法大队"]),
                                   reason="已书面告知信访人受理情况及处理途径")
        if route == "petition":
            tl.at(when + dt.timedelta(days=rng.randint(10, 50)), lambda w, p=p: _answer(w, p))
        else:
            tl.at(when + dt.timedelta(days=1), lambda w, p=p: services.petition_step(
                petition=_fresh(p), actor=dispatcher, action="close"))

    def _answer(when, p):
        services.petition_answer(petition=_fresh(p), actor=dispatcher,
                                 opinion=rng.choice(["support", "support", "explain", "not_support"]),
                                 opinion_text="经调查核实，依据有关规定，作出如下处理意见。")
        if rng.random() < 0.1:
            tl.at(when + dt.timedelta(days=10), lambda w, p=p: services.petition_step(
                petition=_fresh(p), actor=dispatcher, action="request_review"))
            tl.at(when + dt.timedelta(days=30), lambda w, p=p: services.petition_step(
                petition=_fresh(p), actor=dispatcher, action="review_done", text="复查维持原处理意见"))
        else:
            tl.at(when + dt.timedelta(days=31), lambda w, p=p: services.petition_step(
                petition=_fresh(p), actor=dispatcher, action="close"))

    tl.run(now)
    if stdout is not None:
        from .models import Dispute, Petition

        stdout.write(f"  disputes: {Dispute.objects.filter(town=town).count()} 件纠纷、"
                     f"{Lead.objects.filter(town=town).count()} 条线索、"
                     f"{Petition.objects.filter(town=town).count()} 件信访\n")


def _pick(rng):
    return rng.choices(KINDS, weights=WEIGHTS)[0]


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)
