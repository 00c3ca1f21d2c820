"""人民调解协议书 and 信访事项处理意见书 rendered from real disputes and petitions (disputes factories and
services) through their dedicated layouts."""

import pytest
from django.utils import translation

from disputes import services
from disputes.models import Petition
from disputes.tests.conftest import build_world
from disputes.tests.test_services import mediate, register

from .layout_helpers import document_of, full_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(town, make_user):
    return build_world(town, make_user)


def test_written_agreement_layout(w):
    dispute = mediate(w, register(w))
    with translation.override("en"):
        agreement = services.agreement_make(dispute=dispute, actor=w.users.mediator, kind="written",
                                            terms="一、张三丰赔偿李四光500元。\n二、双方互不追究。",
                                            performance_days=10)
    assert agreement.instrument.template_label == "系统默认模板"
    document = document_of(agreement.instrument)
    text = full_text(document)
    for expected in ("人民调解协议书", agreement.instrument.number, "当事人", "姓名（名称）", "联系电话",
                     "住所（地址）", "申请人", "张三丰", "被申请人", "李四光", "13900002222", "青石村3组14号",
                     "纠纷类型", "邻里纠纷", "纠纷主要事实、争议事项", "排水沟纠纷", "协议内容",
                     "一、张三丰赔偿李四光500元。", "二、双方互不追究。", "履行方式、期限", "10日内",
                     "具有法律约束力", "三十日内共同向人民法院申请司法确认", "一式3份",
                     "当事人（签名、盖章或按指印）", "人民调解员（签名）", w.mediator.name, "人民调解委员会（印章）",
                     w.committee.name, f"案号：{dispute.code}"):
        assert expected in text, expected
    # the service's lines the table shows in its own cells are not repeated
    assert "纠纷类型：" not in text and "人民调解员（签名）：" not in text
    assert text.count("一、张三丰赔偿李四光500元。") == 1
    assert len(document.tables) == 1 and "Applicant" not in text and "Neighbour" not in text


def test_petition_opinion_layout(w):
    petition = services.petition_register(town=w.town, actor=w.users.dispatcher, channel="visit",
                                          petitioner_name="王五", subject="补偿款", content="补偿款未发放")
    services.petition_classify(petition=petition, actor=w.users.dispatcher, petition_class="claim", route="petition")
    with translation.override("en"):
        petition = services.petition_answer(petition=Petition.objects.get(pk=petition.pk), actor=w.users.dispatcher,
                                            opinion="support", opinion_text="经核实，补发补偿款。")
    instrument = petition.opinion_instrument
    assert instrument.template_label == "系统默认模板"
    text = full_text(document_of(instrument))
    for expected in ("甲镇人民政府", "信访事项处理意见书", instrument.number, "王五：",
                     "通过来访提出的“补偿款”信访事项", f"查询码：{petition.code}", "处理意见：支持",
                     "经核实，补发补偿款。", "上一级机关复查", "（印章）"):
        assert expected in text, expected
    assert "信访人：" not in text and "Visit" not in text
