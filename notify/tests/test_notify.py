"""Notifications: dedupe, SMS through the task queue and the pluggable channel, inbox, open one."""

import logging

import pytest
from django.urls import reverse

from access.roles import Role
from notify import selectors, services
from notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(make_user):
    u = make_user(Role.DISPATCHER)
    u.phone = "13800001234"
    u.save()
    return u


def test_notify_dedupes_by_key(user):
    first = services.notify(recipient=user, title="期限即将届满", key="clock:1:due_soon:2026-11-03")
    again = services.notify(recipient=user, title="期限即将届满", key="clock:1:due_soon:2026-11-03")
    assert first is not None and again is None
    assert selectors.unread_count(user) == 1
    assert first.town == user.town


def test_notify_many_skips_duplicates(user, make_user):
    other = make_user(Role.LEADER)
    created = services.notify_many(recipients=[user, other, user, None], title="提醒", key="k")
    assert len(created) == 2


def test_sms_goes_through_the_task_and_the_channel(user, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="fazhi.sms"), django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=user, title="期限已逾期", body="某事项", sms=True)
    assert "138****1234" in caplog.text and "期限已逾期 某事项" in caplog.text
    assert "13800001234" not in caplog.text


class RecordingBackend:
    sent: list = []

    def send(self, phone, text):
        self.sent.append((phone, text))


def test_sms_backend_is_pluggable(user, settings, django_capture_on_commit_callbacks):
    settings.FAZHI_SMS_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=user, title="提醒", sms=True)
    assert RecordingBackend.sent == [("13800001234", "提醒")]


def test_no_sms_without_a_phone(make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.LEADER)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipient=user, title="提醒", sms=True)
    assert callbacks == []


def test_inbox_filters_and_exports(client, user, django_assert_max_num_queries):
    services.notify(recipient=user, title="甲", level=Notification.Level.WARNING)
    read = services.notify(recipient=user, title="乙", level=Notification.Level.DANGER)
    services.mark_read(user=user, ids=[read.pk])
    client.force_login(user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notify:inbox"), {"state": "unread"})
    assert [n.title for n in response.context["page_obj"]] == ["甲"]
    response = client.get(reverse("notify:inbox"), {"level": "danger"})
    assert [n.title for n in response.context["page_obj"]] == ["乙"]
    response = client.get(reverse("notify:inbox"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_open_marks_read_and_follows_local_links_only(client, user, make_user):
    note = services.notify(recipient=user, title="甲", url="/clocks/")
    evil = services.notify(recipient=user, title="乙", url="https://example.com/")
    client.force_login(user)
    response = client.post(reverse("notify:open", kwargs={"pk": note.pk}))
    assert response.status_code == 302 and response["Location"] == "/clocks/"
    note.refresh_from_db()
    assert note.read_at is not None
    response = client.post(reverse("notify:open", kwargs={"pk": evil.pk}))
    assert response["Location"] == reverse("notify:inbox")
    assert client.get(reverse("notify:open", kwargs={"pk": note.pk})).status_code == 405
    # Somebody else's notification does not exist for this user, even in the same town.
    client.force_login(make_user(Role.LEADER))
    assert client.post(reverse("notify:open", kwargs={"pk": note.pk})).status_code == 404
    client.logout()
    assert client.post(reverse("notify:open", kwargs={"pk": note.pk})).status_code == 302


def test_mark_all_read(client, user):
    services.notify(recipient=user, title="甲")
    client.force_login(user)
    client.post(reverse("notify:mark_all_read"))
    assert selectors.unread_count(user) == 0
