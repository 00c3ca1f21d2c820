import threading

import pytest
from django.urls import reverse

from events import services
from events.models import Channel, Event
from events.tests.open311_client import GeoReportClient, GeoReportError


@pytest.fixture
def api_key(world):
    _key, raw = services.apikey_create(town=world.town, name="12345热线", actor=world.dispatcher)
    return raw


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_standard_client_lists_posts_and_reads_status(world, api_key, live_server, fmt):
    client = GeoReportClient(f"{live_server.url}/open311/v2", jurisdiction=world.town.code, api_key=api_key, fmt=fmt)
    services_ = client.services()
    codes = {s["service_code"] for s in services_}
    assert world.category.code in codes and world.parent.code not in codes  # leaves of the tree only
    definition = client.service_definition(world.category.code)
    assert (definition.get("service_code") if isinstance(definition, dict) else definition[0]) is not None
    status, created = client.post_request(service_code=world.category.code, lat=30.05, long=108.05,
                                          description="桥头护栏断裂", phone="13800001111", last_name="刘")
    assert status == 201 and created["service_request_id"]
    event = Event.objects.get(pk=int(created["service_request_id"]))
    assert event.channel == Channel.OPEN311 and event.grid == world.grid and event.reporter_phone == "13800001111"
    row = client.request(created["service_request_id"])
    assert row["status"] == "open" and row["status_notes"].startswith("reported")
    assert "13800001111" not in str(row)
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    services.event_transition(event=event, action="resolve", actor=world.holder, data={"result": "已更换护栏"})
    services.event_transition(event=event, action="verify", actor=world.dispatcher)
    services.event_transition(event=event, action="close", actor=world.dispatcher)
    row = client.request(created["service_request_id"])
    assert row["status"] == "closed" and "已更换护栏" in row["status_notes"]
    listed = client.requests(status="closed")
    assert [r["service_request_id"] for r in listed] == [created["service_request_id"]]
    assert client.requests(status="open") == [] or all(r["status"] == "open" for r in client.requests(status="open"))


@pytest.mark.django_db(transaction=True)
def test_post_needs_a_valid_key_and_reports_errors_in_open311_format(world, api_key, live_server):
    root = f"{live_server.url}/open311/v2"
    bad = GeoReportClient(root, jurisdiction=world.town.code, api_key="wrong")
    with pytest.raises(GeoReportError) as exc:
        bad.post_request(service_code=world.category.code, lat=30.05, long=108.05, description="x")
    assert exc.value.status == 403 and exc.value.errors[0]["code"] == 403
    good = GeoReportClient(root, jurisdiction=world.town.code, api_key=api_key)
    for kwargs, status in [({"service_code": "nope", "lat": 30.05, "long": 108.05}, 404),
                           ({"service_code": world.category.code}, 400),
                           ({"service_code": world.category.code, "lat": 45.0, "long": 120.0}, 400)]:
        with pytest.raises(GeoReportError) as exc:
            good.post_request(description="x", **kwargs)
        assert exc.value.status == status and exc.value.errors[0]["description"]
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_idempotency_key_concurrent_posts_create_one_request(world, api_key, live_server):
    client = GeoReportClient(f"{live_server.url}/open311/v2", jurisdiction=world.town.code, api_key=api_key)
    results, errors = [], []

    def post():
        try:
            results.append(client.post_request(service_code=world.category.code, lat=30.05, long=108.05,
                                               description="同一请求重试", idempotency_key="retry-123"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The live server shares the test's single in-memory SQLite connection between threads, which
        # cannot run statements concurrently: retries go one after another here, concurrently on PostgreSQL.
        for _ in range(10):
            post()
    else:
        threads = [threading.Thread(target=post) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert Event.objects.count() == 1
    assert {r[1]["service_request_id"] for r in results} == {str(Event.objects.get().pk)}


@pytest.mark.django_db
def test_jurisdiction_and_revoked_key(world, other_world, api_key, client):
    response = client.get(reverse("open311:services", kwargs={"fmt": "json"}))
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    response = client.get(reverse("open311:services", kwargs={"fmt": "json"}), {"jurisdiction_id": "nope"})
    assert response.status_code == 404
    key = world.town and services.apikey_create(town=world.town, name="旧系统", actor=world.dispatcher)[0]
    from events.models import ApiKey

    raw = api_key
    k = ApiKey.objects.get(key_hash=services.hash_key(raw))
    services.apikey_revoke(key=k, actor=world.dispatcher)
    response = client.post(reverse("open311:requests", kwargs={"fmt": "json"}),
                           {"api_key": raw, "service_code": world.category.code, "lat": 30.05, "long": 108.05})
    assert response.status_code == 403
    assert key.active
    # a key of one town cannot post into another
    _k2, raw2 = services.apikey_create(town=world.town, name="热线2", actor=world.dispatcher)
    response = client.post(reverse("open311:requests", kwargs={"fmt": "json"}),
                           {"api_key": raw2, "jurisdiction_id": other_world.town.code,
                            "service_code": world.category.code, "lat": 30.05, "long": 108.05})
    assert response.status_code == 403


@pytest.mark.django_db
def test_errors_in_xml(world, client):
    response = client.get(reverse("open311:service_definition", kwargs={"code": "nope", "fmt": "xml"}),
                          {"jurisdiction_id": world.town.code})
    assert response.status_code == 404 and response["Content-Type"].startswith("text/xml")
    from xml.etree import ElementTree

    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors" and root.find("error/code").text == "404" and root.find("error/description").text
