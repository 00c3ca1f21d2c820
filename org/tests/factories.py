"""Factories for the town structure and users. Fictional data only."""

import factory
from django.contrib.auth import get_user_model

from org import models


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"5001{n:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Town

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"500101{n:03d}")
    name = factory.Sequence(lambda n: f"测试镇{n}")
    abbreviation = factory.Sequence(lambda n: f"测{n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sector

    town = factory.SubFactory(TownFactory)
    code = factory.Sequence(lambda n: f"sector{n}")
    name = factory.Sequence(lambda n: f"板块{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Staff

    town = factory.SubFactory(TownFactory)
    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"人员{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Position

    town = factory.LazyAttribute(lambda o: o.sector.town)
    sector = factory.SubFactory(SectorFactory)
    code = factory.Sequence(lambda n: f"post{n}")
    name = factory.Sequence(lambda n: f"岗位{n}")
    duties = "受理事项\n跟踪办理"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Village

    town = factory.SubFactory(TownFactory)
    code = factory.Sequence(lambda n: f"V{n:03d}")
    name = factory.Sequence(lambda n: f"测试村{n}")


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Grid

    town = factory.LazyAttribute(lambda o: o.village.town)
    village = factory.SubFactory(VillageFactory)
    code = factory.Sequence(lambda n: f"G{n:03d}")
    name = factory.Sequence(lambda n: f"网格{n}")


class MicroGridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MicroGrid

    town = factory.LazyAttribute(lambda o: o.grid.town)
    grid = factory.SubFactory(GridFactory)
    code = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Sequence(lambda n: f"微网格{n}")
    households = 60


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enterprise

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: f"91500101MA{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    town = factory.SubFactory(TownFactory)
    password = factory.PostGenerationMethodCall("set_password", "Fazhi-Test-2026!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GridAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GridAssignment

    town = factory.LazyAttribute(lambda o: o.grid.town)
    grid = factory.SubFactory(GridFactory)
    staff = factory.SubFactory(StaffFactory, town=factory.SelfAttribute("..grid.town"))
    role = models.GridRole.GRID_WORKER_FULLTIME


class PositionHandoverFactory(factory.django.DjangoModelFactory):
    """A handover already requested (bypasses the procedure: for access tests and fixtures only)."""

    class Meta:
        model = models.PositionHandover

    town = factory.LazyAttribute(lambda o: o.position.town)
    position = factory.SubFactory(PositionFactory)
    slot = models.HandoverSlot.PRIMARY
    to_staff = factory.SubFactory(StaffFactory, town=factory.SelfAttribute("..position.town"))
    status = models.HandoverStatus.REQUESTED
    reason = "工作调整"
