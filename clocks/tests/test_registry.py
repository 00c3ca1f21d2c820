"""The statute registry: every code of shared/reference/statutes.md is registered and citable."""

import datetime as dt

import pytest

from clocks import registry
from clocks.registry import chinese_number, render_article
from core.errors import DomainError

# Every rule code of shared/reference/statutes.md (§1–§13, including the guards listed in prose and the
# enumerations), extracted from the file; the registry must hold each of them.
STATUTE_CODES = [
    "period.start_day_excluded", "period.hours", "period.month_end", "period.rest_day_rollover", "period.end_of_day",
    "period.in_transit", "period.special_law_prevails", "period.wd.penalty", "period.wd.reconsideration",
    "period.wd.coercion", "period.wd.licensing", "period.wd.explicit", "period.natural", "calendar.weekly_rest",
    "calendar.holidays", "calendar.substitute_day", "calendar.makeup_workday", "calendar.partial_holiday",
    "calendar.rest_day_meaning", "penalty.limitation", "penalty.open", "penalty.preservation.decide",
    "penalty.statement.window", "penalty.hearing.request", "penalty.hearing.notice", "penalty.decision",
    "penalty.serve", "penalty.serve.public_notice", "penalty.fine.payment", "penalty.late_fine",
    "penalty.cash.handover", "penalty.summary.file", "penalty.withdraw", "penalty.enforce.demand",
    "penalty.enforce.apply", "penalty.seizure.term", "penalty.coercion.emergency_report",
    "penalty.summary.max_fine.person", "penalty.summary.max_fine.org", "penalty.onspot_collect.max",
    "penalty.hearing.threshold.person", "penalty.hearing.threshold.org", "penalty.late_fine.rate",
    "penalty.guard.power", "penalty.guard.two_officers", "penalty.guard.credentials_shown", "penalty.guard.recusal",
    "penalty.guard.limitation", "penalty.guard.summary", "penalty.guard.notice_first", "penalty.guard.no_heavier",
    "penalty.guard.hearing_offered", "penalty.guard.hearing_host", "penalty.guard.hearing_record",
    "penalty.guard.legal_review", "penalty.guard.reviewer_qualified", "penalty.guard.collective",
    "penalty.guard.contents", "penalty.guard.correction_order", "penalty.guard.double_fine",
    "penalty.guard.exemptions", "penalty.guard.crime_transfer", "penalty.guard.evidence", "penalty.guard.e_service",
    "penalty.guard.collection_separated", "penalty.guard.no_quota", "penalty.guard.full_record",
    "ogi.proactive.publish", "ogi.request.receipt", "ogi.request.correction_notice",
    "ogi.request.correction_deadline", "ogi.request.reply", "ogi.request.third_party", "ogi.request.co_producer",
    "ogi.guard.form", "ogi.guard.correction_once", "ogi.guard.extension_once", "ogi.guard.third_party_written",
    "ogi.guard.refusal_reasons", "ogi.guard.free", "ogi.guard.assistance", "ogi.guard.review_before_publish",
    "ogi.guard.promote", "ogi.annual_report.department", "ogi.annual_report.government", "ogi.annual_report.town",
    "ogi.annual_report.contents", "decision.catalogue", "decision.start", "decision.comment.period",
    "decision.hearing.materials", "decision.hearing.record", "decision.expert", "decision.risk",
    "decision.legality.review", "decision.collective", "decision.party_report", "decision.publish",
    "decision.archive", "decision.post_evaluation", "decision.suspend", "decision.guard.legality_first",
    "decision.guard.package", "decision.guard.comment_30d", "decision.guard.people_congress",
    "decision.guard.change_by_procedure", "normdoc.guard.content", "normdoc.comment.period",
    "normdoc.comment.period.market", "normdoc.fair_competition", "normdoc.legality_review", "normdoc.collective",
    "normdoc.publish", "normdoc.filing", "normdoc.validity", "normdoc.cleanup", "normdoc.incidental_review.reply",
    "normdoc.incidental_review.body", "npc.suggestion.reply.town_congress", "npc.suggestion.reply",
    "npc.suggestion.contact", "npc.suggestion.return_out_of_remit", "npc.suggestion.co_handler",
    "npc.suggestion.evaluation", "npc.suggestion.rehandle", "npc.suggestion.commitments",
    "npc.suggestion.inspection_feedback", "npc.suggestion.publish", "reconsideration.window",
    "reconsideration.forward", "reconsideration.answer", "reconsideration.answer.simple", "reconsideration.hearing",
    "reconsideration.decision.expected", "reconsideration.normdoc_reply", "reconsideration.opinion_letter",
    "reconsideration.perform", "reconsideration.guard.no_self_evidence", "reconsideration.guard.burden",
    "reconsideration.guard.not_suspended", "reconsideration.guard.notice_mandatory_first",
    "reconsideration.guard.settlement", "reconsideration.guard.new_act", "lit.window.direct",
    "lit.window.after_recon", "lit.window.inaction", "lit.answer", "lit.head.notice", "lit.first_instance.expected",
    "lit.appeal", "lit.perform", "lit.guard.head_appearance", "lit.guard.head_mandatory",
    "lit.guard.substantive_views", "lit.guard.no_self_evidence", "lit.guard.defendant", "lit.metric.head_rate",
    "mediation.start", "mediation.risk_report", "mediation.terminate", "mediation.agreement.effective",
    "mediation.performance", "mediation.judicial_confirmation", "mediation.guard.consent", "mediation.guard.free",
    "mediation.guard.rights", "mediation.guard.invitees", "mediation.guard.confidential", "mediation.guard.archive",
    "mediation.guard.committee", "petition.ack.direct", "petition.ack.transferred", "petition.objection",
    "petition.handle", "petition.review", "petition.recheck", "petition.guard.classify", "petition.guard.route_first",
    "petition.guard.settlement", "petition.guard.informant", "petition.guard.recusal", "petition.guard.delegation",
    "petition.guard.urgent", "petition.guard.channels_public", "petition.guard.ogi", "enfpub.before.items",
    "enfpub.before.update", "enfpub.officer_qualification", "enfpub.during", "enfpub.after.penalty_license",
    "enfpub.after.other", "enfpub.withdraw", "enfpub.display_period", "enfpub.annual_data",
    "enfpub.responsibility_report", "enfpub.complaint.reply", "license.correction_notice", "license.decide",
    "license.issue", "license.hearing", "license.renewal", "report.rule_of_law.publish", "report.rule_of_law.submit",
    "report.ogi.publish", "report.enforcement.data", "report.enforcement.responsibility",
    "report.npc.suggestion.handling", "license.guard.decision_public", "license.guard.publish_rules",
    "license.guard.written_receipt", "npc.suggestion.reply_kind", "ogi.answer", "ogi.refusal",
]

