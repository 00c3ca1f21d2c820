"""The one write path of 综合行政执法. Keyword-only arguments, one transaction each, audited inside it.

Case steps go through ``procedure.CASE.fire`` (state, permission, guards naming their rule, optimistic
locking, clocks, audit). Deadlines are clocks started by rule code; thresholds and the late-fine rate come
from ``clocks.registry``. Parties' personal data never enters an audit entry in clear.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import zlib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import require
from audit.services import record, snapshot
from clocks import periods, registry
from clocks import services as clock_services
from core.crypto import mask_name, sm3_file, sm3_hex
from core.errors import DomainError
from core.i18n import official_language
from instruments.services import instrument_render

from . import documents
from .models import (
    FIELD_RECORDS,
    TRANSFER_PENDING,
    Case,
    CaseSource,
    CaseStatus,
    Discussion,
    Evidence,
    EvidenceKind,
    LegalReview,
    Matter,
    MatterCategory,
    Officer,
    Outcome,
    PartyKind,
    Post,
    PowerSource,
    ProcedureKind,
    Publication,
    Reviewer,
    ReviewResult,
    Training,
    Transfer,
    TransferStatus,
)
from .procedure import CASE, check_officers, check_power

MATTER_FIELDS = ["code", "name", "category", "area", "source", "source_document", "acting_body", "law", "article",
                 "basis_text", "penalty_kinds", "fine_min", "fine_max", "discretion", "summary_allowed",
                 "hearing_threshold_person", "hearing_threshold_org", "decision_days", "legal_review_required",
                 "responsible_post", "checklist", "coercive_measures_allowed", "active"]
OFFICER_FIELDS = ["name", "credential", "credential_scope", "valid_from", "valid_until", "post",
                  "legal_qualification", "active", "user_id"]
# Case fields that may appear in audit entries (never the party's ID number, phone or address).
CASE_AUDIT_FIELDS = ["number", "matter_id", "procedure", "status", "source", "event_id", "party_kind", "place",
                     "act_date", "major_public_interest", "complex_case", "serious_violation", "filed_on",
                     "proposed_fine", "proposed_penalty", "hearing_offered", "statement_waived", "outcome", "fine",
                     "penalty_text", "decision_number", "decided_on", "served_on", "service_method", "paid_on",
                     "paid_amount", "late_fine", "closed_on"]
MAX_EVIDENCE_BYTES = 200 * 1024 * 1024
CENT = Decimal("0.01")


def _today(on_date=None) -> dt.date:
    return on_date or timezone.localdate()


def _money(value, field: str, *, required: bool = False):
    if value in (None, ""):
        if required:
            raise DomainError(_("请填写金额。"), field=field)
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise DomainError(_("“{v}”不是有效的金额。").format(v=value), field=field) from None
    if amount < 0:
        raise DomainError(_("金额不能为负数。"), field=field)
    return amount


# --- powers catalogue --------------------------------------------------------------------------
def _clean_matter(town, data: dict, *, instance: Matter | None = None) -> dict:
    clean = {}
    for name in MATTER_FIELDS:
        if name in data:
            clean[name] = data[name]
    for name in ("code", "name", "law"):
        value = str(clean.get(name, getattr(instance, name, "")) or "").strip()
        if not value:
            label = {"code": _("事项编码"), "name": _("事项名称"), "law": _("法律依据")}[name]
            raise DomainError(_("{f}不能为空。").format(f=label), field=name)
        clean[name] = value
    source = clean.get("source", getattr(instance, "source", ""))
    if source not in PowerSource.values:
        raise DomainError(_("权力来源须为法定、赋权、委托或派驻。"), rule="penalty.guard.power", field="source")
    if "category" in clean and clean["category"] not in MatterCategory.values:
        raise DomainError(_("权力类别无效。"), field="category")
    if "responsible_post" in clean and clean["responsible_post"] not in Post.values:
        raise DomainError(_("责任岗位无效。"), field="responsible_post")
    for name in ("fine_min", "fine_max", "hearing_threshold_person", "hearing_threshold_org"):
        if name in clean:
            clean[name] = _money(clean[name], name)
    low = clean.get("fine_min", getattr(instance, "fine_min", None))
    high = clean.get("fine_max", getattr(instance, "fine_max", None))
    if low is not None and high is not None and low > high:
        raise DomainError(_("罚款下限不能高于上限。"), field="fine_min")
    document = clean.get("source_document", getattr(instance, "source_document", "")) or ""
    if source in (PowerSource.DELEGATED, PowerSource.ENTRUSTED, PowerSource.SECONDED) and not document.strip():
        raise DomainError(_("赋权、委托、派驻事项须登记赋权决定、委托书或派驻文件。"), rule="penalty.guard.power",
                          field="source_document")
    body = clean.get("acting_body", getattr(instance, "acting_body", "")) or ""
    if source == PowerSource.ENTRUSTED and not body.strip():
        raise DomainError(_("委托事项须登记委托机关名称。"), rule="penalty.guard.power", field="acting_body")
    if "decision_days" in clean and clean["decision_days"] not in (None, ""):
        try:
            days = int(clean["decision_days"])
        except (TypeError, ValueError):
            raise DomainError(_("期限须为整数日。"), field="decision_days") from None
        if not 0 < days <= 3650:
            raise DomainError(_("期限须为整数日。"), field="decision_days")
        clean["decision_days"] = days
    elif "decision_days" in clean:
        clean["decision_days"] = None
    if "discretion" in clean:
        clean["discretion"] = parse_discretion(clean["discretion"])
    return clean


def parse_discretion(value) -> list[dict]:
    """"情节A：幅度A；情节B：幅度B" (or a list of dicts) → [{"circumstance", "range"}]."""
    if isinstance(value, list):
        items = value
    else:
        items = []
        for part in str(value or "").replace("\n", "；").split("；"):
            part = part.strip()
            if not part:
                continue
            head, sep, tail = part.replace(":", "：").partition("：")
            if not sep or not head.strip() or not tail.strip():
                raise DomainError(_("裁量基准“{p}”应写成“情节：处罚幅度”。").format(p=part), field="discretion")
            items.append({"circumstance": head.strip(), "range": tail.strip()})
    return [{"circumstance": str(i["circumstance"]), "range": str(i["range"])} for i in items]


@transaction.atomic
def matter_create(*, town, actor, **data) -> Matter:
    require(actor, "enforcement.manage")
    clean = _clean_matter(town, data)
    if Matter.objects.filter(town=town, code=clean["code"]).exists():
        raise DomainError(_("事项编码“{c}”已存在。").format(c=clean["code"]), field="code")
    matter = Matter.objects.create(town=town, **clean)
    record(action="enforcement.matter_create", obj=matter, actor=actor, after=snapshot(matter, MATTER_FIELDS))
    return matter


@transaction.atomic
def matter_update(*, matter: Matter, actor, reason: str = "", **data) -> Matter:
    require(actor, "enforcement.manage")
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    before = snapshot(matter, MATTER_FIELDS)
    clean = _clean_matter(matter.town, data, instance=matter)
    if clean.get("code") != matter.code and Matter.objects.filter(town=matter.town, code=clean["code"]).exists():
        raise DomainError(_("事项编码“{c}”已存在。").format(c=clean["code"]), field="code")
    for name, value in clean.items():
        setattr(matter, name, value)
    matter.save()
    record(action="enforcement.matter_update", obj=matter, actor=actor, before=before,
           after=snapshot(matter, MATTER_FIELDS), reason=reason)
    return matter


# Excel import: one header row, these columns (Chinese headers), every row valid or nothing is written.
IMPORT_COLUMNS = [
    ("code", "事项编码"), ("name", "事项名称"), ("category", "权力类别"), ("area", "执法领域"), ("source", "权力来源"),
    ("source_document", "赋权/委托/派驻文件"), ("acting_body", "实施主体名称"), ("law", "法律依据"),
    ("article", "条款"), ("basis_text", "条文内容"), ("penalty_kinds", "处罚种类"), ("fine_min", "罚款下限"),
    ("fine_max", "罚款上限"), ("discretion", "裁量基准"), ("summary_allowed", "可适用简易程序"),
    ("hearing_threshold_person", "听证标准（公民）"), ("hearing_threshold_org", "听证标准（组织）"),
    ("decision_days", "决定期限（日）"), ("legal_review_required", "须经法制审核"), ("responsible_post", "责任岗位"),
    ("checklist", "办案要点"), ("coercive_measures_allowed", "可实施查封扣押"),
]
_CHOICE_LABELS = {
    "category": {str(label): value for value, label in MatterCategory.choices},
    "source": {str(label): value for value, label in PowerSource.choices},
    "responsible_post": {str(label): value for value, label in Post.choices},
}
_YES = {"是", "Y", "YES", "TRUE", "1", "√"}
_NO = {"否", "N", "NO", "FALSE", "0", ""}


def read_matter_workbook(file) -> list[dict]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise DomainError(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"), field="file") from None
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise DomainError(_("表格是空的。"), field="file")
    header = [str(c or "").strip() for c in rows[0]]
    by_label = {label: name for name, label in IMPORT_COLUMNS}
    positions = {}
    for index, label in enumerate(header):
        if label in by_label:
            positions[by_label[label]] = index
    missing = [label for name, label in IMPORT_COLUMNS[:8] if name not in positions and name not in
               ("area", "source_document", "acting_body", "category")]
    if missing:
        raise DomainError(_("表头缺少列：{cols}。").format(cols="、".join(missing)), field="file")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c not in (None, "") for c in row):
            continue
        item = {"_row": number}
        for name, index in positions.items():
            value = row[index] if index < len(row) else None
            item[name] = "" if value is None else (value if isinstance(value, (int, float)) else str(value).strip())
        out.append(item)
    return out


def _import_row(item: dict) -> dict:
    data = {}
    for name, _label in IMPORT_COLUMNS:
        if name not in item:
            continue
        value = item[name]
        if name in _CHOICE_LABELS:
            text = str(value).strip()
            if text in _CHOICE_LABELS[name]:
                value = _CHOICE_LABELS[name][text]
            elif text in _CHOICE_LABELS[name].values():
                value = text
            elif text == "" and name != "source":
                continue
            else:
                raise DomainError(_("“{v}”不是有效的{f}。").format(v=text, f=dict(IMPORT_COLUMNS)[name]), field=name)
        if name in ("summary_allowed", "legal_review_required", "coercive_measures_allowed"):
            text = str(value).strip().upper()
            if text in _YES:
                value = True
            elif text in _NO:
                value = False
            else:
                raise DomainError(_("“{f}”须填“是”或“否”。").format(f=dict(IMPORT_COLUMNS)[name]), field=name)
        if name == "code" and isinstance(value, float) and value.is_integer():
            value = str(int(value))
        data[name] = value
    return data


@transaction.atomic
def matter_import(*, town, file, actor) -> dict:
    """Import (create or update by code) the powers list from Excel. All or nothing: any bad row → a
    DomainError whose ``extra["errors"]`` lists ``(row, message)`` for every bad row, nothing written."""
    require(actor, "enforcement.manage")
    items = read_matter_workbook(file)
    if not items:
        raise DomainError(_("表格中没有数据行。"), field="file")
    errors, prepared, seen = [], [], {}
    existing = {m.code: m for m in Matter.objects.filter(town=town)}
    for item in items:
        try:
            data = _import_row(item)
            instance = existing.get(str(data.get("code", "")).strip())
            clean = _clean_matter(town, data, instance=instance)
            if clean["code"] in seen:
                raise DomainError(_("事项编码“{c}”与第{r}行重复。").format(c=clean["code"], r=seen[clean["code"]]),
                                  field="code")
            seen[clean["code"]] = item["_row"]
            prepared.append((instance, clean))
        except DomainError as exc:
            errors.append((item["_row"], str(exc)))
    if errors:
        raise DomainError(_("导入失败：{n}行有错误，未导入任何数据。").format(n=len(errors)), field="file",
                          extra={"errors": errors})
    created = updated = 0
    for instance, clean in prepared:
        if instance is None:
            Matter.objects.create(town=town, **clean)
            created += 1
        else:
            for name, value in clean.items():
                setattr(instance, name, value)
            instance.save()
            updated += 1
    record(action="enforcement.matter_import", town=town, actor=actor, object_type="enforcement.matter",
           after={"created": created, "updated": updated, "rows": len(prepared)},
           files=[{"name": getattr(file, "name", "import.xlsx"), "path": "", "sm3": _digest_upload(file)}])
    return {"created": created, "updated": updated}


def _digest_upload(file) -> str:
    try:
        file.seek(0)
        digest = sm3_file(file)
        file.seek(0)
        return digest
    except Exception:  # pragma: no cover - unseekable streams
        return ""


# --- officers, reviewers, training ---------------------------------------------------------------
def _clean_officer(data: dict) -> dict:
    clean = {k: v for k, v in data.items() if k in OFFICER_FIELDS or k == "user"}
    for name, label in (("name", _("姓名")), ("credential", _("执法证号"))):
        if name in clean and not str(clean[name] or "").strip():
            raise DomainError(_("{f}不能为空。").format(f=label), field=name)
    if clean.get("valid_from") and clean.get("valid_until") and clean["valid_from"] > clean["valid_until"]:
        raise DomainError(_("证件有效期起不能晚于有效期至。"), field="valid_until")
    if "post" in clean and clean["post"] not in Post.values:
        raise DomainError(_("岗位无效。"), field="post")
    return clean


@transaction.atomic
def officer_create(*, town, actor, name: str, credential: str, valid_from, valid_until, post: str = Post.CASEWORK,
                   credential_scope: str = "", legal_qualification: bool = False, user=None) -> Officer:
    require(actor, "enforcement.manage")
    clean = _clean_officer({"name": name, "credential": credential, "valid_from": valid_from,
                            "valid_until": valid_until, "post": post})
    if not valid_from or not valid_until:
        raise DomainError(_("请填写证件有效期。"), field="valid_until")
    if Officer.objects.filter(town=town, credential=clean["credential"].strip()).exists():
        raise DomainError(_("执法证号“{c}”已登记。").format(c=credential), field="credential")
    if user is not None and user.town_id != town.pk:
        raise DomainError(_("登录账号不属于本镇街。"), field="user")
    officer = Officer.objects.create(town=town, name=name.strip(), credential=credential.strip(),
                                     credential_scope=credential_scope, valid_from=valid_from,
                                     valid_until=valid_until, post=post, legal_qualification=legal_qualification,
                                     user=user)
    record(action="enforcement.officer_create", obj=officer, actor=actor, after=snapshot(officer, OFFICER_FIELDS))
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, actor, reason: str = "", **data) -> Officer:
    require(actor, "enforcement.manage")
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    before = snapshot(officer, OFFICER_FIELDS)
    clean = _clean_officer(data)
    for name, value in clean.items():
        setattr(officer, name, value)
    if officer.valid_from > officer.valid_until:
        raise DomainError(_("证件有效期起不能晚于有效期至。"), field="valid_until")
    officer.save()
    record(action="enforcement.officer_update", obj=officer, actor=actor, before=before,
           after=snapshot(officer, OFFICER_FIELDS), reason=reason)
    return officer


@transaction.atomic
def training_record(*, officer: Officer, year: int, hours, exam_score=None, passed: bool, actor,
                    note: str = "") -> Training:
    require(actor, "enforcement.manage")
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise DomainError(_("培训学时须为数字。"), field="hours") from None
    if hours < 0:
        raise DomainError(_("培训学时不能为负数。"), field="hours")
    if exam_score not in (None, ""):
        try:
            exam_score = Decimal(str(exam_score))
        except (InvalidOperation, ValueError):
            raise DomainError(_("考试成绩须为数字。"), field="exam_score") from None
        if not 0 <= exam_score <= 100:
            raise DomainError(_("考试成绩须在0至100之间。"), field="exam_score")
    else:
        exam_score = None
    training, _created = Training.objects.update_or_create(
        town=officer.town, officer=officer, year=int(year),
        defaults={"hours": hours, "exam_score": exam_score, "passed": bool(passed), "note": note})
    record(action="enforcement.training_record", obj=officer, actor=actor,
           after={"year": int(year), "hours": hours, "exam_score": exam_score, "passed": bool(passed)})
    return training


@transaction.atomic
def reviewer_set(*, town, user, name: str, qualification_number: str, actor, active: bool = True) -> Reviewer:
    require(actor, "enforcement.manage")
    if user.town_id != town.pk:
        raise DomainError(_("登录账号不属于本镇街。"), field="user")
    reviewer, _created = Reviewer.objects.update_or_create(
        town=town, user=user, defaults={"name": name, "qualification_number": qualification_number.strip(),
                                        "active": active})
    record(action="enforcement.reviewer_set", obj=reviewer, actor=actor,
           after=snapshot(reviewer, ["name", "qualification_number", "active", "user_id"]))
    return reviewer


# --- cases: opening ---------------------------------------------------------------------------
def _next_number(town, year: int) -> str:
    from org.models import Town

    Town.objects.select_for_update().filter(pk=town.pk).first()
    # An official identifier, never translated: one series whatever language the user reads.
    prefix = f"{town.abbreviation}执案〔{year}〕"
    serials = [int(n[len(prefix):-1]) for n in Case.objects.filter(town=town, number__startswith=prefix)
               .values_list("number", flat=True) if n[len(prefix):-1].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1}号"


def _case_officers(town, officers) -> list[Officer]:
    officers = list(officers or [])
    for officer in officers:
        if officer.town_id != town.pk:
            raise DomainError(_("执法人员不属于本镇街。"), field="officers")
    return officers


def _event_for(actor, event_id):
    """A case may come from a grid event: read it through the events module's selectors only."""
    if not event_id:
        return None
    from events import selectors as event_selectors

    return event_selectors.event_detail(actor, event_id)


