import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from events import services
from events.models import Channel, Event, EventStatus
from events.tests.conftest import png
from org.tests import factories as f

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = "500101199001011234"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _form(world, **extra):
    data = {"category": world.category.pk, "title": "路灯不亮", "description": "村口三盏路灯不亮",
            "token": "tok-1", "lat": "30.05", "lng": "108.05", "reporter_phone": PHONE}
    data.update(extra)
    return data


def test_report_without_login_gives_tracking_code(world, client):
    url = reverse("portal:report", args=[world.town.code])
    assert 'capture="environment"' in client.get(url).content.decode()
    response = client.post(url, {**_form(world), "photos": [png()]})
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track_detail", args=[event.tracking_code]) + "?new=1"
    assert event.channel == Channel.PORTAL and event.reporter_user is None and event.reporter_phone == PHONE
    assert event.grid == world.grid and event.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert event.tracking_code in page and "提交成功" in page and PHONE not in page


def test_phone_is_optional_and_bad_input_is_explained(world, client):
    url = reverse("portal:report", args=[world.town.code])
    page = client.post(url, _form(world, category="", token="a")).content.decode()
    assert "请选择事件分类" in page
    page = client.post(url, _form(world, lat="39.9", lng="116.4", token="b")).content.decode()
    assert "辖区内" in page
    assert not Event.objects.exists()
    client.post(url, _form(world, reporter_phone="", token="c"))
    assert Event.objects.get().reporter_phone == ""


def test_double_submit_saves_once(world, client):
    url = reverse("portal:report", args=[world.town.code])
    client.post(url, _form(world))
    page = client.post(url, _form(world), follow=True).content.decode()
    assert Event.objects.count() == 1 and "请勿重复提交" in page


def test_rate_limited_per_address(world, client):
    url = reverse("portal:report", args=[world.town.code])
    for i in range(5):
        client.post(url, _form(world, token=f"t{i}"))
    response = client.post(url, _form(world, token="t-last"))
    assert response.status_code == 429 and Event.objects.count() == 5
    other = client.post(url, _form(world, token="t-other"), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_unknown_tracking_code(client, world):
    page = client.get(reverse("portal:track") + "?code=NOPE12345").content.decode()
    assert "查询码不存在" in page
    assert client.get(reverse("portal:track_detail", args=["ZZZZZZZZZZ"])).status_code == 404


def test_public_pages_show_no_personal_data(world, client):
    event = services.event_report(
        town=world.town, category=world.category, title=f"请联系{PHONE}", channel="hotline", actor=world.dispatcher,
        description=f"身份证{ID_NUMBER}，电话{PHONE}，住和平村3组12号", address="重庆市万州区瀼渡镇和平村3组12号",
        reporter_name="王大明", reporter_phone=PHONE)
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    services.event_transition(event=event, action="resolve", actor=world.holder, data={"result": f"已回访{PHONE}"})
    services.event_transition(event=event, action="verify", actor=world.dispatcher)
    pages = [client.get(reverse("portal:track_detail", args=[event.tracking_code])).content.decode(),
             client.get(reverse("portal:town_home", args=[world.town.code])).content.decode(),
             client.get(reverse("open311:requests") + f"?jurisdiction_id={world.town.code}").content.decode()
             if _has_open311() else ""]
    for page in pages:
        assert PHONE not in page and ID_NUMBER not in page and "王大明" not in page and "3组12号" not in page
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", page)
        assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", page)


def _has_open311():
    from django.urls import NoReverseMatch

    try:
        reverse("open311:requests")
        return True
    except NoReverseMatch:
        return False


def test_rating_by_tracking_code_and_poor_rating_reopens(world, client):
    event = services.event_report(town=world.town, category=world.category, title="垃圾堆积", description="x",
                                  channel="portal", actor=None)
    url = reverse("portal:track_detail", args=[event.tracking_code])
    assert "rating-form" not in client.get(url).content.decode()  # not finished yet
    services.event_transition(event=event, action="dispatch", actor=world.dispatcher,
                              data={"sector": world.sector, "position": world.position})
    services.event_transition(event=event, action="resolve", actor=world.holder, data={"result": "已清运"})
    services.event_transition(event=event, action="verify", actor=world.dispatcher)
    services.event_transition(event=event, action="close", actor=world.dispatcher)
    page = client.get(url).content.decode()
    assert "rating-form" in page and "已清运" in page
    page = client.post(reverse("portal:rate", args=[event.tracking_code]), {"rating": "2", "comment": "还有"},
                       follow=True).content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.REOPENED and "重新办理" in page
    page = client.post(reverse("portal:rate", args=[event.tracking_code]), {"rating": "5"}, follow=True)
    assert "事件办结并经中心核查后才能评价" in page.content.decode()


def test_enterprise_appeal_links_enterprise_and_notifies_liaison(world, client, make_user,
                                                                django_capture_on_commit_callbacks):
    from access.roles import Role
    from notify.models import Notification

    cadre_user = make_user(Role.POST_HOLDER)
    cadre = f.StaffFactory(town=world.town, user=cadre_user, name="联络干部")
    ent = f.EnterpriseFactory(town=world.town, name="瀼渡柑橘合作社", credit_code="93500101MA00000001", liaison=cadre)
    url = reverse("portal:appeal", args=[world.town.code])
    page = client.post(url, _form(world, enterprise_name="别的公司", credit_code=ent.credit_code)).content.decode()
    assert "未找到该企业" in page and not Event.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(world, enterprise_name=ent.name, credit_code=ent.credit_code, token="x2"))
    event = Event.objects.get()
    assert event.channel == Channel.ENTERPRISE and event.enterprise == ent and event.liaison == cadre
    assert Notification.objects.filter(recipient=cadre_user, title__contains=ent.name).exists()


def test_town_home_links_the_other_public_services(client, world):
    page = client.get(reverse("portal:town_home", args=[world.town.code])).content.decode()
    assert reverse("enforcement:public_index", args=[world.town.code]) in page
    assert reverse("disputes:public_petition") in page
