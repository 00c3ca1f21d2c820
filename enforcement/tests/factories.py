"""Factories for enforcement. Fictional data only."""

import datetime as dt

import factory

from enforcement import models
from org.tests import factories as f


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Matter

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Sequence(lambda n: f"对违规占道经营的处罚{n}")
    category = models.MatterCategory.PENALTY
    area = "城市管理"
    source = models.PowerSource.DELEGATED
    source_document = "渝府发〔2023〕1号赋权决定"
    law = "城市市容和环境卫生管理条例"
    article = "第三十六条"
    basis_text = "擅自占用道路从事经营活动的，责令改正，可以并处罚款。"
    penalty_kinds = "警告、罚款"
    fine_min = 50
    fine_max = 20000
    summary_allowed = True
    checklist = "核实经营地点\n拍摄现场照片\n询问当事人"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Officer

    town = factory.SubFactory(f.TownFactory)
    name = factory.Sequence(lambda n: f"执法员{n}")
    credential = factory.Sequence(lambda n: f"50010{n:06d}")
    credential_scope = "综合行政执法"
    valid_from = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=365))
    post = models.Post.CASEWORK


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Case

    town = factory.SubFactory(f.TownFactory)
    number = factory.Sequence(lambda n: f"测执案〔2026〕{n + 1}号")
    matter = factory.LazyAttribute(lambda o: MatterFactory(town=o.town))
    party_name = "张三"
    party_id_number = "500101199001011234"
    party_phone = "13900001111"
    party_address = "和平村3组12号"
    facts = "在和平村主干道占道经营水果摊。"
