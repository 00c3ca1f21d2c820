"""Factories for clocks. A clock needs a record: by default it runs for the town itself."""

import datetime as dt

import factory
from django.contrib.contenttypes.models import ContentType

from clocks.models import Clock, ClockStatus
from org.tests.factories import TownFactory


class ClockFactory(factory.django.DjangoModelFactory):
    """An open 依申请公开 clock received 2026-09-30, due 2026-11-03 (20 working days across National Day)."""

    class Meta:
        model = Clock

    town = factory.SubFactory(TownFactory)
    content_type = factory.LazyFunction(lambda: ContentType.objects.get(app_label="org", model="town"))
    object_id = factory.LazyAttribute(lambda o: o.town.pk)
    object_repr = factory.LazyAttribute(lambda o: f"{o.town.name}依申请公开")
    rule_code = "ogi.request.reply"
    unit = "wd"
    length = 20
    start_date = dt.date(2026, 9, 30)
    due_date = dt.date(2026, 11, 3)
    status = ClockStatus.RUNNING
    steps = factory.LazyFunction(lambda: ["规则：依申请公开答复期限（ogi.request.reply）"])
