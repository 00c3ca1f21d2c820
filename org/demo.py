"""The demo town: a FICTIONAL town (清溪镇 of 示范区) modelled on the 2023 report in shared/spec.

Everything is built through the services (so the audit chain records it), deterministically from a seed:
the same seed gives the same town. Names, phone numbers (1390000xxxx), credit codes and coordinates are
invented; no ID numbers are stored. Other apps add their own demo activity in ``<app>/demo.py``::

    ORDER = 20                       # after org (0); lower runs first
    def build(*, town, users, rng, stdout): ...

``users`` maps each role value (``"dispatcher"``...) to its demo ``User``; ``rng`` is a ``random.Random``
seeded for that module, so one module's data does not change when another module changes.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from access.roles import Role
from access.services import role_grant
from audit.services import record

from . import services
from .models import GridRole, HandoverSlot, Sector
from .validators import CREDIT_CHARS, credit_code_check_char

ORDER = 0
SEED = 20240221
PASSWORD = "Fazhi@2026demo"
DISTRICT = ("999901", "示范区")
TOWN = {"code": "999901101", "name": "清溪镇", "abbreviation": "清镇"}
CENTRE = (30.6200, 108.2400)  # a fictional centre point (lat, lng)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰红建国志鹏飞宇晨欣怡婷雪梅琳浩然俊杰思远文博嘉宁海燕子涵春雨"

# (code, name, duties) per sector: 33 posts, 9 of them in 平安法治
# (spec: "设立33个岗位…在平安法治板块下设立9个业务岗位").
POSTS = {
    Sector.Code.PARTY_BUILDING: [
        ("party_affairs", "党建工作岗",
         ["基层党组织建设与党员教育管理", "“三会一课”等组织生活督促指导", "党建统领工作台账"]),
        ("personnel", "组织人事岗", ["干部队伍建设与考核", "人事档案与编制管理", "“五星”评价指标汇总"]),
        ("publicity", "宣传思想岗", ["理论学习中心组学习安排", "新闻宣传与舆情研判", "法治宣传阵地建设"]),
        ("discipline", "纪检监察岗", ["党风廉政建设", "监督执纪问责", "受理检举控告"]),
        ("mass_org", "群团工作岗", ["工会、共青团、妇联工作", "志愿服务队伍管理"]),
        ("united_front", "统战工作岗", ["统一战线工作", "民族宗教事务", "侨务工作"]),
        ("general_office", "党政办公岗",
         ["党委、政府会议组织与督办", "公文处理与档案管理", "法治政府建设年度报告起草"]),
    ],
    Sector.Code.ECONOMY: [
        ("industry", "产业发展岗", ["特色产业培育", "产业项目推进", "市场主体发展统计"]),
        ("investment", "招商引资岗", ["招商项目储备与洽谈", "执行“全国一张清单”市场准入管理"]),
        ("enterprise_service", "企业服务岗", ["干部联系企业工作统筹", "企业诉求受理与反馈", "证照办理咨询与帮办代办"]),
        ("agriculture", "农业农村岗", ["粮食生产与耕地保护", "农村集体经济", "农业技术推广"]),
        ("planning", "规划建设岗", ["村镇规划与建设管理", "农村住房建设审批协助", "城乡环境整治"]),
        ("natural_resources", "自然资源岗", ["土地利用与执法巡查", "地质灾害防治", "林业资源保护"]),
        ("finance", "财政统计岗", ["预决算编制与执行", "统计调查", "惠农补贴发放核查"]),
        ("ecology", "生态环保岗", ["河长制工作", "环境污染投诉处理", "生态环境问题整改"]),
    ],
    Sector.Code.LIVELIHOOD: [
        ("social_security", "社会保障岗", ["养老、医疗保险参保服务", "就业创业服务", "劳动保障监察协助"]),
        ("civil_affairs", "民政救助岗", ["最低生活保障与特困供养", "临时救助", "养老服务与社会事务"]),
        ("veterans", "退役军人服务岗", ["退役军人服务保障", "优抚对象管理"]),
        ("education_health", "教育卫健岗", ["教育协调与控辍保学", "公共卫生与爱国卫生", "计生服务"]),
        ("convenience", "便民服务岗", ["便民服务中心窗口管理", "依申请事项受理", "帮办代办"]),
        ("rural_revitalisation", "乡村振兴岗", ["防止返贫监测帮扶", "乡村振兴项目", "驻村工作队联络"]),
        ("culture_tourism", "文化旅游岗", ["公共文化服务", "文物与非遗保护", "乡村旅游"]),
        ("medical_insurance", "医疗保障岗", ["医保政策宣传", "医疗救助"]),
        ("openness", "政务公开岗", ["政府信息主动公开", "依申请公开办理", "政务公开栏维护"]),
    ],
    Sector.Code.SAFETY_RULE_OF_LAW: [
        ("comprehensive_governance", "综治岗",
         ["平安建设与社会治安综合治理", "“两排查两整治”统筹", "网格化服务管理指导"]),
        ("petition", "信访岗", ["信访事项登记、受理与办理", "信访事项复查复核衔接", "重点人员稳控"]),
        ("mediation", "人民调解岗", ["矛盾纠纷排查调处", "镇人民调解委员会日常工作", "调解协议与司法确认指导"]),
        ("enf_dispatch", "执法调度岗", ["综合行政执法事项调度", "联合执法行动组织", "执法数据统计"]),
        ("enf_casework", "执法事务岗", ["执法案件办理与文书制作", "执法全过程记录归档", "行政执法公示"]),
        ("enf_assist", "执法协助岗", ["网格化执法协助", "现场巡查与线索移送", "执法宣传"]),
        ("enf_seconded", "派出执法岗", ["区级部门派驻执法衔接", "赋权事项承接", "执法信息共享"]),
        ("judicial", "司法所岗", ["重大执法决定法制审核", "法律顾问联络", "普法宣传与公共法律服务"]),
        ("work_safety", "安全生产岗", ["安全生产检查", "道路交通安全隐患整治", "应急管理与值班值守"]),
    ],
}

# Villages and communities with their grid counts: 16 grids in all (spec: "共设立16个网格").
VILLAGES = [
    ("QX-V01", "清溪社区", "community", 3),
    ("QX-V02", "石桥社区", "community", 2),
    ("QX-V03", "青龙村", "village", 2),
    ("QX-V04", "白鹤村", "village", 2),
    ("QX-V05", "双河村", "village", 3),
    ("QX-V06", "桂花村", "village", 2),
    ("QX-V07", "松林村", "village", 2),
]
ORDINALS = "一二三四五六七八九十"
INDUSTRIES = ["农产品加工", "建材", "物流运输", "餐饮住宿", "商贸零售", "乡村旅游", "机械制造", "种养殖"]
ENTERPRISE_NAMES = ["清溪柑橘农业开发", "石桥建材", "青龙物流", "白鹤山庄旅游开发", "双河粮油加工", "桂花农家乐",
                    "松林竹木制品", "清溪商贸", "溪口机械配件", "龙井茶业", "江岸水产养殖", "清溪运输"]

ROLE_USERS = [
    # (role, username, full name, what they see)
    (Role.DISPATCHER, "dispatcher", "指挥中心调度员",
     "事件调度台、期限督办；全镇组织架构与网格地图；维护组织数据与Excel导入；值班表"),
    (Role.SECTOR_LEAD, "sector_lead", "平安法治板块负责人",
     "平安法治板块：分拨的事件、矛盾纠纷与信访；本板块9个岗位及其交接"),
    (Role.POST_HOLDER, "post_holder", "人民调解岗A岗", "分拨给本岗位的事件、矛盾纠纷调处；所任A/B岗及职责清单"),
    (Role.GRID_WORKER, "grid_worker", "第一网格专职网格员",
     "手机上报事件（拍照、定位）、本网格事件与隐患；网格、微网格与网格力量"),
    (Role.ENFORCEMENT_OFFICER, "officer", "执法事务岗A岗", "执法工作台：执法案件、执法事项与程序指引、双随机检查"),
    (Role.LEGAL_REVIEWER, "reviewer", "司法所岗A岗", "法制审核：待审核的执法案件、审核意见书；期限规则"),
    (Role.LEADER, "leader", "镇长", "领导驾驶舱：事件、纠纷、执法与期限概况；督办；确认岗位交接；镇街设置"),
    (Role.DISTRICT_SUPERVISOR, "supervisor", "区县督导员", "辖区各镇的事件、纠纷、执法与组织概况（只读）"),
    (Role.SYSADMIN, "sysadmin", "系统管理员", "系统运行管理（三员之一，不含业务数据）"),
    (Role.SECADMIN, "secadmin", "安全管理员", "角色与授权管理（三员之一）"),
    (Role.AUDITOR, "auditor", "安全审计员", "审计记录查阅与导出（三员之一）"),
]


@dataclass
class Built:
    town: object
    users: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)
    posts: dict = field(default_factory=dict)
    grids: list = field(default_factory=list)


class NameMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if name not in self.used:
                self.used.add(name)
                return name


def _credit_code(rng: random.Random) -> str:
    body = "91" + DISTRICT[0] + "MA" + "".join(rng.choice(CREDIT_CHARS) for _ in range(7))
    return body + credit_code_check_char(body)


def _rect(lng0, lat0, lng1, lat1) -> dict:
    ring = [[round(lng0, 6), round(lat0, 6)], [round(lng1, 6), round(lat0, 6)], [round(lng1, 6), round(lat1, 6)],
            [round(lng0, 6), round(lat1, 6)], [round(lng0, 6), round(lat0, 6)]]
    return {"type": "Polygon", "coordinates": [ring]}


def _create_user(*, username: str, full_name: str, town=None, district=None, password_hash: str):
    user_model = get_user_model()
    user = user_model(username=username, full_name=full_name, town=town, district=district,
                      password_changed_at=timezone.now())
    validate_password(PASSWORD, user=user)
    user.password = password_hash
    user.save()
    record(action="accounts.user_create", obj=user, town=town,
           after={"username": username, "full_name": full_name, "town": getattr(town, "pk", None),
                  "district": getattr(district, "pk", None)})
    return user


def build_org(*, seed: int = SEED, district_code: str = DISTRICT[0], town_code: str = TOWN["code"],
              username_prefix: str = "", stdout=None) -> Built:
    """Build the fictional town; returns what later modules need. Runs in one transaction."""
    rng = random.Random(seed)
    names = NameMaker(rng)
    with transaction.atomic():
        from .models import District

        district = District.objects.filter(code=district_code).first() or services.district_create(
            code=district_code, name=DISTRICT[1])
        lat0, lng0 = CENTRE
        town = services.town_create(
            district=district, code=town_code, name=TOWN["name"], abbreviation=TOWN["abbreviation"],
            address="示范区清溪镇溪口街1号", phone="023-00000000", centre_lat=lat0, centre_lng=lng0,
            boundary=_rect(lng0 - 0.075, lat0 - 0.05, lng0 + 0.075, lat0 + 0.05), actor=None)
        built = Built(town=town)
        sectors = {s.code: s for s in town_sectors(town)}

        # --- town cadres: 4 leaders and 33 post cadres --------------------------------------------------
        seq = iter(range(1, 10_000))

        def staff(title: str, **extra):
            n = next(seq)
            return services.staff_create(town=town, actor=None, code=f"QX{n:03d}", name=names(), title=title,
                                         phone=f"1390000{n:04d}", **extra)

        leaders = {
            "secretary": staff("党委书记"), "mayor": staff("镇长"),
            "deputy_party": staff("党委副书记"), "deputy_economy": staff("副镇长"),
            "deputy_livelihood": staff("副镇长"), "deputy_safety": staff("党委委员、政法委员"),
        }
        for code, lead_key in ((Sector.Code.PARTY_BUILDING, "deputy_party"), (Sector.Code.ECONOMY, "deputy_economy"),
                               (Sector.Code.LIVELIHOOD, "deputy_livelihood"),
                               (Sector.Code.SAFETY_RULE_OF_LAW, "deputy_safety")):
            services.sector_update(sector=sectors[code], actor=None, lead=leaders[lead_key])
        post_specs = [(sector_code, spec) for sector_code, specs in POSTS.items() for spec in specs]
        cadres = [staff("工作人员") for _ in post_specs]
        for index, (sector_code, (code, name, duties)) in enumerate(post_specs):
            a = cadres[index]
            b = cadres[(index + 7) % len(cadres)]
            position = services.position_create(
                sector=sectors[sector_code], actor=None, code=code, name=name, duties="\n".join(duties),
                order=index + 1, primary_holder=a, backup_holder=b)
            built.posts[code] = position
            services.staff_update(staff=a, actor=None, title=name.replace("岗", "") + "负责人")
        built.staff.update(leaders)
        built.staff["cadres"] = cadres

        # --- villages, 16 grids, micro-grids with boundaries, 1+3+N teams ------------------------------
        grid_no = 0
        cell_w, cell_h = 0.03, 0.025
        for v_code, v_name, kind, n_grids in VILLAGES:
            village = services.village_create(town=town, actor=None, code=v_code, name=v_name, kind=kind,
                                              village_committees="、".join(names() for _ in range(5)))
            v_households = v_population = 0
            for g_index in range(n_grids):
                grid_no += 1
                col, row = (grid_no - 1) % 4, (grid_no - 1) // 4
                gx0 = lng0 - 2 * cell_w + col * cell_w
                gy0 = lat0 + 2 * cell_h - (row + 1) * cell_h
                micro_count = rng.randint(3, 5)
                households = [rng.randint(50, 80) for _ in range(micro_count)]
                population = int(sum(households) * rng.uniform(2.3, 2.9))
                grid = services.grid_create(
                    town=town, actor=None, village=village, code=f"QX-G{grid_no:02d}",
                    name=f"{v_name}第{ORDINALS[g_index]}网格", households=sum(households), population=population,
                    boundary=_rect(gx0, gy0, gx0 + cell_w, gy0 + cell_h))
                built.grids.append(grid)
                step = cell_w / micro_count
                for m_index, hh in enumerate(households):
                    services.microgrid_create(
                        town=town, actor=None, grid=grid, code=f"QX-G{grid_no:02d}-M{m_index + 1}",
                        name=f"{grid.name}{m_index + 1}号微网格", households=hh,
                        boundary=_rect(gx0 + m_index * step, gy0, gx0 + (m_index + 1) * step, gy0 + cell_h))
                v_households += sum(households)
                v_population += population
                # 1+3+N: the instructor is a town cadre; two grids lack a part-time worker (too few workers:
                # a shortcoming the report names).
                team = [(GridRole.GRID_LEADER, staff("村(社区)干部")),
                        (GridRole.GRID_WORKER_FULLTIME, staff("专职网格员"))]
                if grid_no not in (11, 15):
                    team.append((GridRole.GRID_WORKER_PARTTIME, staff("兼职网格员")))
                team.append((GridRole.GRID_INSTRUCTOR, cadres[(grid_no * 2) % len(cadres)]))
                for _ in range(rng.randint(1, 3)):
                    role = rng.choice((GridRole.GRID_VOLUNTEER, GridRole.COURTYARD_HEAD))
                    team.append((role, staff("院落长" if role == GridRole.COURTYARD_HEAD else "志愿者")))
                for role, member in team:
                    services.grid_assignment_add(grid=grid, staff=member, role=role, actor=None)
                if grid_no == 1:
                    built.staff["grid_worker"] = team[1][1]
            services.village_update(village=village, actor=None, households=v_households, population=v_population)

        # --- enterprises with liaison cadres (干部联系企业) ------------------------------------------------
        liaisons = [built.posts[c].primary_holder for c in ("enterprise_service", "industry", "investment",
                                                              "agriculture")] + [leaders["deputy_economy"]]
        for e_index, e_name in enumerate(ENTERPRISE_NAMES):
            grid = built.grids[(e_index * 5) % len(built.grids)]
            ring = grid.boundary["coordinates"][0]
            services.enterprise_create(
                town=town, actor=None, name=f"示范区{e_name}有限公司", credit_code=_credit_code(rng),
                industry=INDUSTRIES[e_index % len(INDUSTRIES)], grid=grid,
                liaison=liaisons[e_index % len(liaisons)] if e_index != len(ENTERPRISE_NAMES) - 1 else None,
                legal_representative=names(), contact_phone=f"1390001{e_index:04d}",
                address=f"清溪镇{grid.village.name}{rng.randint(1, 99)}号",
                lat=round((ring[0][1] + ring[2][1]) / 2, 6), lng=round((ring[0][0] + ring[2][0]) / 2, 6))

        # --- a login for every role ----------------------------------------------------------------------
        password_hash = make_password(PASSWORD)
        for role, username, full_name, _seen in ROLE_USERS:
            district_user = role == Role.DISTRICT_SUPERVISOR
            user = _create_user(username=f"{username_prefix}{username}", full_name=full_name,
                                town=None if district_user else town, district=district if district_user else None,
                                password_hash=password_hash)
            kwargs = {}
            if role == Role.SECTOR_LEAD:
                kwargs["sector"] = sectors[Sector.Code.SAFETY_RULE_OF_LAW]
            elif role == Role.GRID_WORKER:
                kwargs["grid"] = built.grids[0]
            role_grant(user=user, role=role, actor=None, **kwargs)
            built.users[role.value] = user
        links = {
            Role.DISPATCHER: staff("指挥中心调度员"), Role.LEADER: leaders["mayor"],
            Role.SECTOR_LEAD: leaders["deputy_safety"], Role.POST_HOLDER: built.posts["mediation"].primary_holder,
            Role.GRID_WORKER: built.staff["grid_worker"],
            Role.ENFORCEMENT_OFFICER: built.posts["enf_casework"].primary_holder,
            Role.LEGAL_REVIEWER: built.posts["judicial"].primary_holder,
        }
        for role, member in links.items():
            services.staff_update(staff=member, actor=None, user=built.users[role.value])

        # --- a year of post history: one absence, one finished and one open handover ------------------
        today = timezone.localdate()
        services.absence_record(staff=built.posts["petition"].primary_holder, start_date=today - dt.timedelta(days=1),
                                end_date=today + dt.timedelta(days=6), reason="参加区级业务培训", actor=None)
        if importlib.util.find_spec("clocks.services") is not None:
            _handovers(built, names_staff=staff, leader=built.users[Role.LEADER.value],
                       dispatcher=built.users[Role.DISPATCHER.value], today=today)
        elif stdout is not None:
            stdout.write("（clocks.services 尚未提供：跳过演示岗位交接）\n")
    return built


def _handovers(built: Built, *, names_staff, leader, dispatcher, today) -> None:
    newcomer = names_staff("工作人员")
    post = built.posts["work_safety"]
    handover = services.handover_request(position=post, slot=HandoverSlot.BACKUP, to_staff=newcomer,
                                         reason="工作调整，B岗人员调整", notes="安全生产检查台账\n应急值班表",
                                         actor=dispatcher, on_date=today - dt.timedelta(days=40))
    services.handover_fire(handover=handover, action="confirm", actor=leader, on_date=today - dt.timedelta(days=38))
    services.handover_fire(handover=handover, action="complete", actor=dispatcher,
                           on_date=today - dt.timedelta(days=35))
    successor = names_staff("工作人员")
    services.handover_request(position=built.posts["petition"], slot=HandoverSlot.PRIMARY, to_staff=successor,
                              reason="原A岗人员轮岗交流", notes="在办信访件清单\n重点人员台账", actor=dispatcher,
                              on_date=today - dt.timedelta(days=2))


def town_sectors(town):
    from .models import Sector as SectorModel

    return list(SectorModel.objects.filter(town=town))


def demo_modules():
    """``<app>.demo`` modules of the other installed apps, in ``ORDER``."""
    from importlib import import_module

    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if config.name == "org" or "." in config.name:
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if callable(getattr(module, "build", None)):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build(*, seed: int = SEED, stdout=None) -> Built:
    """The whole demo: org's town, then every other app's ``demo.build`` (each in its own transaction)."""
    built = build_org(seed=seed, stdout=stdout)
    for module in demo_modules():
        rng = random.Random(f"{seed}:{module.__name__}")
        with transaction.atomic():
            module.build(town=built.town, users=built.users, rng=rng, stdout=stdout)
    return built
