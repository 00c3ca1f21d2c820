"""The REST API: scope, masking, creation through the services, errors with their rule."""

import pytest

from disputes.tests.test_services import register

pytestmark = pytest.mark.django_db


def test_lists_are_scoped_and_masked(world, other_world, client):
    register(world)
    register(other_world)
    client.force_login(world.users.mediator)
    data = client.get("/api/v1/disputes/disputes/").json()
    assert data["count"] == 1
    names = [p["name"] for p in data["results"][0]["parties"]]
    assert names == ["张某", "李某"]
    assert client.get("/api/v1/disputes/leads/").status_code == 200
    client.force_login(world.users.auditor)
    assert client.get("/api/v1/disputes/disputes/").status_code == 403


def test_petition_create_and_statistics(world, client):
    client.force_login(world.users.dispatcher)
    response = client.post("/api/v1/disputes/petitions/", {"channel": "phone", "petitioner_name": "王某某",
                                                            "subject": "路灯", "content": "路灯不亮"})
    assert response.status_code == 201 and response.json()["petitioner"] == "王某"
    response = client.post("/api/v1/disputes/petitions/", {"channel": "bogus", "petitioner_name": "x",
                                                            "subject": "s", "content": "c"})
    assert response.status_code == 400
    stats = client.get("/api/v1/disputes/disputes/statistics/").json()
    assert stats["petitions"] == 1 and "definition" in stats
    client.force_login(world.users.mediator)
    assert client.get("/api/v1/disputes/disputes/statistics/").status_code == 403
