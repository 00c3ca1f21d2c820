"""Structured context for the disputes instruments' dedicated DOCX templates (调解协议书, 信访事项处理意见书).

``dispute_context(dispute, agreement)`` and ``petition_context(petition)`` return the fields the dedicated
templates use; the services merge them into the context they pass to ``instrument_render``. They are evaluated
in the official language (see ``core.i18n``).

The 调解协议书 is the official document signed by the parties: names, phones and addresses are given in clear
(decrypted). ``omit_prefixes`` lists the openings of the service's lines the dedicated layout shows in its own
fields; the layout prints ``paragraphs|omit(omit_prefixes)`` (for the agreement: the terms), so nothing the
service wrote is lost.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def dispute_context(dispute, agreement) -> dict:
    from .models import Party

    parties = [{"side": p.get_side_display(), "name": p.name, "phone": p.phone or "", "address": p.address or ""}
               for p in dispute.parties.all()]
    if agreement is not None and agreement.performance_days:
        performance = _("自本协议生效之日起{n}日内按上述协议内容履行完毕。").format(n=agreement.performance_days)
    else:
        performance = _("按上述协议内容约定的方式和期限履行。")
    sides = [f"{label}：" for label in Party.Side.labels]
    return {
        "dispute_code": dispute.code,
        "dispute_kind": dispute.get_kind_display(),
        "summary": dispute.summary,
        "place": dispute.place,
        "committee": str(dispute.committee) if dispute.committee_id else "",
        "mediator": dispute.mediator.name if dispute.mediator_id else "",
        "parties": parties,
        "copies": len(parties) + 1,
        "terms": [line.strip() for line in (agreement.terms if agreement else "").splitlines() if line.strip()],
        "performance": performance,
        "agreed_on": agreement.agreed_on if agreement else "",
        "omit_prefixes": ["纠纷类型：", *sides, "纠纷主要事实、争议事项：", "经人民调解委员会调解", "履行期限：",
                          "本协议自各方当事人签名", "双方当事人认为有必要的", "当事人（签名、盖章或按指印）：",
                          "人民调解员（签名）："],
    }


def petition_context(petition) -> dict:
    return {
        "recipient": petition.petitioner_name,
        "petitioner_name": petition.petitioner_name,
        "petitioner_phone": petition.petitioner_phone or "",
        "petitioner_address": petition.petitioner_address or "",
        "people": petition.people,
        "petition_code": petition.code,
        "received_on": petition.received_on,
        "channel": petition.get_channel_display(),
        "subject": petition.subject,
        "petition_class": petition.get_petition_class_display() if petition.petition_class else "",
        "handling_unit": petition.handling_unit,
        "opinion": petition.get_opinion_display() if petition.opinion else "",
        "omit_prefixes": ["信访人：", "信访事项："],
    }