@transaction.atomic
def case_open(*, town, matter: Matter, actor, party_name: str, facts: str, party_kind: str = PartyKind.PERSON,
              party_id_number: str = "", party_phone: str = "", party_address: str = "", place: str = "",
              act_date=None, source: str = CaseSource.INSPECTION, event_id=None, officers=(),
              major_public_interest: bool = False, complex_case: bool = False, serious_violation: bool = False,
              on_date=None) -> Case:
    """Register a lead (案源). The 立案 decision is ``case_file``."""
    require(actor, "enforcement.case_open")
    check_power(matter, town)
    if not (party_name or "").strip():
        raise DomainError(_("请填写当事人。"), field="party_name")
    if not (facts or "").strip():
        raise DomainError(_("请填写案情摘要。"), field="facts")
    if party_kind not in PartyKind.values:
        raise DomainError(_("当事人类型无效。"), field="party_kind")
    if source not in CaseSource.values:
        raise DomainError(_("案件来源无效。"), field="source")
    today = _today(on_date)
    if act_date and act_date > today:
        raise DomainError(_("违法行为发生日不能晚于今天。"), field="act_date")
    if act_date:
        _check_limitation(town, act_date, today)
    event = _event_for(actor, event_id) if event_id else None
    case = Case(town=town, matter=matter, party_kind=party_kind, party_name=party_name.strip(),
                party_id_number=(party_id_number or "").strip().upper(), party_phone=(party_phone or "").strip(),
                party_address=(party_address or "").strip(), place=place, act_date=act_date, facts=facts.strip(),
                source=CaseSource.EVENT if event is not None else source, event_id=getattr(event, "pk", None),
                major_public_interest=major_public_interest, complex_case=complex_case,
                serious_violation=serious_violation,
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
    case.number = _next_number(town, today.year)
    case.save()
    case.officers.set(_case_officers(town, officers))
    record(action="enforcement.case_open", obj=case, actor=actor, after=snapshot(case, CASE_AUDIT_FIELDS)
           | {"officers": [o.pk for o in case.officers.all()]})
    return case


def _check_limitation(town, act_date, today) -> None:
    """penalty.guard.limitation: not discovered within the 2-year limitation → no case (Art. 36)."""
    from clocks.calendar import DbCalendar

    rule = registry.get_clock_rule("penalty.limitation")
    years = rule.length or 2
    try:
        rough = act_date.replace(year=act_date.year + years)
    except ValueError:  # 29 February → 28 February (period.month_end)
        rough = act_date.replace(year=act_date.year + years, day=28)
    if today <= rough:  # the rest-day rollover only ever lengthens the period
        return
    try:
        due = clock_services.compute_rule(rule, start=act_date, calendar=DbCalendar()).due_date
    except DomainError:  # calendar year not loaded: the plain date is the conservative answer
        due = rough
    if today > due:
        raise DomainError(_("违法行为发生于{d}，已超过二年追责时效，不得立案。").format(d=act_date),
                          rule="penalty.guard.limitation", field="act_date")


@transaction.atomic
def case_set_officers(*, case: Case, officers, actor, on_date=None) -> Case:
    require(actor, "enforcement.case_handle")
    if not case.is_open:
        raise DomainError(_("案件已结案，不能调整执法人员。"), field="officers")
    officers = _case_officers(case.town, officers)
    check_officers(officers, _today(on_date))
    _check_recusal(case, officers)
    before = sorted(case.officers.values_list("pk", flat=True))
    case.officers.set(officers)
    record(action="enforcement.case_officers", obj=case, actor=actor, before={"officers": before},
           after={"officers": sorted(o.pk for o in officers)})
    return case


def _check_recusal(case: Case, officers) -> None:
    recused = set(case.recused.values_list("pk", flat=True))
    conflicted = [o for o in officers if o.pk in recused]
    if conflicted:
        raise DomainError(_("执法人员{names}已回避本案，不得参与办理。").format(
            names="、".join(o.name for o in conflicted)), rule="penalty.guard.recusal", field="officers")


@transaction.atomic
def recusal_decide(*, case: Case, officer: Officer, reason: str, actor) -> Case:
    """回避 (Art. 43): decided by the agency head; the officer leaves the case and may not return to it.
    The investigation continues meanwhile (no status change)."""
    require(actor, "enforcement.case_approve")
    if officer.town_id != case.town_id:
        raise DomainError(_("执法人员不属于本镇街。"), field="officer")
    if not (reason or "").strip():
        raise DomainError(_("请填写回避理由。"), field="reason")
    case.officers.remove(officer)
    case.recused.add(officer)
    record(action="enforcement.recusal", obj=case, actor=actor, reason=reason,
           after={"officer": officer.pk, "name": officer.name})
    return case


def _render(kind_code: str, case: Case, actor, *, lines: list[str], number=True, on_date=None, title: str = "",
            recipient: str = "", extra: dict | None = None):
    """Render ``kind_code`` for ``case``: the structured fields of ``documents.case_context`` (dedicated layouts),
    the step's ``lines`` as ``paragraphs`` (every layout prints those it does not already show), then ``extra``."""
    body = case.matter.body_name(case.town)
    with official_language():
        context = documents.case_context(kind_code, case)
    context.update({"issuer": body, "signature": body, "recipient": recipient,
                    "paragraphs": [str(x) for x in lines if str(x).strip()]})
    context.update(extra or {})
    return instrument_render(kind_code=kind_code, obj=case, actor=actor, number=number, on_date=on_date,
                             title=title, context=context)


def _party_line(case: Case) -> str:
    return _("当事人：{name}（{kind}）；身份证号/统一社会信用代码：{id}；地址：{addr}").format(
        name=case.party_name, kind=case.get_party_kind_display(), id=case.party_id_number or "—",
        addr=case.party_address or "—")


@transaction.atomic
def case_file(*, case: Case, actor, reason: str = "", on_date=None) -> Case:
    """立案: head approval; the 90-day decision clock starts (or the matter's own period)."""
    day = _today(on_date)
    CASE.fire(case, "file", actor=actor, reason=reason, on_date=day)
    Case.objects.filter(pk=case.pk).update(filed_on=day)
    case.filed_on = day
    clock_services.clock_start(obj=case, rule_code="penalty.decision", actor=actor, start_date=day,
                               length=case.matter.decision_days)
    with official_language():
        _render("filing_approval", case, actor, number=False, on_date=day, lines=[
            _("案件编号：{n}").format(n=case.number), _("执法事项：{m}").format(m=case.matter),
            _party_line(case), _("案情摘要：{f}").format(f=case.facts),
            _("立案依据：{b}").format(b=case.matter.basis_citation),
            _("承办人员：{o}").format(o="、".join(str(o) for o in case.officers.all()) or "—"),
            _("审批意见：同意立案。{r}").format(r=reason or ""),
        ])
    return case


@transaction.atomic
def case_fire(*, case: Case, action: str, actor, reason: str = "", on_date=None) -> Case:
    """The plain steps (no data): investigate, close_investigation, submit_review, execute,
    file_with_agency, archive, drop."""
    if action not in {"investigate", "close_investigation", "submit_review", "execute", "file_with_agency",
                      "archive", "drop"}:
        raise DomainError(_("该操作需要填写表单。"), field="action")
    day = _today(on_date)
    CASE.fire(case, action, actor=actor, reason=reason, on_date=day)
    if action == "close_investigation":
        with official_language():
            _render("investigation_report", case, actor, number=False, on_date=day, lines=[
                _("案件编号：{n}").format(n=case.number), _party_line(case), _("违法事实：{f}").format(f=case.facts),
                _("证据：{e}").format(e="、".join(case.evidence.values_list("title", flat=True))),
                _("适用依据：{b}").format(b=case.matter.basis_citation),
                _("调查人员意见：{r}").format(r=reason or "—")])
    return case


# --- evidence (全过程记录) ------------------------------------------------------------------------
@transaction.atomic
def evidence_add(*, case: Case, kind: str, title: str, actor, upload=None, description: str = "", officers=(),
                 credentials_shown: bool = False, device: str = "", recorded_from=None, recorded_to=None,
                 preserved: bool = False, on_date=None) -> Evidence:
    require(actor, "enforcement.case_handle")
    if case.status not in (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.LEAD):
        raise DomainError(_("只有调查阶段可以登记证据。"), field="kind")
    if kind not in EvidenceKind.values:
        raise DomainError(_("证据种类无效。"), field="kind")
    if not (title or "").strip():
        raise DomainError(_("请填写证据名称。"), field="title")
    day = _today(on_date)
    officers = _case_officers(case.town, officers)
    if kind in FIELD_RECORDS:
        check_officers(officers, day)
        if not credentials_shown:
            raise DomainError(_("询问、检查笔录须记录执法人员已出示执法证件。"), rule="penalty.guard.credentials_shown",
                              field="credentials_shown")
    if kind == EvidenceKind.AUDIO_VIDEO and not (device or "").strip():
        raise DomainError(_("音像记录须登记记录设备。"), field="device")
    if recorded_from and recorded_to and recorded_from > recorded_to:
        raise DomainError(_("记录结束时间不能早于开始时间。"), field="recorded_to")
    if upload is None and kind in (EvidenceKind.PHOTO, EvidenceKind.AUDIO_VIDEO, EvidenceKind.DATA):
        raise DomainError(_("请上传证据文件。"), field="upload")
    evidence = Evidence(town=case.town, case=case, kind=kind, title=title.strip(), description=description,
                        device=device, recorded_from=recorded_from, recorded_to=recorded_to,
                        credentials_shown=credentials_shown, preserved=preserved,
                        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    files = []
    if upload is not None:
        size = getattr(upload, "size", 0) or 0
        if size == 0:
            raise DomainError(_("上传的文件是空的。"), field="upload")
        if size > MAX_EVIDENCE_BYTES:
            raise DomainError(_("文件超过 {mb} MB。").format(mb=MAX_EVIDENCE_BYTES // (1024 * 1024)), field="upload")
        upload.seek(0)
        evidence.sm3 = sm3_file(upload)
        upload.seek(0)
        evidence.size = size
        evidence.name = (getattr(upload, "name", "") or "evidence")[-200:]
        suffix = evidence.name.rsplit(".", 1)[-1].lower() if "." in evidence.name else "bin"
        evidence.file.save(f"{case.pk}-{evidence.sm3[:16]}.{suffix[:8]}", upload, save=False)
    evidence.save()
    evidence.officers.set(officers)
    if evidence.file:
        files = [{"name": evidence.name, "path": evidence.file.name, "sm3": evidence.sm3}]
    record(action="enforcement.evidence_add", obj=case, actor=actor, files=files,
           after={"evidence": evidence.pk, "kind": kind, "title": evidence.title, "sm3": evidence.sm3,
                  "device": device, "officers": [o.pk for o in officers], "credentials_shown": credentials_shown,
                  "preserved": preserved})
    if preserved:
        clock_services.clock_start(obj=case, rule_code="penalty.preservation.decide", actor=actor, start_date=day)
    if kind in FIELD_RECORDS:
        with official_language():
            _render(kind, case, actor, number=False, on_date=day, title=evidence.title, lines=[
                _("案件编号：{n}").format(n=case.number),
                _("执法人员：{o}（已出示执法证件）").format(o="、".join(str(o) for o in officers)),
                _("记录内容：{d}").format(d=description or evidence.title)])
    return evidence


@transaction.atomic
def preservation_decide(*, evidence: Evidence, decision: str, actor, on_date=None) -> Evidence:
    require(actor, "enforcement.case_handle")
    if not evidence.preserved or evidence.preservation_decided_on:
        raise DomainError(_("该证据没有待处理的先行登记保存。"), field="decision")
    if not (decision or "").strip():
        raise DomainError(_("请填写处理决定。"), field="decision")
    day = _today(on_date)
    evidence.preservation_decision = decision.strip()
    evidence.preservation_decided_on = day
    evidence.save(update_fields=["preservation_decision", "preservation_decided_on"])
    case = evidence.case
    if not case.evidence.filter(preserved=True, preservation_decided_on__isnull=True).exists():
        clock_services.clock_stop_for(obj=case, rule_code="penalty.preservation.decide", actor=actor, on_date=day)
    with official_language():
        _render("preservation_decision", case, actor, on_date=day, lines=[
            _("先行登记保存的证据：{t}").format(t=evidence.title), _("处理决定：{d}").format(d=decision)])
    record(action="enforcement.preservation_decide", obj=case, actor=actor,
           after={"evidence": evidence.pk, "decision": decision, "on": day})
    return evidence


# --- notice, hearing, review, discussion ----------------------------------------------------------
@transaction.atomic
def notice_serve(*, case: Case, proposed_penalty: str, actor, proposed_fine=None, hearing_offered: bool = False,
                 on_date=None) -> Case:
    """事先告知 (Arts 44–45, 63): the intended penalty and the rights; the hearing window starts."""
    day = _today(on_date)
    fine = _money(proposed_fine, "proposed_fine")
    if not (proposed_penalty or "").strip():
        raise DomainError(_("请填写拟处罚内容。"), field="proposed_penalty")
    _fire_with(case, "serve_notice", actor=actor, on_date=day,
               data={"proposed_fine": fine, "hearing_offered": hearing_offered},
               proposed_fine=fine, proposed_penalty=proposed_penalty.strip(), notice_served_on=day,
               hearing_offered=bool(hearing_offered))
    clock_services.clock_start(obj=case, rule_code="penalty.statement.window", actor=actor, start_date=day)
    if hearing_offered:
        clock_services.clock_start(obj=case, rule_code="penalty.hearing.request", actor=actor, start_date=day)
    with official_language():
        lines = [_party_line(case), _("经调查，你（单位）{f}").format(f=case.facts),
                 _("依据{b}，本机关拟作出如下行政处罚：{p}").format(b=case.matter.basis_citation, p=proposed_penalty),
                 _("根据《中华人民共和国行政处罚法》第四十四条、第四十五条，你（单位）有权进行陈述和申辩。")]
        if hearing_offered:
            lines.append(_("根据第六十三条、第六十四条，你（单位）有权要求听证，应当在收到本告知书之日起五个工作日内提出，"
                           "逾期视为放弃。当事人不承担听证费用。"))
        _render("notice_of_intended_penalty", case, actor, on_date=day, recipient=case.party_name, lines=lines)
    return case


def _fire_with(case: Case, action: str, *, actor, data=None, on_date=None, reason: str = "", **values):
    """Fire ``action`` changing ``values`` inside the same audited, version-checked update."""
    return CASE.fire(case, action, actor=actor, data={**(data or {}), "set": values}, on_date=on_date,
                     reason=reason)


@transaction.atomic
def statement_record(*, case: Case, statement: str, review: str, actor, waived: bool = False, on_date=None) -> Case:
    """陈述申辩 (Art. 45): the party's statement and the agency's re-check, or an express waiver (Art. 44/62).
    A heavier penalty afterwards needs a new notice (serve the notice again)."""
    require(actor, "enforcement.case_handle")
    if case.status != CaseStatus.NOTICE_SERVED:
        raise DomainError(_("送达事先告知书后方可记录陈述申辩。"), field="statement")
    if not waived and not (statement or "").strip():
        raise DomainError(_("请填写当事人的陈述申辩意见，或记录当事人明确放弃。"), field="statement")
    if not waived and not (review or "").strip():
        raise DomainError(_("请填写对陈述申辩的复核意见。"), field="review")
    day = _today(on_date)
    before = snapshot(case, ["statement_on", "statement_waived"])
    case.statement_on, case.statement_waived = day, bool(waived)
    case.statement_text, case.statement_review = (statement or "").strip(), (review or "").strip()
    case.save(update_fields=["statement_on", "statement_waived", "statement_text", "statement_review"])
    clock_services.clock_stop_for(obj=case, rule_code="penalty.statement.window", actor=actor, on_date=day)
    with official_language():
        _render("statement_record", case, actor, number=False, on_date=day, lines=[
            _("案件编号：{n}").format(n=case.number),
            _("当事人明确放弃陈述、申辩权利。") if waived else _("陈述申辩意见：{s}").format(s=statement),
            _("复核意见：{r}").format(r=review or "—")])
    record(action="enforcement.statement", obj=case, actor=actor, before=before,
           after=snapshot(case, ["statement_on", "statement_waived"]))
    return case


@transaction.atomic
def hearing_request(*, case: Case, actor, on_date=None) -> Case:
    day = _today(on_date)
    _fire_with(case, "request_hearing", actor=actor, on_date=day, hearing_requested_on=day)
    return case


@transaction.atomic
def hearing_hold(*, case: Case, host, held_on, record_text: str, signed: bool, actor, notice_date=None) -> Case:
    """Record the hearing (Art. 64): host is not an investigator; notice ≥ 7 wd before; signed record."""
    require(actor, "enforcement.case_handle")
    if case.status != CaseStatus.HEARING:
        raise DomainError(_("案件不在听证阶段。"), field="held_on")
    if host is None:
        raise DomainError(_("请指定听证主持人。"), field="host")
    if case.officers.filter(user=host).exists():
        raise DomainError(_("听证主持人不得为本案调查人员。"), rule="penalty.guard.hearing_host", field="host")
    if not held_on:
        raise DomainError(_("请填写听证日期。"), field="held_on")
    if not (record_text or "").strip():
        raise DomainError(_("请填写听证笔录。"), field="record_text")
    if notice_date:
        _check_hearing_notice(case, notice_date, held_on, actor)
        with official_language():
            _render("hearing_notice", case, actor, on_date=notice_date, recipient=case.party_name, lines=[
                _party_line(case), _("本机关定于{d}举行听证，请准时参加。").format(d=held_on),
                _("听证主持人：{h}").format(h=getattr(host, "display_name", "") or host),
                _("当事人可以亲自参加听证，也可以委托一至二人代理；不承担听证费用。")])
    before = snapshot(case, ["hearing_on", "hearing_host_id", "hearing_record_signed"])
    case.hearing_host = host
    case.hearing_on = held_on
    case.hearing_record = record_text.strip()
    case.hearing_record_signed = bool(signed)
    case.save(update_fields=["hearing_host", "hearing_on", "hearing_record", "hearing_record_signed"])
    with official_language():
        _render("hearing_record", case, actor, number=False, on_date=held_on, lines=[
            _("听证主持人：{h}").format(h=getattr(host, "display_name", "") or host),
            _("听证日期：{d}").format(d=held_on), record_text,
            _("当事人签字确认：{s}").format(s=_("已签字") if signed else _("未签字"))])
    record(action="enforcement.hearing_hold", obj=case, actor=actor, before=before,
           after=snapshot(case, ["hearing_on", "hearing_host_id", "hearing_record_signed"]))
    return case


def _check_hearing_notice(case, notice_date, held_on, actor) -> None:
    """penalty.hearing.notice: the notice at least 7 working days before the hearing (computed backwards)."""
    from clocks.calendar import DbCalendar

    rule = registry.get_clock_rule("penalty.hearing.notice")
    latest = clock_services.compute_rule(rule, start=held_on, calendar=DbCalendar()).due_date
    if notice_date > latest:
        raise DomainError(_("听证通知应在举行听证的七个工作日前送达：听证日为{d}，最迟应于{l}通知。").format(
            d=held_on, l=latest), rule="penalty.hearing.notice", field="notice_date")


@transaction.atomic
def review_submit(*, case: Case, actor, on_date=None) -> Case:
    return case_fire(case=case, action="submit_review", actor=actor, on_date=on_date)


@transaction.atomic
def legal_review_record(*, case: Case, result: str, opinion: str, actor, on_date=None) -> LegalReview:
    """法制审核 by a qualified reviewer who is not a case officer (Art. 58 para 2)."""
    require(actor, "enforcement.legal_review")
    if case.status != CaseStatus.LEGAL_REVIEW:
        raise DomainError(_("案件未提交法制审核。"), field="result")
    if result not in ReviewResult.values:
        raise DomainError(_("请选择审核结论。"), field="result")
    if not (opinion or "").strip():
        raise DomainError(_("请填写审核意见。"), field="opinion")
    reviewer = Reviewer.objects.filter(town=case.town, user=actor, active=True).first()
    if reviewer is None or not reviewer.qualification_number:
        raise DomainError(_("审核人员未登记法律职业资格，不能从事法制审核。"), rule="penalty.guard.reviewer_qualified",
                          field="result")
    if case.officers.filter(user=actor).exists():
        raise DomainError(_("本案承办人员不得担任法制审核人员。"), rule="penalty.guard.reviewer_qualified",
                          field="result")
    day = _today(on_date)
    review = LegalReview.objects.create(town=case.town, case=case, reviewer=actor, result=result,
                                        opinion=opinion.strip(), reviewed_on=day)
    with official_language():
        _render("legal_review_opinion", case, actor, on_date=day, lines=[
            _("案件编号：{n}").format(n=case.number), _("执法事项：{m}").format(m=case.matter),
            _("拟处罚内容：{p}").format(p=case.proposed_penalty or "—"),
            _("审核结论：{r}").format(r=review.get_result_display()), _("审核意见：{o}").format(o=opinion),
            _("审核人员：{r}（法律职业资格证书编号：{q}）").format(r=reviewer.name, q=reviewer.qualification_number)])
    record(action="enforcement.legal_review", obj=case, actor=actor,
           after={"review": review.pk, "result": result, "reviewed_on": day, "opinion": review.opinion,
                  "reviewer": reviewer.name})
    return review


@transaction.atomic
def discussion_record(*, case: Case, held_on, participants: str, minutes: str, conclusion: str, actor,
                      dissent: str = "") -> Discussion:
    """负责人集体讨论 (Art. 57 para 2)."""
    if not held_on:
        raise DomainError(_("请填写讨论日期。"), field="held_on")
    for name, value, label in (("participants", participants, _("参加人员")), ("minutes", minutes, _("讨论记录")),
                               ("conclusion", conclusion, _("讨论决定"))):
        if not (value or "").strip():
            raise DomainError(_("请填写{f}。").format(f=label), field=name)
    if case.status != CaseStatus.COLLECTIVE_DISCUSSION:
        CASE.fire(case, "discuss", actor=actor, on_date=held_on)
    else:
        require(actor, "enforcement.collective")
    discussion = Discussion.objects.create(town=case.town, case=case, held_on=held_on, participants=participants,
                                           minutes=minutes, conclusion=conclusion, dissent=dissent,
                                           created_by=actor)
    with official_language():
        _render("collective_discussion_record", case, actor, number=False, on_date=held_on, lines=[
            _("讨论日期：{d}").format(d=held_on), _("参加人员：{p}").format(p=participants),
            _("讨论记录：{m}").format(m=minutes), _("不同意见：{d}").format(d=dissent or _("无")),
            _("讨论决定：{c}").format(c=conclusion)])
    record(action="enforcement.discussion", obj=case, actor=actor,
           after={"discussion": discussion.pk, "held_on": held_on, "participants": participants,
                  "conclusion": conclusion, "dissent": dissent})
    return discussion


# --- decision, service, execution, closure --------------------------------------------------------
@transaction.atomic
def case_decide(*, case: Case, outcome: str, actor, penalty_text: str = "", fine=None,
                correction_ordered: bool = False, party_present: bool = True, first_offence_waiver: bool = False,
                on_date=None) -> Case:
    day = _today(on_date)
    fine = _money(fine, "fine")
    data = {"outcome": outcome, "fine": fine, "penalty_text": penalty_text, "correction_ordered": correction_ordered}
    _fire_with(case, "decide", actor=actor, data=data, on_date=day, outcome=outcome,
               fine=fine if outcome == Outcome.PENALTY else None,
               penalty_text=(penalty_text or "").strip(), decided_on=day, party_present=bool(party_present),
               correction_ordered=bool(correction_ordered), first_offence_waiver=bool(first_offence_waiver))
    kind = {Outcome.PENALTY: "penalty_decision", Outcome.NO_PENALTY: "no_penalty_decision",
            Outcome.TRANSFER: "transfer_letter"}[outcome]
    with official_language():
        lines = [_party_line(case), _("违法事实：{f}").format(f=case.facts),
                 _("证据：{e}").format(e="、".join(case.evidence.values_list("title", flat=True)) or "—")]
        if outcome == Outcome.PENALTY:
            lines += [_("处罚依据：{b}").format(b=case.matter.basis_citation),
                      _("处罚种类和数额：{p}").format(p=penalty_text),
                      _("履行方式和期限：自收到本决定书之日起十五日内到指定银行或者通过电子支付系统缴纳罚款；"
                        "逾期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款数额。"),
                      _("责令当事人立即改正（限期改正）违法行为。"),
                      _("如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。")]
        elif outcome == Outcome.NO_PENALTY:
            reason_text = penalty_text or _("违法行为轻微并及时改正，没有造成危害后果。")
            lines.append(_("决定不予行政处罚：{p}").format(p=reason_text))
        else:
            lines.append(_("本案涉嫌犯罪，依法移送司法机关：{p}").format(p=penalty_text))
    with official_language():
        instrument = _render(kind, case, actor, on_date=day, recipient=case.party_name, lines=lines)
    if outcome == Outcome.PENALTY:
        with official_language():
            _render("correction_order", case, actor, on_date=day, recipient=case.party_name, lines=[
                _party_line(case), _("你（单位）{f}").format(f=case.facts),
                _("根据《中华人民共和国行政处罚法》第二十八条和{b}，责令你（单位）立即改正（限期改正）上述违法行为。").format(
                    b=case.matter.basis_citation)])
    Case.objects.filter(pk=case.pk).update(decision_number=instrument.number)
    case.decision_number = instrument.number
    if not party_present:
        clock_services.clock_start(obj=case, rule_code="penalty.serve", actor=actor, start_date=day)
    if outcome == Outcome.PENALTY:
        clock_services.clock_start(obj=case, rule_code="enfpub.after.penalty_license", actor=actor, start_date=day)
    return case


@transaction.atomic
def case_summary_decide(*, town, matter: Matter, actor, party_name: str, facts: str, penalty_text: str,
                        officers, party_kind: str = PartyKind.PERSON, fine=None, party_id_number: str = "",
                        party_phone: str = "", party_address: str = "", place: str = "", on_date=None) -> Case:
    """简易程序: an on-the-spot decision within Art. 51's thresholds, pre-numbered, filed with the agency."""
    day = _today(on_date)
    fine = _money(fine, "fine")
    officers = _case_officers(town, officers)
    case = case_open(town=town, matter=matter, actor=actor, party_name=party_name, facts=facts,
                     party_kind=party_kind, party_id_number=party_id_number, party_phone=party_phone,
                     party_address=party_address, place=place, act_date=day, officers=officers, on_date=day)
    Case.objects.filter(pk=case.pk).update(procedure=ProcedureKind.SUMMARY)
    case.procedure = ProcedureKind.SUMMARY
    _fire_with(case, "decide_on_spot", actor=actor, on_date=day,
               data={"fine": fine, "penalty_text": penalty_text, "officers": officers},
               outcome=Outcome.PENALTY, fine=fine, penalty_text=(penalty_text or "").strip(), decided_on=day,
               correction_ordered=True)
    with official_language():
        instrument = _render("onspot_decision", case, actor, on_date=day, recipient=case.party_name, lines=[
            _party_line(case), _("违法事实：{f}").format(f=facts), _("处罚依据：{b}").format(b=matter.basis_citation),
            _("处罚内容：{p}").format(p=penalty_text),
            _("执法人员：{o}").format(o="、".join(str(o) for o in officers)),
            _("如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。")])
    Case.objects.filter(pk=case.pk).update(decision_number=instrument.number)
    case.decision_number = instrument.number
    return case


@transaction.atomic
def case_serve(*, case: Case, method: str, actor, served_on=None, eservice_consent: bool = False) -> Case:
    """送达 (Art. 61); the 15-day payment period runs from receipt."""
    day = _today(served_on)
    _fire_with(case, "serve", actor=actor, on_date=day, data={"method": method, "eservice_consent": eservice_consent},
               served_on=day, service_method=method, eservice_consent=bool(eservice_consent or case.eservice_consent))
    with official_language():
        _render("proof_of_service", case, actor, number=False, on_date=day, lines=[
            _("受送达人：{p}").format(p=case.party_name),
            _("送达文书：{n}").format(n=case.decision_number or _("行政处罚决定书")),
            _("送达方式：{m}").format(m=case.get_service_method_display()), _("送达日期：{d}").format(d=day)])
    if case.outcome == Outcome.PENALTY and case.fine:
        clock_services.clock_start(obj=case, rule_code="penalty.fine.payment", actor=actor, start_date=day)
    return case


def payment_due_date(case: Case):
    from clocks.models import Clock

    clock = (Clock.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
                                  rule_code="penalty.fine.payment").order_by("-id").first())
    return clock.due_date if clock is not None else None


def late_fine_for(case: Case, on: dt.date, *, due: dt.date | None = None) -> Decimal:
    """加处罚款 (Art. 72(1)): from the day after the payment deadline, the registry's rate per day of the fine,
    never more than the fine itself."""
    if not case.fine:
        return Decimal("0.00")
    due = due or payment_due_date(case)
    if due is None or on <= due:
        return Decimal("0.00")
    rate = Decimal(str(registry.get("penalty.late_fine.rate").value)) / Decimal(100)
    days = periods.days_overdue(due, on)
    return min(case.fine, (case.fine * rate * days).quantize(CENT, rounding=ROUND_HALF_UP))


@transaction.atomic
def payment_record(*, case: Case, paid_on, amount, actor) -> Case:
    """Record payment of the fine (through the bank; 罚缴分离) with any late fine due on that day."""
    require(actor, "enforcement.case_handle")
    if case.status not in (CaseStatus.SERVED, CaseStatus.FILED_WITH_AGENCY, CaseStatus.EXECUTING):
        raise DomainError(_("决定书送达后方可登记缴款。"), field="paid_on")
    if not case.fine:
        raise DomainError(_("本案没有罚款。"), field="amount")
    if case.instalments.exists():
        raise DomainError(_("本案已批准分期缴纳，请按期登记分期缴款。"), rule="penalty.fine.instalment", field="amount")
    if not paid_on:
        raise DomainError(_("请填写缴款日期。"), field="paid_on")
    if case.served_on and paid_on < case.served_on:
        raise DomainError(_("缴款日期不能早于送达日期。"), field="paid_on")
    amount = _money(amount, "amount", required=True)
    late = late_fine_for(case, paid_on)
    if amount < case.fine + late:
        raise DomainError(_("应缴{t}元（罚款{f}元，加处罚款{l}元），登记金额不足。").format(
            t=case.fine + late, f=case.fine, l=late), rule="penalty.late_fine", field="amount")
    if case.status != CaseStatus.EXECUTING:
        CASE.fire(case, "execute", actor=actor, on_date=paid_on)
    before = snapshot(case, ["paid_on", "paid_amount", "late_fine"])
    case.paid_on, case.paid_amount, case.late_fine = paid_on, amount, late
    case.save(update_fields=["paid_on", "paid_amount", "late_fine"])
    clock_services.clock_stop_for(obj=case, rule_code="penalty.fine.payment", actor=actor, on_date=paid_on)
    record(action="enforcement.payment", obj=case, actor=actor, before=before,
           after=snapshot(case, ["paid_on", "paid_amount", "late_fine"]))
    return case


@transaction.atomic
def payment_defer(*, case: Case, days: int, reason: str, actor) -> Case:
    """暂缓缴纳 (Art. 66 para 2): on the party's application, the head approves a later payment date; the
    payment clock is extended through the clocks engine (approver, reason, notice recorded)."""
    from clocks.models import Clock

    require(actor, "enforcement.case_approve")
    if case.paid_on or not case.fine or case.revoked_on:
        raise DomainError(_("本案没有待缴纳的罚款。"), field="days")
    if case.instalments.exists():
        raise DomainError(_("本案已批准分期缴纳。"), rule="penalty.fine.instalment", field="days")
    clock = (Clock.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
                                  rule_code="penalty.fine.payment").order_by("-id").first())
    if clock is None:
        raise DomainError(_("决定书送达后方可申请暂缓缴纳。"), rule="penalty.fine.payment", field="days")
    clock_services.clock_extend(clock=clock, days_or_length=days, approver=actor, reason=reason, actor=actor,
                                notice=_("已书面告知当事人新的缴款期限"))
    clock.refresh_from_db()
    with official_language():
        _render("payment_deferral", case, actor, recipient=case.party_name, lines=[
            _party_line(case),
            _("经当事人申请，同意暂缓缴纳罚款{f}元，缴款期限延至{d}。").format(
                f=case.fine, d=clock.due_date or _("（待导入相应年度工作日历后确定）")),
            _("理由：{r}").format(r=reason)])
    record(action="enforcement.payment_defer", obj=case, actor=actor, reason=reason,
           after={"days": int(days), "due_date": clock.due_date})
    return case


@transaction.atomic
def demand_serve(*, case: Case, actor, on_date=None) -> Case:
    """履行催告 (强制法 Arts 35, 54): after the payment period lapsed unpaid; the 10-wd wait starts."""
    require(actor, "enforcement.case_handle")
    day = _today(on_date)
    if case.status not in (CaseStatus.SERVED, CaseStatus.FILED_WITH_AGENCY, CaseStatus.EXECUTING) or not case.fine \
            or case.paid_on or case.revoked_on:
        raise DomainError(_("只有送达后未缴纳罚款的案件才能催告。"), rule="penalty.enforce.demand", field="on_date")
    if case.instalments.exists():
        overdue = overdue_instalments(case, day)
        if not overdue:
            raise DomainError(_("没有逾期未缴的分期，不得催告。"), rule="penalty.fine.instalment", field="on_date")
        late = plan_late_fine(case.instalments.filter(paid_on__isnull=True), day)
    else:
        due = payment_due_date(case)
        if due is not None and day <= due:
            raise DomainError(_("缴纳罚款期限至{d}届满，届满前不得催告。").format(d=due), rule="penalty.fine.payment",
                              field="on_date")
        late = late_fine_for(case, day)
    if case.status != CaseStatus.EXECUTING:
        CASE.fire(case, "execute", actor=actor, on_date=day)
    Case.objects.filter(pk=case.pk).update(demand_served_on=day)
    case.demand_served_on = day
    with official_language():
        _render("demand_notice", case, actor, on_date=day, recipient=case.party_name, lines=[
            _party_line(case), _("本机关于{d}作出{n}，你（单位）未在法定期限内缴纳罚款。").format(
                d=case.decided_on, n=case.decision_number),
            _("截至本催告书送达之日，应缴罚款{f}元、加处罚款{l}元。").format(f=case.fine, l=late),
            _("请于收到本催告书之日起十个工作日内履行；逾期仍不履行的，本机关将依法申请人民法院强制执行。"),
            _("你（单位）有权进行陈述和申辩。")])
    clock_services.clock_start(obj=case, rule_code="penalty.enforce.demand", actor=actor, start_date=day)
    record(action="enforcement.demand", obj=case, actor=actor, after={"demand_served_on": day, "late_fine": late})
    return case


@transaction.atomic
def court_apply(*, case: Case, court: str, actor, on_date=None) -> Case:
    """申请人民法院强制执行 (强制法 Art. 53–54): only after the demand's 10 working days passed unperformed."""
    from clocks.models import Clock

    require(actor, "enforcement.case_handle")
    day = _today(on_date)
    if not case.demand_served_on or case.paid_on or case.court_applied_on:
        raise DomainError(_("申请强制执行前须先送达催告书，且当事人仍未履行。"), rule="penalty.enforce.demand",
                          field="court")
    if not (court or "").strip():
        raise DomainError(_("请填写受理法院。"), field="court")
    clock = (Clock.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
                                  rule_code="penalty.enforce.demand").order_by("-id").first())
    if clock is not None and clock.due_date and day < clock.due_date:
        raise DomainError(_("催告书送达十个工作日后（{d}起）方可申请强制执行。").format(d=clock.due_date),
                          rule="penalty.enforce.demand", field="court")
    clock_services.clock_stop_for(obj=case, rule_code="penalty.enforce.demand", actor=actor, on_date=day)
    clock_services.clock_stop_for(obj=case, rule_code="penalty.fine.payment", actor=actor, on_date=day,
                                  outcome="stopped", reason=_("申请法院强制执行"))
    Case.objects.filter(pk=case.pk).update(court_applied_on=day, court=court.strip())
    case.court_applied_on, case.court = day, court.strip()
    with official_language():
        _render("enforcement_application", case, actor, on_date=day, recipient=court.strip(), lines=[
            _party_line(case), _("行政处罚决定：{n}（{d}）").format(n=case.decision_number, d=case.decided_on),
            _("处罚内容：{p}").format(p=case.penalty_text),
            _("催告情况：{d}送达催告书，当事人逾期仍未履行。").format(d=case.demand_served_on),
            _("申请事项：请求依法强制执行罚款{f}元及加处罚款{l}元。").format(f=case.fine, l=late_fine_for(case, day))])
    record(action="enforcement.court_apply", obj=case, actor=actor, after={"court": court, "on": day})
    return case


@transaction.atomic
def decision_revoke(*, case: Case, reason: str, actor, on_date=None) -> Case:
    """The decision was changed or revoked (or confirmed unlawful or void): recorded with the reason, and its
    publication withdrawn at once with the reason (处罚法 Art. 48 para 2: within 3 working days)."""
    require(actor, "enforcement.case_approve")
    if not case.decided_on or case.revoked_on:
        raise DomainError(_("该案件没有可撤销的决定。"), field="reason")
    if not (reason or "").strip():
        raise DomainError(_("撤销或变更决定须填写理由。"), field="reason")
    day = _today(on_date)
    before = snapshot(case, ["revoked_on", "revoke_reason"])
    Case.objects.filter(pk=case.pk).update(revoked_on=day, revoke_reason=reason.strip())
    case.revoked_on, case.revoke_reason = day, reason.strip()
    for code in ("penalty.fine.payment", "penalty.enforce.demand", "penalty.serve", "enfpub.after.penalty_license"):
        clock_services.clock_stop_for(obj=case, rule_code=code, actor=actor, on_date=day, outcome="stopped",
                                      reason=_("决定已撤销或变更"))
    record(action="enforcement.decision_revoke", obj=case, actor=actor, before=before,
           after=snapshot(case, ["revoked_on", "revoke_reason"]), reason=reason)
    publication = Publication.objects.filter(case=case, withdrawn_on__isnull=True).first()
    if publication is not None:
        _withdraw(publication, reason=reason, actor=actor, day=day)
    return case


@transaction.atomic
def case_close(*, case: Case, summary: str, actor, on_date=None) -> Case:
    if not (summary or "").strip():
        raise DomainError(_("请填写结案报告。"), field="summary")
    day = _today(on_date)
    _fire_with(case, "close", actor=actor, on_date=day, closed_on=day, closing_summary=summary.strip())
    with official_language():
        _render("closing_report", case, actor, number=False, on_date=day, lines=[
            _("案件编号：{n}").format(n=case.number), _("处理结果：{o}").format(o=case.get_outcome_display()),
            _("决定书文号：{d}").format(d=case.decision_number or "—"),
            _("执行情况：{p}").format(p=_("已缴纳{a}元").format(a=case.paid_amount) if case.paid_on else _("无罚款")),
            _("结案报告：{s}").format(s=summary)])
    return case


# --- publication (事后公示) -----------------------------------------------------------------------
def deidentify(case: Case) -> tuple[dict, dict]:
    """The public projection of a decision with personal data removed (domain.md §7)."""
    from events.selectors import scrub

    log = {"party_masked": case.party_kind == PartyKind.PERSON, "scrubbed_fields": []}
    party = mask_name(case.party_name) if case.party_kind == PartyKind.PERSON else case.party_name
    summary = case.facts
    for secret in (case.party_id_number, case.party_phone, case.party_address):
        if secret and secret in summary:
            summary = summary.replace(secret, "***")
            log["scrubbed_fields"].append("facts")
    if case.party_kind == PartyKind.PERSON and case.party_name and case.party_name in summary:
        summary = summary.replace(case.party_name, party)
    cleaned = scrub(summary)
    if cleaned != summary:
        log["scrubbed_fields"].append("facts:pattern")
    fields = {"party": party, "summary": cleaned, "penalty": scrub(case.penalty_text),
              "basis": case.matter.basis_citation, "body": case.matter.body_name(case.town)}
    return fields, log


@transaction.atomic
def publication_publish(*, case: Case, actor, on_date=None) -> Publication:
    require(actor, "enforcement.publish")
    if case.outcome != Outcome.PENALTY or not case.decided_on:
        raise DomainError(_("只有已作出的行政处罚决定需要公示。"), field="case")
    if Publication.objects.filter(case=case).exists():
        raise DomainError(_("该决定已公示。"), field="case")
    day = _today(on_date)
    fields, log = deidentify(case)
    with official_language():
        title = _("行政处罚决定信息公示（{n}）").format(n=case.decision_number)
    publication = Publication.objects.create(
        town=case.town, case=case, title=title,
        decision_number=case.decision_number, decided_on=case.decided_on, published_on=day, filter_log=log, **fields)
    clock_services.clock_stop_for(obj=case, rule_code="enfpub.after.penalty_license", actor=actor, on_date=day)
    record(action="enforcement.publish", obj=case, actor=actor,
           after={"publication": publication.pk, "published_on": day, "filter": log})
    return publication


@transaction.atomic
def publication_withdraw(*, publication: Publication, reason: str, actor, on_date=None) -> Publication:
    """The decision was changed, revoked, confirmed unlawful or void: withdraw within 3 wd with the reason."""
    require(actor, "enforcement.publish")
    if publication.withdrawn_on:
        raise DomainError(_("该公示已撤回。"), field="reason")
    if not (reason or "").strip():
        raise DomainError(_("撤回须公开说明理由。"), rule="penalty.withdraw", field="reason")
    _withdraw(publication, reason=reason, actor=actor, day=_today(on_date))
    return publication


def _withdraw(publication: Publication, *, reason: str, actor, day) -> None:
    clock_services.clock_start(obj=publication.case, rule_code="penalty.withdraw", actor=actor, start_date=day)
    publication.withdrawn_on = day
    publication.withdraw_reason = reason.strip()
    publication.save(update_fields=["withdrawn_on", "withdraw_reason"])
    clock_services.clock_stop_for(obj=publication.case, rule_code="penalty.withdraw", actor=actor, on_date=day)
    record(action="enforcement.publication_withdraw", obj=publication.case, actor=actor, reason=reason,
           after={"publication": publication.pk, "withdrawn_on": day})


# --- the case file (卷宗) ---------------------------------------------------------------------------
def casefile_documents(case: Case) -> list[dict]:
    """Every instrument (latest and earlier versions) and evidence file of the case, with its SM3."""
    from instruments.models import Instrument

    docs = []
    instruments = (Instrument.objects.filter(content_type=ContentType.objects.get_for_model(Case),
                                             object_id=str(case.pk))
                   .select_related("kind").order_by("rendered_at", "id"))
    for index, item in enumerate(instruments, start=1):
        label = item.number or item.kind.name
        docs.append({"path": f"instruments/{index:02d}-{item.kind.code}-v{item.version}.docx",
                     "title": f"{item.kind.name} {label}".strip(), "sm3": item.sm3, "size": item.size,
                     "storage": item.file.name if hasattr(item.file, "name") else str(item.file)})
    for index, item in enumerate(case.evidence.exclude(file=""), start=1):
        suffix = item.file.name.rsplit(".", 1)[-1] if "." in item.file.name else "bin"
        docs.append({"path": f"evidence/{index:02d}-{item.kind}.{suffix}", "title": item.title, "sm3": item.sm3,
                     "size": item.size, "storage": item.file.name})
    return docs


def casefile_zip(*, case: Case, actor) -> bytes:
    """卷宗 ZIP: the documents, ``manifest.json`` (case, documents, SM3) and ``SM3SUMS`` (one ``<sm3>  <path>``
    line each). Check offline: ``python manage.py enforcement_verify_casefile file.zip`` or, with OpenSSL,
    ``openssl dgst -sm3`` on each file and compare with SM3SUMS. A stored file that no longer matches its digest
    is refused (the archive must never carry a changed document)."""
    require(actor, "enforcement.export")
    docs = casefile_documents(case)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for doc in docs:
            with default_storage.open(doc["storage"], "rb") as handle:
                data = handle.read()
            if sm3_hex(data) != doc["sm3"]:
                raise DomainError(_("文件“{t}”与登记的SM3摘要不符，卷宗未导出。").format(t=doc["title"]),
                                  rule="audit.file_changed")
            archive.writestr(doc["path"], data)
        manifest = {
            "case": case.number, "matter": str(case.matter), "status": case.get_status_display(),
            "generated_at": timezone.now().isoformat(), "algorithm": "SM3",
            "documents": [{k: d[k] for k in ("path", "title", "sm3", "size")} for d in docs],
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.writestr("SM3SUMS", "".join(f"{d['sm3']}  {d['path']}\n" for d in docs))
    data = buffer.getvalue()
    record(action="enforcement.casefile_export", obj=case, actor=actor,
           after={"documents": len(docs), "sm3": sm3_hex(data)})
    return data


def casefile_verify(data: bytes) -> list[str]:
    """Problems found in a 卷宗 ZIP (empty list = every document matches the manifest)."""
    problems = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, zlib.error):
        return [_("不是有效的卷宗文件（缺少 manifest.json 或压缩包损坏）。")]
    names = set(archive.namelist())
    for doc in manifest.get("documents", []):
        if doc["path"] not in names:
            problems.append(_("缺少文件：{p}").format(p=doc["path"]))
            continue
        try:
            content = archive.read(doc["path"])
        except (zipfile.BadZipFile, OSError, zlib.error):  # CRC or deflate error: the stored bytes changed
            problems.append(_("文件已损坏或被修改：{p}").format(p=doc["path"]))
            continue
        if sm3_hex(content) != doc["sm3"]:
            problems.append(_("摘要不符：{p}").format(p=doc["path"]))
    listed = {d["path"] for d in manifest.get("documents", [])} | {"manifest.json", "SM3SUMS"}
    for extra in sorted(names - listed):
        problems.append(_("清单外的文件：{p}").format(p=extra))
    return problems


# --- inspections (双随机一公开, 综合查一次) ----------------------------------------------------------
def draw(seed: str, targets: list[int], inspectors: list[int], sample_size: int, per_target: int) -> list[tuple]:
    """The draw itself, a pure function: the same seed and pools always give the same result, so anyone can
    re-run it from what the plan and its audit entry record."""
    import random

    rng = random.Random(f"fazhi-random-inspection:{seed}")
    chosen = rng.sample(sorted(targets), min(sample_size, len(targets)))
    return [(target, sorted(rng.sample(sorted(inspectors), per_target))) for target in chosen]


@transaction.atomic
def plan_create(*, town, title: str, matters, sample_size: int, planned_on, actor, kind: str = "random",
                industry: str = "", inspectors_per_target: int = 2, public: bool = True):
    from .models import InspectionKind, InspectionPlan

    require(actor, "enforcement.manage")
    if not (title or "").strip():
        raise DomainError(_("请填写计划名称。"), field="title")
    if kind not in InspectionKind.values:
        raise DomainError(_("检查方式无效。"), field="kind")
    matters = [m for m in matters if m.town_id == town.pk]
    if not matters:
        raise DomainError(_("请选择至少一项检查事项。"), field="matters")
    for matter in matters:
        check_power(matter, town)
    if not sample_size or int(sample_size) < 1:
        raise DomainError(_("抽取对象数至少为1。"), field="sample_size")
    if int(inspectors_per_target) < 2:
        raise DomainError(_("每户检查人员不得少于两人。"), rule="penalty.guard.two_officers",
                          field="inspectors_per_target")
    plan = InspectionPlan.objects.create(town=town, title=title.strip(), kind=kind, industry=industry.strip(),
                                         sample_size=int(sample_size), inspectors_per_target=int(inspectors_per_target),
                                         planned_on=planned_on, public=public)
    plan.matters.set(matters)
    record(action="enforcement.plan_create", obj=plan, actor=actor,
           after=snapshot(plan, ["title", "kind", "industry", "sample_size", "inspectors_per_target", "planned_on"])
           | {"matters": [m.pk for m in matters]})
    return plan


@transaction.atomic
def plan_draw(*, plan, actor, seed: str = ""):
    """Draw the targets and the inspectors (two or more officers with credentials valid on the planned day).
    The seed, both pools and the result are stored and audited: the draw can be re-run and checked."""
    import secrets

    from org.models import Enterprise

    from .models import Inspection, InspectionPlan, PlanStatus

    require(actor, "enforcement.manage")
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(_("该计划已抽取，不能重新抽取。"), field="seed")
    targets = Enterprise.objects.filter(town=plan.town, active=True)
    if plan.industry:
        targets = targets.filter(industry=plan.industry)
    target_ids = sorted(targets.values_list("pk", flat=True))
    officers = [o for o in Officer.objects.filter(town=plan.town, active=True) if o.credential_valid(plan.planned_on)]
    officer_ids = sorted(o.pk for o in officers)
    if not target_ids:
        raise DomainError(_("检查对象名录为空，无法抽取。"), field="industry")
    if len(officer_ids) < plan.inspectors_per_target:
        raise DomainError(_("持有效执法证的执法人员不足{n}人，无法抽取。").format(n=plan.inspectors_per_target),
                          rule="penalty.guard.two_officers")
    seed = (seed or "").strip() or secrets.token_hex(8)
    result = draw(seed, target_ids, officer_ids, plan.sample_size, plan.inspectors_per_target)
    by_id = {o.pk: o for o in officers}
    for target, inspector_ids in result:
        inspection = Inspection.objects.create(town=plan.town, plan=plan, enterprise_id=target)
        inspection.officers.set([by_id[i] for i in inspector_ids])
    plan.seed, plan.target_pool, plan.inspector_pool = seed, target_ids, officer_ids
    plan.status, plan.drawn_at = PlanStatus.DRAWN, timezone.now()
    plan.save(update_fields=["seed", "target_pool", "inspector_pool", "status", "drawn_at"])
    record(action="enforcement.plan_draw", obj=plan, actor=actor,
           after={"seed": seed, "targets": target_ids, "inspectors": officer_ids,
                  "result": [[t, i] for t, i in result]})
    return plan


@transaction.atomic
def inspection_record(*, inspection, result: str, findings: str, actor, on_date=None, open_case: bool = False,
                      matter=None):
    """Record a visit; a finding of a violation opens a case (source: random inspection) for the matter."""
    from .models import InspectionResult, PlanStatus

    require(actor, "enforcement.case_handle")
    if inspection.result != InspectionResult.PENDING:
        raise DomainError(_("该对象已检查。"), field="result")
    if result not in InspectionResult.values or result == InspectionResult.PENDING:
        raise DomainError(_("请选择检查结果。"), field="result")
    if not (findings or "").strip():
        raise DomainError(_("请填写检查情况。"), field="findings")
    day = _today(on_date)
    check_officers(inspection.officers.all(), day)
    case = None
    if result == InspectionResult.CASE:
        matters = list(inspection.plan.matters.all())
        matter = matter if matter is not None and matter in matters else (matters[0] if matters else None)
        enterprise = inspection.enterprise
        case = case_open(town=inspection.town, matter=matter, actor=actor, party_kind=PartyKind.ORG,
                         party_name=enterprise.name, party_id_number=enterprise.credit_code,
                         party_address=enterprise.address or "", facts=findings, source=CaseSource.RANDOM,
                         officers=list(inspection.officers.all()), act_date=day, on_date=day)
    inspection.result, inspection.findings, inspection.done_on, inspection.case = result, findings.strip(), day, case
    inspection.save(update_fields=["result", "findings", "done_on", "case"])
    plan = inspection.plan
    if not plan.inspections.filter(result=InspectionResult.PENDING).exists():
        plan.status = PlanStatus.DONE
        plan.save(update_fields=["status"])
    record(action="enforcement.inspection_record", obj=plan, actor=actor,
           after={"inspection": inspection.pk, "enterprise": inspection.enterprise_id, "result": result,
                  "case": getattr(case, "pk", None)})
    return inspection


# --- transfer to judicial organs (移送司法机关) ---------------------------------------------------------
TRANSFER_FIELDS = ["status", "suspected_offence", "reported_on", "decided_on", "head_opinion", "organ", "sent_on",
                   "letter_number", "receipt_on", "answered_on", "answer_reason", "reconsider_requested_on",
                   "reconsider_reason", "reconsider_answered_on", "reconsider_answer"]


def _clock(obj, code: str):
    from clocks.models import Clock

    return (Clock.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
                                 rule_code=code).order_by("-id").first())