REQUIRED = ["ogi.request.reply", "penalty.hearing.request", "penalty.decision", "penalty.fine.payment",
            "npc.suggestion.reply", "reconsideration.answer", "org.handover.complete"]


def test_every_statute_code_is_registered():
    missing = [code for code in STATUTE_CODES if registry.find(code) is None]
    assert not missing
    assert len(set(STATUTE_CODES)) == 213


def test_required_codes_are_clocks_with_a_length():
    for code in REQUIRED:
        rule = registry.get_clock_rule(code)
        assert rule.length and rule.unit in ("wd", "d", "m")


def test_examples_of_the_data():
    assert registry.get("penalty.hearing.request").length_text() == "5个工作日"
    assert registry.get("penalty.hearing.request").counting == "period.wd.penalty"
    assert registry.get("penalty.decision").length_text() == "90日"
    rule = registry.get("ogi.request.reply")
    assert (rule.max_extensions, rule.extension_length, rule.pausable) == (1, 20, True)
    handover = registry.get("org.handover.complete")
    assert (handover.length, handover.unit, handover.status, handover.configurable) == (5, "wd", "unverified", True)
    assert registry.get("penalty.hearing.notice").direction == "before"
    assert registry.get("decision.comment.period").bound == "min"
    assert registry.get("penalty.summary.max_fine.person").value == 200
    assert registry.get("penalty.guard.two_officers").kind == "guard"
    assert "already_public" in registry.get("ogi.answer").values
    assert registry.get("ogi.annual_report.town").length_text() == "每年1月31日前"


def test_citation_for():
    assert registry.citation_for("penalty.hearing.request") == "《行政处罚法》第六十四条第（一）项、第八十五条"
    assert registry.citation_for("penalty.decision") == "《行政处罚法》第六十条"
    assert registry.citation_for("period.rest_day_rollover").startswith("《民法典》第二百零三条第一款；")
    assert registry.citation_for("no.such.code") == ""


def test_recon_prefix_resolves_to_reconsideration():
    assert registry.get("recon.answer").code == "reconsideration.answer"
    assert registry.citation_for("recon.answer") == "《行政复议法》第四十八条、第七十条、第八十二条"


def test_domain_error_cites_its_rule():
    error = DomainError("执法人员不得少于两人", rule="penalty.guard.two_officers")
    assert str(error) == "执法人员不得少于两人（《行政处罚法》第四十二条；《行政强制法》第十八条第（二）项）"


@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (64, "六十四"), (100, "一百"),
                                    (101, "一百零一"), (110, "一百一十"), (201, "二百零一"), (1005, "一千零五")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


@pytest.mark.parametrize("token,text", [
    ("64(1)", "第六十四条第（一）项"), ("201 para 1", "第二百零一条第一款"), ("18-21", "第十八条至第二十一条"),
    ("63(1)-(2)", "第六十三条第（一）项至第（二）项"), ("—", ""), ("指标24", "指标24"),
])
def test_render_article(token, text):
    assert render_article(token) == text


def test_every_rule_is_well_formed():
    rules = registry.all_rules()
    assert len({r.code for r in rules}) == len(rules)
    for rule in rules:
        assert rule.title and rule.kind in registry.KINDS and rule.status in registry.STATUSES
        if rule.status == "unverified" and rule.is_clock:
            assert rule.configurable
        if rule.is_clock and rule.unit != "fixed" and rule.length is None:
            assert rule.per_matter or rule.configurable
        if rule.kind in ("guard", "threshold", "clock") and rule.code != "org.handover.complete":
            assert rule.basis, rule.code


@pytest.mark.django_db
def test_every_clock_rule_computes_on_the_seeded_calendar():
    from clocks.calendar import DbCalendar
    from clocks.services import compute_rule

    calendar = DbCalendar()
    computed = 0
    for rule in registry.clock_rules():
        if rule.length is None and rule.unit != "fixed":
            continue
        start = dt.datetime(2025, 3, 3, 9) if rule.unit == "h" else dt.date(2025, 3, 3)
        if rule.unit == "y" and rule.length > 1:  # keep long periods inside the seeded years
            start = dt.date(2026 - rule.length, 3, 3)
        result = compute_rule(rule, start=start, calendar=calendar)
        assert result.steps[0] == f"规则：{rule.title}（{rule.code}）"
        computed += 1
    assert computed > 90
    assert calendar.queries <= 20
