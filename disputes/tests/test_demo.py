import random
from io import StringIO

import pytest
from django.urls import reverse

from audit.context import acting_as
from disputes import demo, selectors
from disputes.models import Dispute, Lead, Petition
from org import demo as org_demo


@pytest.mark.django_db
def test_a_year_of_disputes_and_petitions(client, settings, tmp_path, django_assert_max_num_queries):
    settings.MEDIA_ROOT = tmp_path / "media"
    with acting_as(None, channel="cli"):
        built = org_demo.build_org(seed=org_demo.SEED)
        out = StringIO()
        demo.build(town=built.town, users=built.users, rng=random.Random(1), stdout=out)
    town = built.town
    stats = selectors.statistics(built.users["leader"], **dict(zip(("date_from", "date_to"),
                                                                  selectors.default_range(), strict=True)))
    assert stats["resolved"] >= 80, stats
    assert stats["leads_screening"] >= 20
    assert stats["success_rate"] >= 96
    assert Lead.objects.filter(town=town, source="screening").count() >= 20
    assert Dispute.objects.filter(town=town, status="closed").count() >= 70
    assert Dispute.objects.filter(town=town).exclude(status="closed").exists()
    assert Dispute.objects.filter(town=town).exclude(warning="").exists()
    assert Petition.objects.filter(town=town).count() == demo.PETITIONS
    assert {"suggestion", "accusation", "claim"} <= set(Petition.objects.values_list("petition_class", flat=True))
    client.force_login(built.users["sector_lead"])
    client.get(reverse("disputes:list"))  # the session write happens once a minute, not on every page
    closed = Dispute.objects.filter(town=town, status="closed", outcome="written").first()
    pages = [reverse(name) for name in ("disputes:list", "disputes:leads", "disputes:stats", "disputes:petitions",
                                        "disputes:screening", "disputes:committees")]
    pages += [reverse("disputes:detail", args=[closed.pk]),
              reverse("disputes:petition_detail", args=[Petition.objects.filter(town=town).first().pk])]
    for url in pages:  # a year of data, still within the query budget
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url
    assert "件纠纷" in out.getvalue()