def _transfer_audit(action: str, transfer, *, actor, before=None, reason: str = "") -> None:
    """On the case (its timeline shows the transfer as it stands after each step: see selectors.workflows)."""
    record(action=f"enforcement.{action}", obj=transfer.case, actor=actor, before=before, reason=reason,
           after={"transfer": transfer.pk} | snapshot(transfer, TRANSFER_FIELDS))


def _locked_transfer(transfer) -> Transfer:
    return Transfer.objects.select_for_update().select_related("case", "case__matter", "case__town").get(
        pk=transfer.pk, town_id=transfer.town_id)


def _required(value, field: str, message: str) -> str:
    if not (value or "").strip():
        raise DomainError(message, field=field)
    return value.strip()


@transaction.atomic
def transfer_report(*, case: Case, suspected_offence: str, report: str, actor, on_date=None) -> Transfer:
    """The officers report a suspected crime to the head (移送规定 Art. 5); the head's 3-day clock starts and
    the case waits (no administrative decision) until the transfer is refused or answered."""
    require(actor, "enforcement.case_handle")
    if case.procedure != ProcedureKind.ORDINARY or case.status == CaseStatus.LEAD or not case.is_open:
        raise DomainError(_("只有已立案、尚未结案的普通程序案件可以报告移送。"), rule="penalty.guard.crime_transfer",
                          field="report")
    if Transfer.objects.filter(case=case, status__in=[*TRANSFER_PENDING, TransferStatus.ACCEPTED]).exists():
        raise DomainError(_("本案已有进行中的移送。"), rule="penalty.guard.crime_transfer", field="report")
    offence = _required(suspected_offence, "suspected_offence", _("请填写涉嫌罪名。"))
    text = _required(report, "report", _("请填写涉嫌犯罪的事实和移送理由。"))
    day = _today(on_date)
    transfer = Transfer.objects.create(town=case.town, case=case, suspected_offence=offence, report=text,
                                       reported_on=day,
                                       reported_by=actor if getattr(actor, "is_authenticated", False) else None)
    clock_services.clock_start(obj=case, rule_code="penalty.transfer.decide", actor=actor, start_date=day)
    _transfer_audit("transfer_report", transfer, actor=actor)
    return transfer


