"""Labels defined at import time in clocks/views.py follow the reader's language (gettext_lazy)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_supervision_filters_in_english(client, leader):
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("clocks:supervision"))
    assert response.status_code == 200 and response.headers["Content-Language"] == "en"
    body = response.content.decode()
    for label in ("Overdue", "Due within 7 days", "All open"):
        assert label in body, label
    for label in ("已逾期", "7日内到期", "全部未完成"):
        assert f">{label}</option>" not in body, label


def test_supervision_filters_in_chinese(client, leader):
    client.force_login(leader)
    body = client.get(reverse("clocks:supervision"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">已逾期</option>" in body and ">全部未完成</option>" in body


def test_calendar_weekdays_follow_the_reader(client, leader):
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("clocks:calendar"), {"year": 2026}).content.decode()
    assert "Saturday" in body and "星期六" not in body
