import random
from io import StringIO

import pytest
from django.urls import reverse

from audit.context import acting_as
from enforcement import demo as enforcement_demo
from enforcement import selectors
from enforcement.models import Case, Matter, Officer, Publication
from org import demo as org_demo


@pytest.mark.django_db
def test_a_year_of_enforcement(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with acting_as(None, channel="cli"):
        built = org_demo.build_org(seed=org_demo.SEED)
        out = StringIO()
        enforcement_demo.build(town=built.town, users=built.users, rng=random.Random(1), stdout=out)
    town = built.town
    assert Matter.objects.filter(town=town).count() == 40
    assert set(Matter.objects.filter(town=town).values_list("source", flat=True)) == {
        "statutory", "delegated", "entrusted", "seconded"}
    assert Case.objects.filter(town=town).count() == enforcement_demo.CASES == 27
    assert Officer.objects.filter(town=town).count() == 13
    leader = built.users["leader"]
    import datetime as dt

    year = (dt.date.today() - dt.timedelta(days=300)).year
    figures = selectors.annual_figures(leader, year=year)
    assert figures["officers"] == figures["trained"] == figures["passed"] == 13  # 100 %
    cases = Case.objects.filter(town=town)
    assert cases.filter(procedure="summary").exists() and cases.filter(hearing_on__isnull=False).exists()
    assert cases.filter(reviews__isnull=False).exists() and cases.filter(discussions__isnull=False).exists()
    assert cases.filter(status__in=["closed", "archived"]).count() >= 15
    assert cases.exclude(status__in=["closed", "archived"]).exists()
    assert Publication.objects.filter(town=town).exists()
    from enforcement.models import CoerciveMeasure, Instalment, RecusalApplication, Transfer

    assert Transfer.objects.filter(town=town, status="sent").exists()
    assert RecusalApplication.objects.filter(town=town, status="refused").exists()
    assert CoerciveMeasure.objects.filter(town=town, extended=True).exists()
    assert CoerciveMeasure.objects.filter(town=town, status="in_force", emergency=True).exists()
    assert Instalment.objects.filter(town=town, paid_on__isnull=False).count() == 2
    assert cases.get(instalments__seq=1).status in ("closed", "archived")
    client.force_login(leader)
    for name in ("enforcement:cases", "enforcement:matters", "enforcement:officers", "enforcement:supervision"):
        assert client.get(reverse(name)).status_code == 200
    case = cases.filter(status="archived").first() or cases.filter(status="closed").first()
    assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 200
    for case in cases.filter(status__in=["filed", "investigating", "notice_served"]):  # the workflows' panels render
        assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 200
    assert "27" in out.getvalue()