@transaction.atomic
def transfer_decide(*, transfer: Transfer, approve: bool, opinion: str, actor, on_date=None) -> Transfer:
    """The head approves or refuses the transfer within 3 days; approved → send within 24 hours."""
    require(actor, "enforcement.case_approve")
    transfer = _locked_transfer(transfer)
    if transfer.status != TransferStatus.REPORTED:
        raise DomainError(_("该移送已审批。"), field="approve")
    if not approve and not (opinion or "").strip():
        raise DomainError(_("不批准移送须写明理由。"), rule="penalty.transfer.decide", field="opinion")
    day = _today(on_date)
    before = snapshot(transfer, TRANSFER_FIELDS)
    transfer.status = TransferStatus.APPROVED if approve else TransferStatus.NOT_APPROVED
    transfer.decided_on, transfer.head_opinion = day, (opinion or "").strip()
    transfer.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    transfer.save(update_fields=["status", "decided_on", "head_opinion", "decided_by"])
    case = transfer.case
    clock_services.clock_stop_for(obj=case, rule_code="penalty.transfer.decide", actor=actor, on_date=day)
    if approve:
        clock_services.clock_start(obj=case, rule_code="penalty.transfer.send", actor=actor, start_date=day)
    _transfer_audit("transfer_decide", transfer, actor=actor, before=before, reason=opinion)
    return transfer


