"""Language: labels defined at import time follow the reader; official text (instruments, stored records of the case
file) stays in the official language whoever clicks."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from audit.models import AuditEntry
from clocks.models import ClockEvent
from disputes import services
from disputes.models import Dispute, Petition
from disputes.procedure import DISPUTE, PETITION
from disputes.tests.test_services import clocks_of, mediate, register
from disputes.tests.test_views import login

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def docx_text(instrument) -> str:
    with instrument.file.open("rb") as fh:
        document = Document(io.BytesIO(fh.read()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_transition_labels_are_lazy():
    """Procedure labels are evaluated when shown, not when disputes.procedure was imported."""
    with translation.override("en"):
        assert str(DISPUTE.get("close").label) == "Review and archive"
        assert str(PETITION.get("close").label) == "Close and archive"
    with translation.override("zh-hans"):
        assert str(DISPUTE.get("close").label) == "审核归档"


def test_dispute_page_shows_the_transition_label_in_english(world, client):
    dispute = register(world)
    english(login(client, world.users.lead))
    response = client.post(reverse("disputes:act", args=[dispute.pk]), {"action": "close"}, follow=True)
    body = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert "Review and archive" in body, body
    assert "审核归档" not in body
    assert Dispute.objects.get(pk=dispute.pk).status == "registered"


def test_petition_page_shows_the_transition_label_in_english(world, client):
    petition = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="visit",
                                          petitioner_name="王五", subject="补偿款", content="补偿款未发放")
    english(login(client, world.users.dispatcher))
    response = client.post(reverse("disputes:petition_step", args=[petition.pk]), {"action": "close"}, follow=True)
    body = response.content.decode()
    assert "Close and archive" in body and "办结归档" not in body


def test_written_agreement_is_chinese_when_the_mediator_reads_english(world):
    dispute = mediate(world, register(world))
    with translation.override("en"):
        agreement = services.agreement_make(dispute=dispute, actor=world.users.mediator, kind="written",
                                            terms="赔偿500元")
        english_words = [str(s) for s in (translation.gettext("人民调解协议书"), translation.gettext("邻里纠纷"),
                                          translation.gettext("申请人"))]
    text = docx_text(agreement.instrument)
    for chinese in ("人民调解协议书", "申请人", "张三丰", "赔偿500元", "人民调解委员会"):
        assert chinese in text, chinese
    for word in english_words:
        assert word not in text, word
    assert not LATIN_WORD.search(text.replace("SM3", "")), LATIN_WORD.findall(text)


def test_petition_opinion_is_chinese_when_the_handler_reads_english(world):
    petition = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="visit",
                                          petitioner_name="王五", subject="补偿款", content="补偿款未发放")
    with translation.override("en"):
        services.petition_classify(petition=petition, actor=world.users.dispatcher, petition_class="claim",
                                   route="petition")
        petition = services.petition_answer(petition=Petition.objects.get(pk=petition.pk),
                                            actor=world.users.dispatcher, opinion="support", opinion_text="补发。")
    text = docx_text(petition.opinion_instrument)
    assert "信访事项处理意见书" in text and "处理意见：支持" in text
    assert "Handling opinion" not in text and "Support" not in text


def test_records_of_the_case_file_are_stored_in_the_official_language(world):
    """Warnings, clock reasons and the route told to a petitioner are records, not the clicker's interface."""
    first = register(world)
    with translation.override("en"):
        second = register(world)
        services.dispute_escalate(dispute=first, actor=world.users.mediator, reason="双方再起冲突")
        petition = services.petition_register(town=world.town, actor=world.users.dispatcher, channel="transferred",
                                              petitioner_name="赵七", subject="劳动报酬", content="工资被拖欠")
        services.petition_classify(petition=petition, actor=world.users.dispatcher, petition_class="claim",
                                   route="arbitration")
    assert second.warning.startswith("180日内") and first.code in second.warning
    assert Dispute.objects.get(pk=first.pk).warning == "纠纷激化：双方再起冲突"
    stop = ClockEvent.objects.get(clock=clocks_of(petition)["petition.objection"], kind=ClockEvent.Kind.STOPPED)
    assert stop.detail["reason"] == "已受理"
    assert AuditEntry.objects.filter(action="disputes.petition.divert", object_id=str(petition.pk)).get().reason \
        == "仲裁"
    assert Petition.objects.get(pk=petition.pk).status == "diverted"
