"""Factories for disputes and petitions. Fictional data only (phone numbers 1390000xxxx)."""

import datetime as dt

import factory
from django.utils import timezone

from disputes import models
from org.tests import factories as f


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MediationCommittee

    town = factory.SubFactory(f.TownFactory)
    name = factory.Sequence(lambda n: f"第{n}人民调解委员会")
    level = "town"
    members = 5
    women_members = 1
    term_start = dt.date(2024, 1, 1)
    term_end = dt.date(2026, 12, 31)


class MediatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Mediator

    town = factory.SubFactory(f.TownFactory)
    committee = factory.LazyAttribute(lambda o: CommitteeFactory(town=o.town))
    name = factory.Sequence(lambda n: f"调解员{n}")
    qualification = "法律专业"


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Lead

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"XS2026{n:04d}")
    source = "walk_in"
    summary = "两户因排水沟堵塞发生争执。"
    found_on = factory.LazyFunction(timezone.localdate)


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Dispute

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"TJ2026{n:04d}")
    kind = "neighbour"
    summary = "邻里宅基地边界争议。"
    committee = factory.LazyAttribute(lambda o: CommitteeFactory(town=o.town))
    registered_on = factory.LazyFunction(timezone.localdate)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Party

    town = factory.LazyAttribute(lambda o: o.dispute.town)
    dispute = factory.SubFactory(DisputeFactory)
    side = "applicant"
    name = factory.Sequence(lambda n: f"王某{n}")
    name_index = factory.Sequence(lambda n: f"idx{n}")
    phone = "13900001234"


class ScreeningRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScreeningRound

    town = factory.SubFactory(f.TownFactory)
    village = factory.LazyAttribute(lambda o: f.VillageFactory(town=o.town))
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Petition

    town = factory.SubFactory(f.TownFactory)
    code = factory.Sequence(lambda n: f"XFTEST{n:04d}")
    channel = "visit"
    received_on = factory.LazyFunction(timezone.localdate)
    petitioner_name = "李某某"
    petitioner_phone = "13900005678"
    subject = "土地补偿款发放"
    content = "反映土地补偿款未足额发放。"
