"""The registry of mediation committees and mediators: edit pages, deactivation guards, scope and budget."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from core.errors import DomainError
from disputes import services
from disputes.models import MediationCommittee, Mediator
from disputes.tests.test_services import register
from disputes.tests.test_views import login

pytestmark = pytest.mark.django_db


def committee_data(c, **kw):
    return {"name": c.name, "level": c.level, "village": c.village_id or "", "members": c.members,
            "women_members": c.women_members, "term_start": c.term_start.isoformat(),
            "term_end": c.term_end.isoformat(), "active": "on"} | kw


def test_committee_edit_page(world, client, django_assert_max_num_queries):
    login(client, world.users.lead)
    url = reverse("disputes:committee_edit", args=[world.committee.pk])
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    response = client.post(url, committee_data(world.committee, members=7, women_members=2))
    assert response.status_code == 302
    c = MediationCommittee.objects.get(pk=world.committee.pk)
    assert (c.members, c.women_members) == (7, 2)
    assert AuditEntry.objects.filter(action="disputes.committee_save", object_id=str(c.pk)).exists()


@pytest.mark.parametrize("bad,text", [
    ({"members": 12}, "三至九人"),
    ({"women_members": 0}, "妇女成员"),
    ({"term_end": "2030-12-31"}, "任期三年"),
    ({"name": ""}, "名称"),
    ({"term_start": "x"}, "任期起"),
])
def test_committee_bad_input_writes_nothing(world, client, bad, text):
    login(client, world.users.lead)
    before = AuditEntry.objects.count()
    url = reverse("disputes:committee_edit", args=[world.committee.pk])
    response = client.post(url, committee_data(world.committee, **bad))
    assert response.status_code == 200 and text in response.content.decode()
    assert AuditEntry.objects.count() == before
    assert MediationCommittee.objects.get(pk=world.committee.pk).members == world.committee.members


def test_committee_with_open_dispute_cannot_be_deactivated(world, client):
    d = register(world)
    login(client, world.users.lead)
    data = committee_data(world.committee)
    del data["active"]
    response = client.post(reverse("disputes:committee_edit", args=[world.committee.pk]), data)
    assert response.status_code == 200 and d.code in response.content.decode()
    assert MediationCommittee.objects.get(pk=world.committee.pk).active
    response = client.post(reverse("disputes:committee_edit", args=[world.town_committee.pk]),
                           {k: v for k, v in committee_data(world.town_committee).items() if k != "active"})
    assert response.status_code == 302 and not MediationCommittee.objects.get(pk=world.town_committee.pk).active
    # an inactive committee takes no new mediators
    with pytest.raises(DomainError):
        services.mediator_save(town=world.town, actor=world.users.lead, name="新人",
                               committee=MediationCommittee.objects.get(pk=world.town_committee.pk))


def test_mediator_add_edit_and_deactivate(world, client, django_assert_max_num_queries):
    login(client, world.users.lead)
    response = client.post(reverse("disputes:mediator_add", args=[world.committee.pk]),
                           {"name": "王调解", "qualification": "法律职业资格", "certificate_no": "TJ-001"})
    assert response.status_code == 302
    m = Mediator.objects.get(name="王调解")
    url = reverse("disputes:mediator_edit", args=[m.pk])
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("disputes:committees")).status_code == 200
    response = client.post(url, {"committee": world.town_committee.pk, "name": "王调解", "qualification": "律师",
                                 "certificate_no": "TJ-002", "phone": "13900003333", "trained_on": "2026-03-01"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.committee_id, m.qualification, m.certificate_no, m.phone, m.trained_on) == (
        world.town_committee.pk, "律师", "TJ-002", "13900003333", dt.date(2026, 3, 1))
    response = client.post(reverse("disputes:mediator_active", args=[m.pk]), {"active": "0", "reason": "调离本镇"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert not m.active
    entry = AuditEntry.objects.get(action="disputes.mediator_set_active", object_id=str(m.pk))
    assert entry.reason == "调离本镇"
    client.post(reverse("disputes:mediator_active", args=[m.pk]), {"active": "1"})
    m.refresh_from_db()
    assert m.active


def test_mediator_bad_input_writes_nothing(world, client):
    login(client, world.users.lead)
    m = world.mediator
    before = AuditEntry.objects.count()
    url = reverse("disputes:mediator_edit", args=[m.pk])
    response = client.post(url, {"committee": world.committee.pk, "name": ""})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    response = client.post(url, {"committee": 999999, "name": "甲"})
    assert response.status_code == 200 and "请选择本镇街在用的调解委员会" in response.content.decode()
    # deactivation needs a reason, and is refused while the mediator still mediates a dispute
    response = client.post(reverse("disputes:mediator_active", args=[m.pk]), {"active": "0"}, follow=True)
    assert "请填写原因" in response.content.decode()
    d = register(world)
    response = client.post(reverse("disputes:mediator_active", args=[m.pk]), {"active": "0", "reason": "退休"},
                           follow=True)
    assert d.code in response.content.decode()
    assert Mediator.objects.get(pk=m.pk).active and m.name == Mediator.objects.get(pk=m.pk).name
    assert AuditEntry.objects.filter(action__startswith="disputes.mediator").count() == 0
    assert AuditEntry.objects.count() > before  # only the registration of the dispute


def test_mediator_from_another_town_is_refused(world, other_world, client):
    login(client, world.users.lead)
    url = reverse("disputes:mediator_edit", args=[world.mediator.pk])
    response = client.post(url, {"committee": other_world.committee.pk, "name": "甲"})
    assert response.status_code == 200 and Mediator.objects.get(pk=world.mediator.pk).committee_id == \
        world.committee.pk
    assert client.get(reverse("disputes:mediator_edit", args=[other_world.mediator.pk])).status_code == 404
    assert client.get(reverse("disputes:committee_edit", args=[other_world.committee.pk])).status_code == 404
    assert client.post(reverse("disputes:mediator_active", args=[other_world.mediator.pk]),
                       {"active": "0", "reason": "x"}).status_code == 404
    with pytest.raises(DomainError):
        services.mediator_save(town=world.town, actor=world.users.lead, committee=world.committee, name="甲",
                               mediator=other_world.mediator)


def test_registry_pages_forbidden_to_mediators(world, client):
    login(client, world.users.mediator)
    assert client.get(reverse("disputes:committee_edit", args=[world.committee.pk])).status_code == 403
    assert client.get(reverse("disputes:mediator_edit", args=[world.mediator.pk])).status_code == 403
    response = client.post(reverse("disputes:mediator_active", args=[world.mediator.pk]),
                           {"active": "0", "reason": "x"})
    assert response.status_code == 403 and Mediator.objects.get(pk=world.mediator.pk).active
