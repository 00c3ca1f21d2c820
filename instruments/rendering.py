"""Rendering a DOCX template with docxtpl, safely.

Templates are uploaded by staff, so Jinja runs in an immutable sandbox (no attribute tricks, no
mutation of the context), values are XML-escaped, and the context holds plain data only: model
instances become their ``str()``; dates get a ``<name>_cn`` companion ("2026年3月5日", GB/T 9704 §7.3.5.4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.db.models import Model
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from core.crypto import sm3_hex
from core.errors import DomainError
from core.i18n import official_language

from .docx_builder import TEMPLATES_DIR
from .models import InstrumentKind, InstrumentTemplate

GENERIC_TEMPLATE = "generic.docx"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def date_cn(value) -> str:
    """成文日期: full year, month and day in Arabic numerals, no leading zeros."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def plain(value, *, depth: int = 0):
    """A copy of ``value`` that a sandboxed template can read and nothing else."""
    if depth > 6:
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool, Decimal, dt.date, dt.time)):
        return value
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out[str(key)] = plain(item, depth=depth + 1)
            if isinstance(item, dt.date) and f"{key}_cn" not in value:
                out[f"{key}_cn"] = date_cn(item)
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(item, depth=depth + 1) for item in value]
    return str(value)


def omit(paragraphs, prefixes=(), recipient="") -> list:
    """``paragraphs|omit(omit_prefixes, recipient)``: the paragraphs a dedicated layout does not already show in
    its own fields (those starting with one of ``prefixes``, and a "<recipient>：" salutation line when the layout
    prints the recipient itself). Everything else the service wrote stays in the body."""
    if not paragraphs:
        return []
    starts = tuple(str(p) for p in (prefixes or ()) if str(p))
    salutation = f"{recipient}：" if recipient else None
    return [p for p in paragraphs
            if not (starts and str(p).startswith(starts)) and not (salutation and str(p).strip() == salutation)]


def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(autoescape=True)
    env.filters["omit"] = omit
    return env


@dataclass(frozen=True)
class TemplateSource:
    data: bytes
    label: str  # "本镇第3版", "系统默认", "通用模板"
    sm3: str
    template: InstrumentTemplate | None = None
    is_generic: bool = False

    @property
    def display_label(self) -> str:
        """``label`` in the reader's language (``label`` itself is stored with instruments, in the official one)."""
        if self.template is not None:
            return _("本镇第 {v} 版").format(v=self.template.version)
        return _("通用模板") if self.is_generic else _("系统默认模板")


def shipped_path(kind: InstrumentKind) -> Path:
    """The shipped file for ``kind``: ``templates_docx/<code>.docx`` (a dedicated layout), else the kind's
    ``template_file``, else the generic template."""
    dedicated = TEMPLATES_DIR / f"{kind.code}.docx"
    if kind.code and dedicated.is_file():
        return dedicated
    if kind.template_file:
        path = TEMPLATES_DIR / kind.template_file
        if path.is_file():
            return path
    return TEMPLATES_DIR / GENERIC_TEMPLATE


def shipped_template(kind: InstrumentKind) -> tuple[bytes, bool]:
    """The default file shipped with the system for ``kind`` (or the generic one) and whether it is generic."""
    path = shipped_path(kind)
    return path.read_bytes(), path.name == GENERIC_TEMPLATE


def current_template(*, town, kind: InstrumentKind) -> TemplateSource:
    """The town's latest uploaded version, else the shipped default, else the generic template."""
    own = None
    if town is not None:
        own = (InstrumentTemplate.objects.filter(town=town, kind=kind).order_by("-version").first())
    if own is not None:
        with own.file.open("rb") as fh:
            data = fh.read()
        with official_language():  # the label is stored with the instrument: a record, in the official language
            label = _("本镇第 {v} 版").format(v=own.version)
        return TemplateSource(data=data, label=label, sm3=sm3_hex(data), template=own)
    data, generic = shipped_template(kind)
    with official_language():
        label = _("通用模板") if generic else _("系统默认模板")
    return TemplateSource(data=data, label=label, sm3=sm3_hex(data), is_generic=generic)


def render_docx(data: bytes, context: dict) -> bytes:
    """Render template bytes with a plain context; a broken template is a DomainError, never a 500."""
    try:
        template = DocxTemplate(BytesIO(data))
        template.render(plain(context), environment(), autoescape=True)
        out = BytesIO()
        template.save(out)
    except TemplateError as exc:
        raise DomainError(_("文书模板有误：{error}").format(error=str(exc)), rule="instruments.template_syntax",
                          field="file") from exc
    except Exception as exc:  # a file python-docx cannot read, a broken docx part
        raise DomainError(_("文书模板无法使用：{error}").format(error=type(exc).__name__),
                          rule="instruments.template_invalid", field="file") from exc
    return out.getvalue()


def template_variables(data: bytes) -> set[str]:
    template = DocxTemplate(BytesIO(data))
    return set(template.get_undeclared_template_variables(environment()))
