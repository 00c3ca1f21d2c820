"""Excel import of villages, grids, staff and enterprises.

A file is read whole, every row goes through the same services as the screens (each in a savepoint, so
that every bad row is reported, not only the first), and if any row is bad the whole transaction is rolled
back: **nothing** is imported. A good file is imported in one transaction; each created or updated row
has its own audit entry, and one summary entry ``org.import`` records the file's SM3 digest and where the
file is archived.

Rows are matched on their key (编码 / 网格编码 / 工号 / 统一社会信用代码): an existing key updates the record,
a new key creates it. On update, a blank optional cell leaves the stored value unchanged.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from audit.services import record
from core.crypto import sm3_hex
from core.errors import DomainError

from . import services
from .errors import error_text
from .models import Enterprise, Grid, GridAssignment, GridRole, ImportBatch, Staff, Village

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Column:
    key: str  # the service's field name (or a pseudo-field)
    header: str
    required: bool = False
    help: str = ""
    text: bool = True  # formatted as text in the template (codes, phones, ID numbers)


@dataclass(frozen=True)
class Spec:
    kind: str
    title: str
    columns: tuple
    apply: Callable  # apply(town, values, actor, ctx) -> "created" | "updated" | "unchanged"

    def header_for(self, key: str | None) -> str:
        for c in self.columns:
            if c.key == key:
                return str(c.header)
        return ""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    batch: ImportBatch
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _optional(existing, mapping: dict) -> dict:
    """The changes a row asks for: on update, blank optional cells are left out (unchanged).

    Required cells are checked as non-blank before a row is applied, so only optional ones can be blank.
    """
    if existing is None:
        return {k: v for k, v in mapping.items() if v is not None}
    return {k: v for k, v in mapping.items() if v not in ("", None)}


def _lookup(model, town, *, key: str, value: str, field_name: str, what: str):
    if not value:
        return None
    obj = model._default_manager.filter(town=town, **{key: value}).first()
    if obj is None:
        raise DomainError(_("{what}“{value}”不存在。").format(what=what, value=value), rule="org.import.reference",
                          field=field_name)
    return obj


def _upsert(existing, create: Callable, update: Callable, changes: dict) -> str:
    if existing is None:
        create(**changes)
        return "created"
    before = services.state(existing)
    update(**changes)
    return "updated" if services.state(existing) != before else "unchanged"


# --- one function per kind: (town, row values, actor) -> outcome --------------------------------------

KIND_LABELS = {"village": Village.Kind.VILLAGE, "村": Village.Kind.VILLAGE, "community": Village.Kind.COMMUNITY,
               "社区": Village.Kind.COMMUNITY, "居委会": Village.Kind.COMMUNITY}


def _apply_village(town, values: dict, actor) -> str:
    existing = Village.objects.filter(town=town, code=values["code"]).first()
    kind = values.get("kind", "")
    if kind:
        if kind not in KIND_LABELS:
            raise DomainError(_("类型须为“村”或“社区”。"), rule="org.choice", field="kind")
        kind = KIND_LABELS[kind]
    changes = _optional(existing, {
        "code": values["code"], "name": values["name"], "kind": kind, "households": values.get("households", ""),
        "population": values.get("population", ""), "village_committees": values.get("village_committees", "")})
    return _upsert(existing, lambda **c: services.village_create(town=town, actor=actor, **c),
                   lambda **c: services.village_update(village=existing, actor=actor, **c), changes)


def _apply_grid(town, values: dict, actor) -> str:
    existing = Grid.objects.filter(town=town, code=values["code"]).first()
    village = _lookup(Village, town, key="code", value=values.get("village", ""), field_name="village",
                      what=_("村(社区)编码"))
    changes = _optional(existing, {
        "code": values["code"], "name": values["name"], "village": village,
        "households": values.get("households", ""), "population": values.get("population", ""),
        "boundary": values.get("boundary", "")})
    return _upsert(existing, lambda **c: services.grid_create(town=town, actor=actor, **c),
                   lambda **c: services.grid_update(grid=existing, actor=actor, **c), changes)


ROLE_LABELS = {str(label): value for value, label in GridRole.choices} | {v: v for v in GridRole.values}


def _apply_staff(town, values: dict, actor) -> str:
    existing = Staff.objects.filter(town=town, code=values["code"]).first()
    grid_code, role_label = values.get("grid", ""), values.get("grid_role", "")
    if bool(grid_code) != bool(role_label):
        raise DomainError(_("网格编码和网格角色须同时填写或同时留空。"), rule="org.import.grid_role",
                          field="grid_role" if grid_code else "grid")
    if role_label and role_label not in ROLE_LABELS:
        raise DomainError(_("网格角色“{v}”不正确，可选：{choices}。").format(
            v=role_label, choices="、".join(str(label) for _v, label in GridRole.choices)),
            rule="org.choice", field="grid_role")
    grid = _lookup(Grid, town, key="code", value=grid_code, field_name="grid", what=_("网格编码"))
    changes = _optional(existing, {
        "code": values["code"], "name": values["name"], "title": values.get("title", ""),
        "phone": values.get("phone", ""), "id_number": values.get("id_number", "")})
    outcome = _upsert(existing, lambda **c: services.staff_create(town=town, actor=actor, **c),
                      lambda **c: services.staff_update(staff=existing, actor=actor, **c), changes)
    if grid is not None:
        staff = Staff.objects.get(town=town, code=values["code"])
        role = ROLE_LABELS[role_label]
        if not GridAssignment.objects.filter(grid=grid, staff=staff, role=role).exists():
            services.grid_assignment_add(grid=grid, staff=staff, role=role, actor=actor)
            outcome = "created" if outcome == "created" else "updated"
    return outcome


def _apply_enterprise(town, values: dict, actor) -> str:
    from . import validators

    code = validators.clean_credit_code(values.get("credit_code"))
    existing = Enterprise.objects.filter(town=town, credit_code=code).first()
    grid = _lookup(Grid, town, key="code", value=values.get("grid", ""), field_name="grid", what=_("网格编码"))
    liaison = _lookup(Staff, town, key="code", value=values.get("liaison", ""), field_name="liaison",
                      what=_("联系干部工号"))
    changes = _optional(existing, {
        "name": values["name"], "credit_code": code, "industry": values.get("industry", ""), "grid": grid,
        "liaison": liaison, "legal_representative": values.get("legal_representative", ""),
        "contact_phone": values.get("contact_phone", ""), "address": values.get("address", ""),
        "lat": values.get("lat", ""), "lng": values.get("lng", "")})
    return _upsert(existing, lambda **c: services.enterprise_create(town=town, actor=actor, **c),
                   lambda **c: services.enterprise_update(enterprise=existing, actor=actor, **c), changes)


SPECS = {
    "villages": Spec("villages", gettext_lazy("村(社区)"), (
        Column("code", gettext_lazy("编码"), True, gettext_lazy("本镇内唯一，字母、数字、连字符")),
        Column("name", gettext_lazy("名称"), True),
        Column("kind", gettext_lazy("类型"), False, gettext_lazy("村 或 社区，留空为村")),
        Column("households", gettext_lazy("户数"), False, text=False),
        Column("population", gettext_lazy("人口"), False, text=False),
        Column("village_committees", gettext_lazy("两委成员"), False, gettext_lazy("多人用“、”分隔")),
    ), _apply_village),
    "grids": Spec("grids", gettext_lazy("网格"), (
        Column("code", gettext_lazy("网格编码"), True, gettext_lazy("本镇内唯一")),
        Column("name", gettext_lazy("网格名称"), True),
        Column("village", gettext_lazy("村(社区)编码"), True, gettext_lazy("须是本镇已有的村(社区)编码")),
        Column("households", gettext_lazy("户数"), False, text=False),
        Column("population", gettext_lazy("人口"), False, text=False),
        Column("boundary", gettext_lazy("边界GeoJSON"), False, gettext_lazy("Polygon 或 MultiPolygon，可留空")),
    ), _apply_grid),
    "staff": Spec("staff", gettext_lazy("工作人员"), (
        Column("code", gettext_lazy("工号"), True, gettext_lazy("本镇内唯一")),
        Column("name", gettext_lazy("姓名"), True),
        Column("title", gettext_lazy("职务"), False),
        Column("phone", gettext_lazy("手机号"), False, gettext_lazy("11位手机号，请设为文本格式")),
        Column("id_number", gettext_lazy("身份证号"), False, gettext_lazy("18位，请设为文本格式；加密存储")),
        Column("grid", gettext_lazy("网格编码"), False, gettext_lazy("担任网格角色时填写")),
        Column("grid_role", gettext_lazy("网格角色"), False,
               gettext_lazy("网格长、专职网格员、兼职网格员、网格指导员、志愿者、院落长")),
    ), _apply_staff),
    "enterprises": Spec("enterprises", gettext_lazy("企业"), (
        Column("credit_code", gettext_lazy("统一社会信用代码"), True, gettext_lazy("18位，本镇内唯一")),
        Column("name", gettext_lazy("企业名称"), True),
        Column("industry", gettext_lazy("行业"), False),
        Column("grid", gettext_lazy("所在网格编码"), False),
        Column("liaison", gettext_lazy("联系干部工号"), False, gettext_lazy("干部联系企业：本镇工作人员工号")),
        Column("legal_representative", gettext_lazy("法定代表人"), False),
        Column("contact_phone", gettext_lazy("联系电话"), False),
        Column("address", gettext_lazy("地址"), False),
        Column("lat", gettext_lazy("纬度"), False, text=False),
        Column("lng", gettext_lazy("经度"), False, text=False),
    ), _apply_enterprise),
}


def template_workbook(kind: str) -> bytes:
    """The downloadable template: a data sheet with Chinese headers (* = required) and a help sheet."""
    spec = SPECS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = str(spec.title)[:31]
    for col, c in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=col, value=f"{c.header}*" if c.required else str(c.header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3D6D3")
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(12, len(str(c.header)) * 2 + 4)
        if c.text:
            for row in range(2, 502):
                ws.cell(row=row, column=col).number_format = "@"
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(_("填写说明"))
    help_ws.append([_("列名"), _("是否必填"), _("说明")])
    for c in spec.columns:
        help_ws.append([str(c.header), _("必填") if c.required else _("选填"), str(c.help)])
    help_ws.append([])
    help_ws.append([_("规则"), "", _("从第2行起每行一条；编码已存在则更新，不存在则新增；更新时选填列留空表示不修改。"
                                   "任何一行有错误，整个文件都不会导入。")])
    for letter, width in (("A", 18), ("B", 10), ("C", 70)):
        help_ws.column_dimensions[letter].width = width
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_rows(content: bytes, *, file_name: str, spec: Spec) -> list[tuple[int, dict]]:
    """Check the file and return (Excel row number, {key: text}) for every non-blank row."""
    if not file_name.lower().endswith(".xlsx"):
        raise DomainError(_("只能导入 .xlsx 格式的 Excel 文件（请另存为“Excel 工作簿”）。"), rule="org.import.format",
                          field="file")
    if len(content) > MAX_BYTES:
        raise DomainError(_("文件过大：不得超过 {n} MB。").format(n=MAX_BYTES // (1024 * 1024)),
                          rule="org.import.size", field="file")
    if not content.startswith(XLSX_MAGIC):
        raise DomainError(_("文件不是有效的 .xlsx 文件。"), rule="org.import.format", field="file")
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise DomainError(_("文件不是有效的 .xlsx 文件。"), rule="org.import.format", field="file")
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise DomainError(_("文件是空的：第1行应为列名。"), rule="org.import.empty", field="file")
        names = [_text(h).rstrip("*＊").strip() for h in header]
        index = {}
        missing = []
        for c in spec.columns:
            if str(c.header) in names:
                index[c.key] = names.index(str(c.header))
            elif c.required:
                missing.append(str(c.header))
        if missing:
            raise DomainError(_("缺少必填列：{cols}。请使用下载的模板。").format(cols="、".join(missing)),
                              rule="org.import.columns", field="file")
        out = []
        for number, row in enumerate(rows, start=2):
            values = {key: _text(row[i]) if i < len(row) else "" for key, i in index.items()}
            if not any(values.values()):
                continue
            out.append((number, values))
            if len(out) > MAX_ROWS:
                raise DomainError(_("行数过多：一次最多导入 {n} 行。").format(n=MAX_ROWS), rule="org.import.size",
                                  field="file")
    finally:
        wb.close()
    if not out:
        raise DomainError(_("文件中没有数据行。"), rule="org.import.empty", field="file")
    return out


def run_import(*, town, kind: str, content: bytes, file_name: str, actor) -> ImportResult:
    """Validate every row, then import all of them or nothing. Raises ImportFailed with the row errors."""
    if kind not in SPECS:
        raise DomainError(_("不支持的数据类型。"), rule="org.choice", field="kind")
    spec = SPECS[kind]
    services._check(actor, town, "org.import")
    rows = read_rows(content, file_name=file_name, spec=spec)
    digest = sm3_hex(content)
    result = ImportResult(batch=None)
    errors: list[RowError] = []
    key_name = spec.columns[0].key
    with transaction.atomic(), services.requiring("org.import"):
        seen: dict[str, int] = {}
        for number, values in rows:
            row_errors = []
            for c in spec.columns:
                if c.required and not values.get(c.key):
                    row_errors.append(RowError(number, str(c.header),
                                               _("{col}不能为空。").format(col=c.header)))
            key = values.get(key_name, "").upper() if key_name == "credit_code" else values.get(key_name, "")
            if key and key in seen:
                row_errors.append(RowError(number, spec.header_for(key_name),
                                           _("与第 {n} 行重复。").format(n=seen[key])))
            elif key:
                seen[key] = number
            if row_errors:
                errors.extend(row_errors)
                continue
            try:
                with transaction.atomic():
                    outcome = spec.apply(town, values, actor)
            except DomainError as exc:
                errors.append(RowError(number, spec.header_for(exc.field) or spec.header_for(key_name),
                                       error_text(exc)))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        if errors:
            raise ImportFailed(errors)
        result.rows = len(rows)
        path = default_storage.save(f"org/imports/{town.pk}/{digest}.xlsx", ContentFile(content))
        result.batch = ImportBatch.objects.create(
            town=town, kind=kind, file_name=file_name[:255], file_sm3=digest, file_path=path, rows=len(rows),
            created=result.created, updated=result.updated,
            actor=actor if getattr(actor, "is_authenticated", False) else None)
        record(action="org.import", obj=result.batch, actor=actor,
               after={"kind": kind, "rows": len(rows), "created": result.created, "updated": result.updated,
                      "unchanged": result.unchanged},
               files=[{"name": file_name[:255], "path": path, "sm3": digest}])
    return result


def error_workbook(errors: list[dict], *, file_name: str = "") -> bytes:
    from core.exports import build_workbook

    return build_workbook(_("错误报告"), [_("行号"), _("列"), _("问题")],
                          [(e["row"], e["column"], e["message"]) for e in errors],
                          note=_("文件：{name}（未导入任何数据，请改正后重新上传）").format(name=file_name))
