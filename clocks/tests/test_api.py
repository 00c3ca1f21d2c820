"""API: rules, calendar days, clocks (scoped), deadline computation; errors as 400 with the rule code."""

import datetime as dt

import pytest

from access.roles import Role
from clocks import services

from .factories import ClockFactory

D = dt.date
pytestmark = pytest.mark.django_db
API = "/api/v1/clocks"


def test_rules(client, leader):
    client.force_login(leader)
    data = client.get(f"{API}/rules/", {"section": "penalty", "kind": "clock"}).json()
    codes = {r["code"] for r in data}
    assert "penalty.hearing.request" in codes and "ogi.request.reply" not in codes
    rule = client.get(f"{API}/rules/penalty.hearing.request/").json()
    assert rule["citation"] == "《行政处罚法》第六十四条第（一）项、第八十五条"
    assert (rule["length"], rule["unit"], rule["status"]) == (5, "wd", "verified")
    assert client.get(f"{API}/rules/no.such/").status_code == 404


def test_rules_show_the_town_override(client, leader, town):
    services.rule_override_set(town=town, code="org.handover.complete", length=3, note="x", actor=leader)
    client.force_login(leader)
    assert client.get(f"{API}/rules/org.handover.complete/").json()["town_length"] == 3


def test_calendar_days(client, leader):
    client.force_login(leader)
    days = client.get(f"{API}/calendar/", {"year": 2026}).json()
    assert len(days) == 365
    day = client.get(f"{API}/calendar/2026-10-10/").json()
    assert (day["kind"], day["working"], day["name"]) == ("makeup_workday", True, "国庆节")
    assert len(client.get(f"{API}/calendar/", {"start": "2026-10-01", "end": "2026-10-07"}).json()) == 7
    assert client.get(f"{API}/calendar/").status_code == 400


def test_clocks_are_scoped(client, leader, town, other_town, make_user):
    mine = ClockFactory(town=town)
    ClockFactory(town=other_town)
    client.force_login(leader)
    data = client.get(f"{API}/clocks/").json()
    assert [c["id"] for c in data["results"]] == [mine.pk]
    assert data["results"][0]["citation"].startswith("《政府信息公开条例》")
    assert client.get(f"{API}/clocks/", {"status": "met"}).json()["count"] == 0
    client.force_login(make_user(Role.SYSADMIN))
    assert client.get(f"{API}/clocks/").status_code == 403


def test_deadline_compute(client, leader):
    client.force_login(leader)
    data = client.get(f"{API}/deadline/", {"rule": "penalty.decision", "start": "2026-07-05"}).json()
    assert data["due"] == "2026-10-08" and data["citation"] == "《行政处罚法》第六十条"
    assert any("民法典第二百零三条第一款" in s for s in data["steps"])
    data = client.post(f"{API}/deadline/", {"rule": "recon.answer", "start": "2026-09-30"},
                       content_type="application/json").json()
    assert data["rule"] == "reconsideration.answer" and data["due"] == "2026-10-20"
    missing = client.post(f"{API}/deadline/", {"rule": "ogi.request.reply", "start": "2026-12-20"},
                          content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["rule"] == "calendar.makeup_workday" and "2027" in missing.json()["detail"]
    unknown = client.get(f"{API}/deadline/", {"rule": "nope", "start": "2026-10-01"})
    assert unknown.status_code == 400 and "未知的期限规则代码" in unknown.json()["detail"]
    assert client.get(f"{API}/deadline/", {"rule": "penalty.decision", "start": "x"}).status_code == 400


def test_api_forbidden_and_anonymous(client, make_user):
    assert client.get(f"{API}/rules/").status_code in (401, 403)
    client.force_login(make_user(Role.AUDITOR))
    assert client.get(f"{API}/rules/").status_code == 403
    assert client.get(f"{API}/deadline/", {"rule": "penalty.decision"}).status_code == 403
