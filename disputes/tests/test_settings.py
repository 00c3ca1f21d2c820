"""Per-town early-warning period and risk thresholds: defaults, the edit page, and their use by the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from core.errors import DomainError
from disputes import services
from disputes.models import DisputeSettings
from disputes.tests.test_services import register
from disputes.tests.test_views import login

pytestmark = pytest.mark.django_db

GOOD = {"recurrence_days": 30, "yellow_amount": "5000", "red_amount": "50000", "yellow_people": 3,
        "red_people": 8}


def test_defaults_equal_the_constants(world):
    conf = services.town_settings(world.town)
    assert conf.pk is None
    assert (conf.recurrence_days, conf.yellow_amount, conf.red_amount, conf.yellow_people, conf.red_people) == (
        services.RECURRENCE_DAYS, services.YELLOW_AMOUNT, services.RED_AMOUNT, services.YELLOW_PEOPLE,
        services.RED_PEOPLE)
    model_defaults = {f.name: f.default for f in DisputeSettings._meta.concrete_fields if f.name in GOOD}
    assert model_defaults == {"recurrence_days": 180, "yellow_amount": 20000, "red_amount": 100000,
                              "yellow_people": 5, "red_people": 10}


def test_town_thresholds_grade_new_leads_and_disputes(world, other_world):
    assert register(world, amount="8000").risk == "green"
    services.settings_save(town=world.town, actor=world.users.lead, **GOOD)
    parties = [{"side": "applicant", "name": "赵"}, {"side": "respondent", "name": "钱"}]
    assert register(world, amount="8000", parties=parties, place="别处").risk == "yellow"
    parties = [{"side": "applicant", "name": "孙"}, {"side": "respondent", "name": "李"}]
    assert register(world, amount="60000", parties=parties, place="另处").risk == "red"
    lead = services.lead_create(town=world.town, actor=world.users.mediator, source="walk_in", summary="噪音",
                                parties_count=3)
    assert lead.risk == "yellow"
    # the other town keeps the defaults
    lead = services.lead_create(town=other_world.town, actor=other_world.users.mediator, source="walk_in",
                                summary="噪音", parties_count=3)
    assert lead.risk == "green"


def test_town_recurrence_period(world):
    old = register(world, on_date=dt.date.today() - dt.timedelta(days=60))
    d = register(world, place="别处")
    assert old.code in d.warning and "180日内" in d.warning
    services.settings_save(town=world.town, actor=world.users.lead, **GOOD)
    d = register(world, place="别处")
    assert old.code not in d.warning  # 60 days ago is outside a 30-day period
    assert "30日内" in d.warning  # the dispute just registered still recurs


@pytest.mark.parametrize("bad,field", [
    ({"recurrence_days": 0}, "recurrence_days"),
    ({"yellow_amount": "60000"}, "red_amount"),
    ({"yellow_people": 9}, "red_people"),
    ({"red_amount": "0"}, "yellow_amount"),
])
def test_settings_guards(world, bad, field):
    with pytest.raises(DomainError) as exc:
        services.settings_save(town=world.town, actor=world.users.lead, **(GOOD | bad))
    assert exc.value.field == field
    assert not DisputeSettings.objects.exists()


def test_settings_page(world, other_world, client, django_assert_max_num_queries):
    login(client, world.users.leader)
    url = reverse("disputes:settings")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200 and 'value="180"' in response.content.decode()
    before = AuditEntry.objects.count()
    response = client.post(url, GOOD | {"yellow_amount": "90000"})
    assert response.status_code == 200 and "黄色风险金额须低于红色风险金额" in response.content.decode()
    response = client.post(url, GOOD | {"recurrence_days": "abc"})
    assert response.status_code == 200 and "输入整数" in response.content.decode()
    assert not DisputeSettings.objects.exists() and AuditEntry.objects.count() == before
    assert client.post(url, GOOD).status_code == 302
    conf = DisputeSettings.objects.get()
    assert conf.town == world.town and conf.red_amount == Decimal("50000")
    assert AuditEntry.objects.filter(action="disputes.settings_save").count() == 1
    assert client.post(url, GOOD | {"recurrence_days": 90}).status_code == 302
    assert DisputeSettings.objects.get().recurrence_days == 90
    # the other town's leader sees and edits only their own town's settings
    login(client, other_world.users.leader)
    assert 'value="180"' in client.get(url).content.decode()
    login(client, world.users.mediator)
    assert client.get(url).status_code == 403
    assert client.post(url, GOOD).status_code == 403