@transaction.atomic
def transfer_send(*, transfer: Transfer, organ: str, materials: str, actor, on_date=None) -> Transfer:
    """移送 (Art. 6): the numbered 涉嫌犯罪案件移送书 and the 移送材料清单 go to the public-security organ; the
    organ's 3-day clock starts (tracked, not ours to enforce)."""
    require(actor, "enforcement.case_handle")
    transfer = _locked_transfer(transfer)
    if transfer.status != TransferStatus.APPROVED:
        raise DomainError(_("负责人批准移送后方可移送。"), rule="penalty.transfer.decide", field="organ")
    organ = _required(organ, "organ", _("请填写接受移送的公安机关。"))
    items = [line.strip() for line in (materials or "").splitlines() if line.strip()]
    if not items:
        raise DomainError(_("请填写移送材料清单（每行一项）。"), rule="penalty.transfer.send", field="materials")
    day = _today(on_date)
    before = snapshot(transfer, TRANSFER_FIELDS)
    case = transfer.case
    with official_language():
        letter = _render("crime_transfer", case, actor, on_date=day, recipient=organ, lines=[
            _("{o}：").format(o=organ),
            _("本机关在办理{n}一案中，发现当事人涉嫌{c}，依据《中华人民共和国行政处罚法》第二十七条和"
              "《行政执法机关移送涉嫌犯罪案件的规定》，现将该案移送你局，请依法审查，并在三日内作出立案或者不予立案的决定，"
              "书面告知本机关。").format(n=case.number, c=transfer.suspected_offence),
            _party_line(case), _("涉嫌犯罪的事实和理由：{r}").format(r=transfer.report),
            _("附件：移送材料清单（共{k}项）").format(k=len(items))])
        _render("transfer_materials", case, actor, number=False, on_date=day, recipient=organ, lines=[
            _("移送书文号：{n}").format(n=letter.number)] + [f"{i}. {item}" for i, item in enumerate(items, start=1)])
    transfer.status, transfer.organ, transfer.sent_on = TransferStatus.SENT, organ, day
    transfer.materials, transfer.letter_number = "\n".join(items), letter.number
    transfer.save(update_fields=["status", "organ", "sent_on", "materials", "letter_number"])
    clock_services.clock_stop_for(obj=case, rule_code="penalty.transfer.send", actor=actor, on_date=day)
    clock_services.clock_start(obj=case, rule_code="penalty.transfer.accept", actor=actor, start_date=day)
    _transfer_audit("transfer_send", transfer, actor=actor, before=before)
    return transfer


