import random
from io import StringIO

import pytest
from django.urls import reverse

from audit.context import acting_as
from events import demo as events_demo
from events import selectors
from events.models import Campaign, Event, Hazard, JointOperation, ScreeningTask
from org import demo as org_demo


@pytest.mark.django_db
def test_a_year_of_demo_activity(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with acting_as(None, channel="cli"):
        built = org_demo.build_org(seed=org_demo.SEED)
        out = StringIO()
        events_demo.build(town=built.town, users=built.users, rng=random.Random(1), stdout=out)
    town = built.town
    assert Event.objects.filter(town=town).count() == events_demo.EVENTS_PER_YEAR
    road = Campaign.objects.get(town=town, code="road_safety")
    assert JointOperation.objects.filter(campaign=road).count() == 31  # spec: 31 joint traffic operations
    assert Hazard.objects.filter(campaign=road, kind="road", status="verified").count() == 30  # spec: 30 rectified
    assert Campaign.objects.filter(town=town, code="two_screenings").exists()
    assert ScreeningTask.objects.filter(town=town, plan__campaign=road).values("plan__month").distinct().count() >= 12
    assert ScreeningTask.objects.filter(town=town, done=True).count() > 300
    events = Event.objects.filter(town=town)
    assert events.filter(status__in=["closed", "rejected"]).count() > 250 and events.exclude(
        status__in=["closed", "rejected"]).exists()
    assert {"grid", "village", "town", "district"} <= set(events.values_list("settlement_level", flat=True))
    assert events.filter(rating__isnull=False).exists() and events.filter(reopen_count__gt=0).exists()
    # the dispatcher's pages work on a year of data
    client.force_login(built.users["dispatcher"])
    for name in ("events:board", "events:list", "events:stats", "events:campaigns", "events:hazards", "events:duty"):
        assert client.get(reverse(name)).status_code == 200
    from django.utils import timezone

    from events.models import DutyShift

    today = DutyShift.objects.get(town=town, date=timezone.localdate())  # the roster covers this month
    assert today.leader.grants.filter(role="leader").exists() and today.deputy_id
    assert today.leader.display_name in client.get(reverse("events:board")).content.decode()
    stats = selectors.statistics(built.users["leader"])
    assert stats["total"] == events_demo.EVENTS_PER_YEAR and stats["on_time_rate"] and stats["satisfaction"]
    assert "Open311" in out.getvalue()
    # the report's figures, as queries with the records they counted (demo: the last 365 days)
    from django.utils import timezone

    year = timezone.localdate().year
    figures = [selectors.annual_figures(built.users["leader"], year=y) for y in (year - 1, year)]
    assert sum(f["road_joint_operations"]["count"] for f in figures) == 31
    assert sum(f["road_hazards_rectified"]["count"] for f in figures) == 30
    assert all(len(f["road_hazards_rectified"]["ids"]) == f["road_hazards_rectified"]["count"] for f in figures)
