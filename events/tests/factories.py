"""Factories for events. Fictional data only."""

import datetime as dt

import factory

from events import models
from org.tests import factories as f


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Category

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"分类{n}")
    sla_ack_hours = 2
    sla_dispatch_hours = 4
    sla_handle_hours = 48


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    town = factory.SubFactory(f.TownFactory)
    tracking_code = factory.Sequence(lambda n: f"TEST{n:06d}")
    title = factory.Sequence(lambda n: f"测试事件{n}")
    description = "路灯损坏，夜间无照明。"
    category = factory.LazyAttribute(lambda o: CategoryFactory(town=o.town))
    channel = models.Channel.GRID_WORKER


class HazardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Hazard

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"YH2026-{n:03d}")
    title = factory.Sequence(lambda n: f"隐患{n}")
    description = "急弯无警示标志。"
    found_on = factory.Faker("date_this_year")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Campaign

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"camp{n}")
    name = factory.Sequence(lambda n: f"专项整治{n}")
    start_date = factory.Faker("date_this_year", before_today=True, after_today=False)
    end_date = factory.LazyAttribute(lambda o: o.start_date)


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.JointOperation

    town = factory.SubFactory(f.TownFactory)
    date = factory.Faker("date_this_year", before_today=True, after_today=False)
    title = factory.Sequence(lambda n: f"交安联合执法{n}")
    units = "镇综合行政执法大队\n交巡警平台"


class ScreeningPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScreeningPlan

    town = factory.SubFactory(f.TownFactory)
    month = factory.Sequence(lambda n: __import__("datetime").date(2020 + n // 12, n % 12 + 1, 1))
    title = "月度全面排查"


class ScreeningTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScreeningTask

    town = factory.SubFactory(f.TownFactory)
    plan = factory.LazyAttribute(lambda o: ScreeningPlanFactory(town=o.town))
    grid = factory.LazyAttribute(lambda o: f.GridFactory(village=f.VillageFactory(town=o.town)))


class ApiKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ApiKey

    town = factory.SubFactory(f.TownFactory)
    name = "12345热线"
    key_hash = factory.Sequence(lambda n: f"{n:064d}")
    prefix = "abcdefgh"


class GridTaskTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GridTaskType

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"task{n}")
    name = factory.Sequence(lambda n: f"准入事项{n}")


class DutyShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DutyShift

    town = factory.SubFactory(f.TownFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    leader = factory.LazyAttribute(lambda o: f.UserFactory(town=o.town))