@transaction.atomic
def transfer_receipt(*, transfer: Transfer, receipt_on, actor) -> Transfer:
    """The organ's receipt (回执): its 3-day clock counts from the day it accepted the materials."""
    require(actor, "enforcement.case_handle")
    transfer = _locked_transfer(transfer)
    if transfer.status != TransferStatus.SENT or transfer.receipt_on:
        raise DomainError(_("只有已移送、尚未登记回执的案件可以登记回执。"), field="receipt_on")
    if not receipt_on or receipt_on < transfer.sent_on:
        raise DomainError(_("回执日期不能早于移送日期。"), field="receipt_on")
    before = snapshot(transfer, TRANSFER_FIELDS)
    transfer.receipt_on = receipt_on
    transfer.save(update_fields=["receipt_on"])
    clock_services.clock_start(obj=transfer.case, rule_code="penalty.transfer.accept", actor=actor,
                               start_date=receipt_on)
    _transfer_audit("transfer_receipt", transfer, actor=actor, before=before)
    return transfer


@transaction.atomic
def transfer_answer(*, transfer: Transfer, accepted: bool, reason: str, actor, on_date=None) -> Transfer:
    """The organ's decision (Art. 8), or its answer to the reconsideration (Art. 9). Accepted → the case may close
    as transferred; refused → the case continues administratively, and reconsideration may be requested within
    3 days of a first refusal."""
    require(actor, "enforcement.case_handle")
    transfer = _locked_transfer(transfer)
    if transfer.status not in (TransferStatus.SENT, TransferStatus.RECONSIDERING):
        raise DomainError(_("只有已移送的案件可以登记公安机关的决定。"), field="accepted")
    if not accepted and not (reason or "").strip():
        raise DomainError(_("请填写公安机关不予立案的理由。"), field="reason")
    day = _today(on_date)
    if day < transfer.sent_on:
        raise DomainError(_("决定日期不能早于移送日期。"), field="on_date")
    before = snapshot(transfer, TRANSFER_FIELDS)
    case = transfer.case
    first = transfer.status == TransferStatus.SENT
    transfer.status = TransferStatus.ACCEPTED if accepted else TransferStatus.REFUSED
    if first:
        transfer.answered_on, transfer.answer_reason = day, (reason or "").strip()
    else:
        transfer.reconsider_answered_on = day
        transfer.reconsider_answer = (reason or "").strip()
    transfer.save(update_fields=["status", "answered_on", "answer_reason", "reconsider_answered_on",
                                 "reconsider_answer"])
    clock_services.clock_stop_for(obj=case, rule_code="penalty.transfer.accept", actor=actor, on_date=day)
    if first and not accepted:
        clock_services.clock_start(obj=case, rule_code="penalty.transfer.reconsider", actor=actor, start_date=day)
    _transfer_audit("transfer_answer", transfer, actor=actor, before=before, reason=reason)
    return transfer


@transaction.atomic
def transfer_reconsider(*, transfer: Transfer, reason: str, actor, on_date=None) -> Transfer:
    """提请复议 (Art. 9) within 3 days of the refusal; the organ's 3-day clock starts again."""
    require(actor, "enforcement.case_approve")
    transfer = _locked_transfer(transfer)
    if transfer.status != TransferStatus.REFUSED or transfer.reconsider_requested_on:
        raise DomainError(_("只能对公安机关首次不予立案的决定提请一次复议。"), rule="penalty.transfer.reconsider",
                          field="reason")
    text = _required(reason, "reason", _("请填写提请复议的理由。"))
    day = _today(on_date)
    case = transfer.case
    clock = _clock(case, "penalty.transfer.reconsider")
    if clock is not None and clock.due_date and day > clock.due_date:
        raise DomainError(_("提请复议的期限已于{d}届满。").format(d=clock.due_date), rule="penalty.transfer.reconsider",
                          field="on_date")
    before = snapshot(transfer, TRANSFER_FIELDS)
    transfer.status, transfer.reconsider_requested_on, transfer.reconsider_reason = (
        TransferStatus.RECONSIDERING, day, text)
    transfer.save(update_fields=["status", "reconsider_requested_on", "reconsider_reason"])
    clock_services.clock_stop_for(obj=case, rule_code="penalty.transfer.reconsider", actor=actor, on_date=day)
    clock_services.clock_start(obj=case, rule_code="penalty.transfer.accept", actor=actor, start_date=day)
    _transfer_audit("transfer_reconsider", transfer, actor=actor, before=before, reason=text)
    return transfer


