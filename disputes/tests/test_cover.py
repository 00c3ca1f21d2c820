"""The printable case-file cover and index (卷宗封面, 卷内文件目录) and the archived-ledger export."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from access.roles import Role
from disputes import services
from disputes.models import Dispute, Petition
from disputes.tests.test_services import mediate, register
from disputes.tests.test_views import login

pytestmark = pytest.mark.django_db


def signed_and_archived(world):
    """A written agreement, signed and sealed, visited and archived."""
    dispute = mediate(world, register(world))
    services.agreement_make(dispute=dispute, actor=world.users.mediator, kind="written", terms="赔偿500元")
    for party in dispute.parties.all():
        services.agreement_sign(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.mediator, party=party)
    services.agreement_sign(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.mediator, mediator=True)
    services.agreement_sign(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.mediator, seal=True)
    services.dispute_return_visit(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.mediator,
                                  visit_note="已履行", performance="full")
    return services.dispute_close(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.users.lead)


def answered_petition(world):
    petition = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="letter",
                                          petitioner_name="王大明", petitioner_phone="13900009999",
                                          subject="道路修缮", content="村道破损")
    services.petition_classify(petition=petition, actor=world.users.dispatcher, petition_class="claim",
                               route="petition", handling_unit="村建办")
    return services.petition_answer(petition=Petition.objects.get(pk=petition.pk), actor=world.users.dispatcher,
                                    opinion="support", opinion_text="列入今年修缮计划。")


def test_dispute_cover_lists_the_file(world, client, django_assert_max_num_queries):
    dispute = signed_and_archived(world)
    login(client, world.users.mediator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("disputes:cover", args=[dispute.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("人民调解卷宗", "卷内文件目录", dispute.code, world.committee.name, world.town.name, "张三丰",
                 "李四光", "邻里纠纷", "达成书面调解协议", "档号", "保管期限", "@media print", 'data-testid="print"',
                 "window.print()"):
        assert text in body, text
    # Names only: no phone, no address; no navigation on the print page.
    assert "13900001111" not in body and "青石村3组12号" not in body
    assert "navbar" not in body and "fazhi-sidebar" not in body
    index = response.context["index"]
    titles = [item["title"] for item in index]
    assert titles[0] == "矛盾纠纷登记表" and "人民调解记录（第2次）" in titles and "回访记录" in titles
    number = Dispute.objects.get(pk=dispute.pk).agreement.instrument.number
    agreement_row = next(item for item in index if item["number"] == number)
    assert agreement_row["title"] == "人民调解协议书" and agreement_row["date"] == timezone.localdate()
    assert [item["serial"] for item in index] == list(range(1, len(index) + 1))
    assert body.count('data-testid="index-row"') == len(index)
    # Linked from the dispute page.
    assert reverse("disputes:cover", args=[dispute.pk]) in client.get(
        reverse("disputes:detail", args=[dispute.pk])).content.decode()


def test_dispute_cover_masks_names_for_readers_without_contact(world, client):
    dispute = signed_and_archived(world)
    login(client, world.users.dispatcher)  # disputes.view, not disputes.contact
    body = client.get(reverse("disputes:cover", args=[dispute.pk])).content.decode()
    assert "张三丰" not in body and "张某（申请人）" in body


def test_cover_access(world, other_world, client, make_user):
    dispute = register(world)
    petition = answered_petition(world)
    login(client, world.users.auditor)
    assert client.get(reverse("disputes:cover", args=[dispute.pk])).status_code == 403
    assert client.get(reverse("disputes:petition_cover", args=[petition.pk])).status_code == 403
    login(client, other_world.users.lead)
    assert client.get(reverse("disputes:cover", args=[dispute.pk])).status_code == 404
    assert client.get(reverse("disputes:petition_cover", args=[petition.pk])).status_code == 404
    assert client.get(reverse("disputes:cover", args=[999999])).status_code == 404
    login(client, world.users.leader)
    assert client.get(reverse("disputes:cover", args=[dispute.pk])).status_code == 200
    assert client.get(reverse("disputes:petition_cover", args=[petition.pk])).status_code == 200


def test_cover_of_a_fresh_dispute_has_blank_dates(world, client):
    dispute = register(world)
    login(client, world.users.lead)
    response = client.get(reverse("disputes:cover", args=[dispute.pk]))
    assert response.status_code == 200
    assert [item["title"] for item in response.context["index"]] == ["矛盾纠纷登记表"]


def test_petition_cover_lists_the_file(world, client, django_assert_max_num_queries):
    petition = answered_petition(world)
    login(client, world.users.dispatcher)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("disputes:petition_cover", args=[petition.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("信访事项卷宗", petition.code, "王大明", "道路修缮", "申诉求决", "出具处理意见：支持", "村建办"):
        assert text in body, text
    assert "13900009999" not in body and "村道破损" not in body
    titles = [item["title"] for item in response.context["index"]]
    assert titles[:2] == ["信访事项登记表", "受理告知"]
    number = Petition.objects.get(pk=petition.pk).opinion_instrument.number
    assert any(item["number"] == number for item in response.context["index"])
    assert reverse("disputes:petition_cover", args=[petition.pk]) in client.get(
        reverse("disputes:petition_detail", args=[petition.pk])).content.decode()


def test_cover_is_printed_in_the_official_language(world, client):
    dispute = signed_and_archived(world)
    login(client, world.users.lead)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("disputes:cover", args=[dispute.pk]))
    assert response.headers["Content-Language"] == "en"
    body = response.content.decode()
    for text in ("人民调解卷宗", "卷内文件目录", "矛盾纠纷登记表", "邻里纠纷", "达成书面调解协议", "案号"):
        assert text in body, text
    assert 'lang="zh-hans"' in body


def test_archive_ledger_export(world, client, make_user):
    archived = signed_and_archived(world)
    open_one = register(world)
    login(client, world.users.lead)
    response = client.get(reverse("disputes:list") + "?export=archive")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert archived.code in values and open_one.code not in values
    assert Dispute.objects.get(pk=archived.pk).agreement.instrument.number in values
    assert "张三丰" not in "".join(values) and "张某" in "".join(values)
    assert "export-archive" in client.get(reverse("disputes:list")).content.decode()
    login(client, make_user(Role.GRID_WORKER, town_=world.town, grid=world.grid, username="gw2"))
    assert client.get(reverse("disputes:list") + "?export=archive").status_code == 403