@transaction.atomic
def case_close_transferred(*, case: Case, summary: str, actor, on_date=None) -> Case:
    """The public-security organ filed the case: the administrative case closes as transferred (decisions made
    before the transfer — 警告, 责令停产停业, licence penalties — are not affected, 移送规定 Art. 11)."""
    if not (summary or "").strip():
        raise DomainError(_("请填写结案报告。"), field="summary")
    day = _today(on_date)
    _fire_with(case, "close_transferred", actor=actor, on_date=day, outcome=Outcome.TRANSFER, closed_on=day,
               closing_summary=summary.strip())
    for code in ("penalty.decision", "penalty.preservation.decide"):
        clock_services.clock_stop_for(obj=case, rule_code=code, actor=actor, on_date=day, outcome="stopped",
                                      reason=_("案件已移送司法机关"))
    transfer = case.transfers.filter(status=TransferStatus.ACCEPTED).first()
    with official_language():
        _render("closing_report", case, actor, number=False, on_date=day, lines=[
            _("案件编号：{n}").format(n=case.number), _("处理结果：{o}").format(o=Outcome.TRANSFER.label),
            _("移送书文号：{d}；接受移送机关：{o}；立案日期：{a}").format(
                d=transfer.letter_number, o=transfer.organ, a=transfer.reconsider_answered_on or transfer.answered_on),
            _("结案报告：{s}").format(s=summary)])
    return case


# --- a party's recusal application (当事人申请回避) ---------------------------------------------------
RECUSAL_FIELDS = ["applicant", "grounds", "received_on", "status", "decided_on", "decision_reason", "notified_on"]


def _recusal_audit(action: str, application, *, actor, reason: str = "") -> None:
    record(action=f"enforcement.{action}", obj=application.case, actor=actor, reason=reason,
           after={"application": application.pk, "officers": [o.name for o in application.officers.all()]}
           | snapshot(application, RECUSAL_FIELDS))


@transaction.atomic
def recusal_apply(*, case: Case, applicant: str, officers, grounds: str, actor, received_on=None):
    """The party applies for the recusal of named officers (Art. 43 para 2); the head decides, and the
    investigation does not stop meanwhile (penalty.guard.recusal)."""
    from .models import RecusalApplication

    require(actor, "enforcement.case_handle")
    if not case.is_open or case.procedure != ProcedureKind.ORDINARY:
        raise DomainError(_("只有办理中的普通程序案件可以申请回避。"), rule="penalty.guard.recusal", field="officers")
    name = _required(applicant, "applicant", _("请填写申请人。"))
    text = _required(grounds, "grounds", _("请填写申请回避的理由。"))
    officers = list(officers or [])
    if not officers:
        raise DomainError(_("请选择申请回避的执法人员。"), field="officers")
    on_case = set(case.officers.values_list("pk", flat=True))
    if any(o.pk not in on_case for o in officers):
        raise DomainError(_("只能对本案承办的执法人员申请回避。"), rule="penalty.guard.recusal", field="officers")
    day = _today(received_on)
    application = RecusalApplication.objects.create(town=case.town, case=case, applicant=name, grounds=text,
                                                    received_on=day)
    application.officers.set(officers)
    _recusal_audit("recusal_apply", application, actor=actor)
    return application


@transaction.atomic
def recusal_application_decide(*, application, grant: bool, reason: str, actor, on_date=None):
    """The head decides: granted → each named officer leaves the case (``recusal_decide``); refused → with
    reasons. The 回避决定书 is served on the party either way."""
    from .models import RecusalApplication, RecusalStatus

    require(actor, "enforcement.case_approve")
    application = RecusalApplication.objects.select_for_update().select_related("case", "case__matter").get(
        pk=application.pk, town_id=application.town_id)
    if application.status != RecusalStatus.PENDING:
        raise DomainError(_("该回避申请已作出决定。"), field="grant")
    text = _required(reason, "reason", _("请填写决定理由。"))
    day = _today(on_date)
    case = application.case
    officers = list(application.officers.all())
    if grant:
        for officer in officers:
            if case.officers.filter(pk=officer.pk).exists():
                recusal_decide(case=case, officer=officer, reason=text, actor=actor)
    application.status = RecusalStatus.GRANTED if grant else RecusalStatus.REFUSED
    application.decided_on, application.decision_reason, application.notified_on = day, text, day
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.save(update_fields=["status", "decided_on", "decision_reason", "notified_on", "decided_by"])
    with official_language():
        names = "、".join(str(o) for o in officers)
        _render("recusal_decision", case, actor, on_date=day, recipient=application.applicant, lines=[
            _("{a}：").format(a=application.applicant),
            _("你于{d}对{n}一案的执法人员{o}提出回避申请，理由：{g}").format(
                d=application.received_on, n=case.number, o=names, g=application.grounds),
            (_("经本机关负责人审查，决定{o}回避，不再参与本案的办理。").format(o=names) if grant
             else _("经本机关负责人审查，决定驳回你的回避申请。")),
            _("理由：{r}").format(r=text),
            _("根据《中华人民共和国行政处罚法》第四十三条，决定作出之前，不停止调查。")])
    _recusal_audit("recusal_application_decide", application, actor=actor, reason=text)
    return application


# --- instalments (分期缴纳, 处罚法 Art. 66 para 2) ------------------------------------------------------
def _rate() -> Decimal:
    return Decimal(str(registry.get("penalty.late_fine.rate").value)) / Decimal(100)


def instalment_accrued(*, amount, outstanding, accrued, accrued_to, due, on) -> Decimal:
    """The late fine accrued on one instalment by ``on`` (paid or not): what the ledger holds up to ``accrued_to``
    plus the registry's rate per day on the part still unpaid from the day after ``accrued_to`` (or after the due
    date), never more than the instalment — so all of them never exceed the fine (处罚法 72(1))."""
    amount, outstanding, accrued = Decimal(str(amount)), Decimal(str(outstanding)), Decimal(str(accrued or 0))
    if due is None:
        return accrued
    since = max(due, accrued_to) if accrued_to else due
    running = (outstanding * _rate() * periods.days_overdue(since, on)).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(amount, accrued + max(Decimal("0"), running))


def instalment_late_fine(*, amount, outstanding, already, due, on, accrued=0, accrued_to=None) -> Decimal:
    """The late fine still owed on one instalment on ``on``: accrued (``instalment_accrued``) less what was paid."""
    total = instalment_accrued(amount=amount, outstanding=outstanding, accrued=accrued, accrued_to=accrued_to,
                               due=due, on=on)
    return max(Decimal("0.00"), total - Decimal(str(already or 0)))


def _day(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def plan_late_fine(instalments, on) -> Decimal:
    """Late fine owed on ``on`` over a plan: ``instalments`` are rows or their audited dicts (the case page)."""
    total = Decimal("0.00")
    for item in instalments:
        get = item.get if isinstance(item, dict) else lambda name, default=None, obj=item: getattr(obj, name, default)
        amount, paid = Decimal(str(get("amount"))), Decimal(str(get("paid_amount")))
        total += instalment_late_fine(amount=amount, outstanding=amount - paid, already=get("late_fine"),
                                      due=_day(get("due_date")), on=on, accrued=get("late_accrued", 0) or 0,
                                      accrued_to=_day(get("accrued_to", None)))
    return total


def _plan_audit(action: str, case: Case, *, actor, reason: str = "", extra=None) -> None:
    rows = list(case.instalments.order_by("seq"))
    record(action=f"enforcement.{action}", obj=case, actor=actor, reason=reason, after={
        "plan": case.pk, **(extra or {}),
        "instalments": [{"seq": i.seq, "amount": i.amount, "due_date": i.due_date, "paid_amount": i.paid_amount,
                         "late_fine": i.late_fine, "late_accrued": i.late_accrued, "accrued_to": i.accrued_to,
                         "paid_on": i.paid_on} for i in rows]})


def parse_instalments(value) -> list[dict]:
    """"30 500" / "30，500" per line (days from approval, amount) or a list of {"days", "amount"} dicts."""
    if isinstance(value, (list, tuple)):
        return [dict(item) for item in value]
    items = []
    for number, line in enumerate(str(value or "").splitlines(), start=1):
        parts = [p for p in line.replace("，", " ").replace(",", " ").split() if p]
        if not parts:
            continue
        if len(parts) != 2:
            raise DomainError(_("第{n}行应写成“天数 金额”，如“30 500”。").format(n=number), field="instalments")
        items.append({"days": parts[0], "amount": parts[1]})
    return items


@transaction.atomic
def instalment_approve(*, case: Case, instalments, reason: str, actor, on_date=None) -> list:
    """The head approves the party's application to pay in instalments (or later): each instalment's due date is its
    own ``penalty.fine.instalment`` clock (the approved number of days from approval); the amounts sum to the fine;
    the single payment clock stops. Renders the 分期（延期）缴纳罚款决定书."""
    from .models import Instalment

    require(actor, "enforcement.case_approve")
    if not case.fine or case.paid_on or case.revoked_on or case.court_applied_on or not case.served_on:
        raise DomainError(_("只有已送达、尚未缴纳的罚款可以批准分期缴纳。"), rule="penalty.fine.instalment",
                          field="instalments")
    if case.instalments.exists():
        raise DomainError(_("本案已批准分期缴纳。"), rule="penalty.fine.instalment", field="instalments")
    text = _required(reason, "reason", _("请填写当事人的申请理由与审批意见。"))
    items = parse_instalments(instalments)
    if not items:
        raise DomainError(_("请至少填写一期。"), field="instalments")
    plan, last = [], 0
    for number, item in enumerate(items, start=1):
        try:
            days = int(str(item.get("days")).strip())
        except (TypeError, ValueError):
            raise DomainError(_("第{n}期的天数须为正整数。").format(n=number), field="instalments") from None
        if days <= last or days > 3650:
            raise DomainError(_("各期天数须为正整数且逐期递增（第{n}期）。").format(n=number), field="instalments")
        amount = _money(item.get("amount"), "instalments", required=True)
        if amount <= 0:
            raise DomainError(_("第{n}期金额须大于零。").format(n=number), field="instalments")
        plan.append((days, amount))
        last = days
    total = sum((a for _d, a in plan), Decimal("0.00"))
    if total != case.fine:
        raise DomainError(_("各期金额合计{t}元，应等于罚款{f}元。").format(t=total, f=case.fine),
                          rule="penalty.fine.instalment", field="instalments")
    day = _today(on_date)
    rows = []
    for seq, (days, amount) in enumerate(plan, start=1):
        row = Instalment.objects.create(town=case.town, case=case, seq=seq, days=days, amount=amount, approved_on=day)
        clock = clock_services.clock_start(obj=row, rule_code="penalty.fine.instalment", actor=actor, start_date=day,
                                           length=days)
        row.due_date = clock.due_date
        row.save(update_fields=["due_date"])
        rows.append(row)
    clock_services.clock_stop_for(obj=case, rule_code="penalty.fine.payment", actor=actor, on_date=day,
                                  outcome="stopped", reason=_("批准分期缴纳"))
    with official_language():
        _render("payment_deferral", case, actor, on_date=day, recipient=case.party_name,
                title=_("分期（延期）缴纳罚款决定书"), lines=[
                    _party_line(case),
                    _("你（单位）因确有经济困难申请分期（延期）缴纳{n}确定的罚款{f}元。经本机关负责人批准，同意分{k}期缴纳：").format(
                        n=case.decision_number, f=case.fine, k=len(rows))]
                + [_("第{s}期：{a}元，于{d}前缴纳。").format(s=r.seq, a=r.amount, d=r.due_date or "—") for r in rows]
                + [_("逾期不缴纳的，自该期期限届满次日起每日按该期未缴金额的百分之三加处罚款。"),
                   _("理由：{r}").format(r=text)])
    _plan_audit("instalment_approve", case, actor=actor, reason=text)
    return rows


@transaction.atomic
def instalment_pay(*, case: Case, paid_on, amount, actor) -> Case:
    """A payment under the plan, allocated to the instalments in order (each one's late fine first); when all are
    paid the case records the payment and may close."""
    from .models import Instalment

    require(actor, "enforcement.case_handle")
    rows = list(Instalment.objects.select_for_update().filter(case=case, paid_on__isnull=True).order_by("seq"))
    if not rows:
        raise DomainError(_("本案没有待缴的分期。"), rule="penalty.fine.instalment", field="amount")
    if not paid_on:
        raise DomainError(_("请填写缴款日期。"), field="paid_on")
    if paid_on < rows[0].approved_on:
        raise DomainError(_("缴款日期不能早于批准分期的日期。"), field="paid_on")
    money = _money(amount, "amount", required=True)
    if money <= 0:
        raise DomainError(_("缴款金额须大于零。"), field="amount")
    owed = sum((r.outstanding + instalment_late_fine(amount=r.amount, outstanding=r.outstanding,
                                                     already=r.late_fine, due=r.due_date, on=paid_on,
                                                     accrued=r.late_accrued, accrued_to=r.accrued_to)
                for r in rows), Decimal("0.00"))
    if money > owed:
        raise DomainError(_("缴款{m}元超过应缴总额{o}元（含加处罚款）。").format(m=money, o=owed), field="amount")
    if case.status not in (CaseStatus.EXECUTING,):
        CASE.fire(case, "execute", actor=actor, on_date=paid_on)
    left = money
    for row in rows:
        if left <= 0:
            break
        if row.due_date is not None and paid_on > row.due_date:
            # close the ledger up to this payment: later days accrue on what stays unpaid after it
            row.late_accrued = instalment_accrued(amount=row.amount, outstanding=row.outstanding,
                                                  accrued=row.late_accrued, accrued_to=row.accrued_to,
                                                  due=row.due_date, on=paid_on)
            row.accrued_to = paid_on
        late = max(Decimal("0.00"), row.late_accrued - row.late_fine)
        part = min(left, late)
        row.late_fine += part
        left -= part
        principal = min(left, row.outstanding)
        row.paid_amount += principal
        left -= principal
        if row.outstanding == 0:
            row.paid_on = paid_on
            clock_services.clock_stop_for(obj=row, rule_code="penalty.fine.instalment", actor=actor, on_date=paid_on)
        row.save(update_fields=["paid_amount", "late_fine", "late_accrued", "accrued_to", "paid_on"])
    everything = list(case.instalments.all())
    if all(r.paid_on for r in everything):
        late = sum((r.late_fine for r in everything), Decimal("0.00"))
        principal = sum((r.paid_amount for r in everything), Decimal("0.00"))
        Case.objects.filter(pk=case.pk).update(paid_on=paid_on, paid_amount=principal + late, late_fine=late)
        case.paid_on, case.paid_amount, case.late_fine = paid_on, principal + late, late
    _plan_audit("instalment_pay", case, actor=actor, extra={"paid_on": paid_on, "amount": money})
    return case


def overdue_instalments(case: Case, on) -> list:
    return [r for r in case.instalments.filter(paid_on__isnull=True).order_by("seq")
            if r.due_date is not None and on > r.due_date]


# --- seizure and sealing (查封、扣押, 行政强制法 Arts 17-28) -----------------------------------------------
MEASURE_FIELDS = ["kind", "place", "decided_on", "emergency", "reported_on", "decision_number", "status", "testing",
                  "extended", "ended_on", "end_reason"]


def _measure_audit(action: str, measure, *, actor, reason: str = "") -> None:
    clock = _clock(measure, "penalty.seizure.term")
    record(action=f"enforcement.{action}", obj=measure.case, actor=actor, reason=reason, after={
        "measure": measure.pk, **snapshot(measure, MEASURE_FIELDS), "kind_label": measure.get_kind_display(),
        "items": measure.item_lines, "officers": [o.name for o in measure.officers.all()],
        "due_date": getattr(clock, "due_date", None)})


def _locked_measure(measure):
    from .models import CoerciveMeasure

    return CoerciveMeasure.objects.select_for_update().select_related("case", "case__matter", "case__town").get(
        pk=measure.pk, town_id=measure.town_id)


def check_coercion_basis(matter) -> None:
    """penalty.guard.coercion_basis (强制法 Arts 10, 17): only matters whose law sets 查封/扣押; never entrusted."""
    if not matter.coercive_measures_allowed:
        raise DomainError(_("执法事项“{m}”的法律依据没有设定查封、扣押，不得实施行政强制措施。").format(m=matter.name),
                          rule="penalty.guard.coercion_basis", field="kind")
    if matter.source == PowerSource.ENTRUSTED:
        raise DomainError(_("行政强制措施权不得委托：委托事项“{m}”不能实施查封、扣押。").format(m=matter.name),
                          rule="penalty.guard.coercion_basis", field="kind")


@transaction.atomic
def measure_decide(*, case: Case, kind: str, items: str, place: str, officers, actor, emergency: bool = False,
                   on_date=None):
    """查封/扣押 with the head's approval (or on the spot in an emergency: reported to the head within 24 hours),
    by two officers with valid credentials; the 30-day term clock starts; 决定书 and 清单 are rendered."""
    from .models import CoerciveMeasure, MeasureKind

    require(actor, "enforcement.case_handle" if emergency else "enforcement.case_approve")
    if not case.is_open or case.status == CaseStatus.DROPPED:
        raise DomainError(_("案件已结案，不能实施查封、扣押。"), field="kind")
    check_coercion_basis(case.matter)
    if kind not in MeasureKind.values:
        raise DomainError(_("请选择查封或扣押。"), field="kind")
    lines = [line.strip() for line in (items or "").splitlines() if line.strip()]
    if not lines:
        raise DomainError(_("请填写查封（扣押）物品清单（每行一项）。"), field="items")
    where = _required(place, "place", _("请填写实施地点。"))
    day = _today(on_date)
    officers = _case_officers(case.town, officers)
    check_officers(officers, day)
    _check_recusal(case, officers)
    measure = CoerciveMeasure.objects.create(
        town=case.town, case=case, kind=kind, items="\n".join(lines), place=where, decided_on=day,
        emergency=bool(emergency),
        approved_by=None if emergency or not getattr(actor, "is_authenticated", False) else actor)
    measure.officers.set(officers)
    clock = clock_services.clock_start(obj=measure, rule_code="penalty.seizure.term", actor=actor, start_date=day)
    if emergency:
        clock_services.clock_start(obj=measure, rule_code="penalty.coercion.emergency_report", actor=actor,
                                   start_date=day)
    label = measure.get_kind_display()
    with official_language():
        decision = _render("seizure_decision", case, actor, on_date=day, recipient=case.party_name, lines=[
            _party_line(case),
            _("根据{b}和《中华人民共和国行政强制法》第二十二条至第二十四条，本机关决定对下列场所、设施或者财物予以{k}："
              ).format(b=case.matter.basis_citation, k=MeasureKind(kind).label),
            _("地点：{p}").format(p=where), _("期限：自{d}起三十日（至{u}）").format(d=day, u=clock.due_date or "—"),
            _("执法人员：{o}").format(o="、".join(str(o) for o in officers)),
            _("如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。")]
            + [_("附：清单（共{n}项）").format(n=len(lines))])
        _render("seizure_list", case, actor, number=False, on_date=day, recipient=case.party_name, lines=[
            _("决定书文号：{n}").format(n=decision.number)] + [f"{i}. {item}" for i, item in enumerate(lines, start=1)])
    measure.decision_number = decision.number
    measure.save(update_fields=["decision_number"])
    _measure_audit("measure_decide", measure, actor=actor, reason=label)
    return measure


@transaction.atomic
def measure_report(*, measure, approve: bool, reason: str, actor, on_date=None):
    """An emergency measure reported to the head within 24 hours: approved afterwards, or released at once."""
    require(actor, "enforcement.case_approve")
    measure = _locked_measure(measure)
    if not measure.emergency or measure.reported_on:
        raise DomainError(_("该措施不需要补办批准手续。"), rule="penalty.coercion.emergency_report", field="approve")
    if not approve and not (reason or "").strip():
        raise DomainError(_("不批准的须写明理由。"), field="reason")
    day = _today(on_date)
    measure.reported_on = day
    measure.approved_by = actor if approve and getattr(actor, "is_authenticated", False) else None
    measure.save(update_fields=["reported_on", "approved_by"])
    clock_services.clock_stop_for(obj=measure, rule_code="penalty.coercion.emergency_report", actor=actor,
                                  on_date=day)
    _measure_audit("measure_report", measure, actor=actor, reason=reason)
    if not approve:
        _measure_finish(measure, outcome="released", reason=_("负责人认为不应当采取：{r}").format(r=reason.strip()),
                        actor=actor, day=day)
    return measure


@transaction.atomic
def measure_testing(*, measure, start: bool, reason: str = "", actor, on_date=None):
    """检测、检验、检疫或者技术鉴定 (强制法 Art. 25 para 3): the term clock pauses while it lasts (the party is told
    in writing) and resumes afterwards."""
    require(actor, "enforcement.case_handle")
    measure = _locked_measure(measure)
    if measure.status != "in_force":
        raise DomainError(_("该措施已处理完毕。"), field="start")
    clock = _clock(measure, "penalty.seizure.term")
    day = _today(on_date)
    if start:
        if measure.testing:
            raise DomainError(_("检测期间已在暂停计算。"), field="start")
        text = _required(reason, "reason", _("请填写检测、检验、检疫或者技术鉴定的事项和机构。"))
        clock_services.clock_pause(clock=clock, actor=actor, on_date=day,
                                   reason=_("{r}（已书面告知当事人）").format(r=text))
    else:
        if not measure.testing:
            raise DomainError(_("期限未因检测暂停。"), field="start")
        clock_services.clock_resume(clock=clock, actor=actor, on_date=day, reason=reason)
    measure.testing = bool(start)
    measure.save(update_fields=["testing"])
    _measure_audit("measure_testing", measure, actor=actor, reason=reason)
    return measure


@transaction.atomic
def measure_extend(*, measure, days: int, reason: str, actor):
    """One extension of at most 30 days, approved by the head (强制法 Art. 25 para 1-2), notified in writing."""
    require(actor, "enforcement.case_approve")
    measure = _locked_measure(measure)
    if measure.status != "in_force":
        raise DomainError(_("该措施已处理完毕。"), field="days")
    text = _required(reason, "reason", _("请填写延长的理由（情况复杂）。"))
    clock = _clock(measure, "penalty.seizure.term")
    clock = clock_services.clock_extend(clock=clock, days_or_length=days, approver=actor, reason=text, actor=actor,
                                        notice=_("已书面告知当事人延长期限及理由"))
    measure.extended = True
    measure.save(update_fields=["extended"])
    case = measure.case
    with official_language():
        _render("seizure_extension", case, actor, recipient=case.party_name, lines=[
            _party_line(case),
            _("本机关于{d}作出{n}，对{k}的物品实施{k2}。因情况复杂，经本机关负责人批准，决定延长期限{x}日，至{u}。").format(
                d=measure.decided_on, n=measure.decision_number, k="、".join(measure.item_lines[:3]),
                k2=measure.get_kind_display(), x=int(days), u=clock.due_date or "—"),
            _("理由：{r}").format(r=text)])
    _measure_audit("measure_extend", measure, actor=actor, reason=text)
    return measure


def _measure_finish(measure, *, outcome: str, reason: str, actor, day) -> None:
    from .models import MeasureStatus

    measure.status, measure.ended_on, measure.end_reason = outcome, day, reason
    measure.testing = False
    measure.save(update_fields=["status", "ended_on", "end_reason", "testing"])
    clock = _clock(measure, "penalty.seizure.term")
    if clock is not None and clock.status == "paused":
        clock_services.clock_resume(clock=clock, actor=actor, on_date=day)
    clock_services.clock_stop_for(obj=measure, rule_code="penalty.seizure.term", actor=actor, on_date=day)
    clock_services.clock_stop_for(obj=measure, rule_code="penalty.coercion.emergency_report", actor=actor,
                                  on_date=day, outcome="stopped", reason=reason)
    case = measure.case
    kind = "seizure_release" if outcome == MeasureStatus.RELEASED else "seizure_disposal"
    with official_language():
        _render(kind, case, actor, on_date=day, recipient=case.party_name, lines=[
            _party_line(case),
            _("本机关于{d}以{n}对下列物品实施{k}：{i}").format(d=measure.decided_on, n=measure.decision_number,
                                                      k=measure.get_kind_display(), i="、".join(measure.item_lines)),
            _("现决定：{o}。").format(o=MeasureStatus(outcome).label), _("理由：{r}").format(r=reason)])
    _measure_audit("measure_end", measure, actor=actor, reason=reason)


@transaction.atomic
def measure_end(*, measure, outcome: str, reason: str, actor, on_date=None):
    """解除 / 没收 / 销毁 within the term (强制法 Arts 27-28); a late decision shows as overdue on the term clock."""
    from .models import MeasureStatus

    require(actor, "enforcement.case_approve")
    measure = _locked_measure(measure)
    if measure.status != MeasureStatus.IN_FORCE:
        raise DomainError(_("该措施已处理完毕。"), field="outcome")
    if outcome not in (MeasureStatus.RELEASED, MeasureStatus.CONFISCATED, MeasureStatus.DESTROYED):
        raise DomainError(_("请选择解除、没收或者销毁。"), field="outcome")
    text = _required(reason, "reason", _("请填写处理理由。"))
    day = _today(on_date)
    if day < measure.decided_on:
        raise DomainError(_("处理日期不能早于实施日期。"), field="on_date")
    _measure_finish(measure, outcome=outcome, reason=text, actor=actor, day=day)
    return measure


# --- the display period (公示期满撤下) -------------------------------------------------------------------
def display_end(publication: Publication):
    """The last day of the publication's display period (``enfpub.display_period``, the town's override if any),
    computed by the clocks engine; None when the calendar year needed is not loaded yet."""
    from clocks.calendar import DbCalendar

    rule = registry.get_clock_rule("enfpub.display_period")
    length, source = clock_services.effective_length(rule, town_id=publication.town_id)
    try:
        return clock_services.compute_rule(rule, start=publication.published_on, calendar=DbCalendar(), length=length,
                                           length_source=source).due_date
    except DomainError:
        return None


@transaction.atomic
def publications_expire(*, on_date=None, actor=None) -> int:
    """Take down every publication whose display period has passed, with the public reason "公示期满" and an audit
    entry by the system (scheduled daily: enforcement/schedule.py)."""
    day = _today(on_date)
    done = 0
    for publication in (Publication.objects.select_for_update().select_related("case")
                        .filter(withdrawn_on__isnull=True).order_by("id")):
        end = display_end(publication)
        if end is None or day <= end:
            continue
        with official_language():
            reason = str(_("公示期满"))
        publication.withdrawn_on, publication.withdraw_reason, publication.expired = day, reason, True
        publication.save(update_fields=["withdrawn_on", "withdraw_reason", "expired"])
        record(action="enforcement.publication_expire", obj=publication.case, actor=actor, reason=reason,
               after={"publication": publication.pk, "withdrawn_on": day, "display_end": end})
        done += 1
    return done
