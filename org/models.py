"""The town's structure: 一中心四板块一网格.

District → Town (the tenant) → Sector (板块) → Position (岗位, A/B holders) ;
Town → Village (村/社区) → Grid (网格) → MicroGrid (微网格) ; Staff with grid roles ; Enterprise with its
liaison cadre (干部联系企业). Every row carries its town; unique constraints and indexes lead with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from access.scope import ScopedManager
from core.crypto import EncryptedTextField, blind_index, mask_id_number, mask_phone
from core.procedure import coloured


class District(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)

    objects = ScopedManager()
    scope_district = ""

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Town(models.Model):
    class Kind(models.TextChoices):
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")
        SUBDISTRICT = "subdistrict", _("街道")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="towns", verbose_name=_("区县"))
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    abbreviation = models.CharField(_("简称"), max_length=16, help_text=_("用于文书编号，如“瀼镇”。"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.TOWN)
    centre_lat = models.FloatField(_("中心纬度"), null=True, blank=True)
    centre_lng = models.FloatField(_("中心经度"), null=True, blank=True)
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    address = models.CharField(_("政府地址"), max_length=255, blank=True)
    phone = models.CharField(_("办公电话"), max_length=32, blank=True)

    objects = ScopedManager()
    scope_town = ""

    class Meta:
        verbose_name = _("镇街")
        verbose_name_plural = _("镇街")
        ordering = ["code"]

    def __str__(self):
        return self.name


class TownScoped(models.Model):
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("镇街"))

    objects = ScopedManager()
    scope_town = "town"

    class Meta:
        abstract = True


class Sector(TownScoped):
    """板块. Seeded with the four defaults; names and count are data."""

    class Code(models.TextChoices):
        PARTY_BUILDING = "party_building", _("党建统领")
        ECONOMY = "economy", _("经济发展")
        LIVELIHOOD = "livelihood", _("民生服务")
        SAFETY_RULE_OF_LAW = "safety_rule_of_law", _("平安法治")

    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=64)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("职能"), blank=True)
    lead = models.ForeignKey("Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_sectors",
                             verbose_name=_("板块负责人"))
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    scope_sector = ""

    class Meta:
        verbose_name = _("板块")
        verbose_name_plural = _("板块")
        ordering = ["town", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="org_sector_town_code")]

    def __str__(self):
        return self.name


@coloured({"staffed": "success", "vacant": "danger", "handing_over": "warning"})
class PositionStatus(models.TextChoices):
    STAFFED = "staffed", _("在岗")
    VACANT = "vacant", _("空缺")
    HANDING_OVER = "handing_over", _("交接中")


class Position(TownScoped):
    """岗位: a post in a sector with a duty list (职责清单), an A holder (主岗) and a B holder (备岗)."""

    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="positions", verbose_name=_("板块"))
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("岗位名称"), max_length=64)
    duties = models.TextField(_("职责清单"), blank=True, help_text=_("每行一项职责。"))
    primary_holder = models.ForeignKey("Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="primary_positions", verbose_name=_("A岗（主岗）"))
    backup_holder = models.ForeignKey("Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="backup_positions", verbose_name=_("B岗（备岗）"))
    status = models.CharField(_("状态"), max_length=16, choices=PositionStatus.choices, default=PositionStatus.VACANT)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    version = models.PositiveIntegerField(default=0, editable=False)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    scope_sector = "sector"

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["town", "sector__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="org_position_town_code")]
        indexes = [models.Index(fields=["town", "sector"], name="org_position_town_sector")]

    def __str__(self):
        return self.name

    @property
    def duty_list(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]


class Village(TownScoped):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.VILLAGE)
    village_committees = models.TextField(_("村(社区)两委"), blank=True, help_text=_("两委班子成员，每行一人。"))
    households = models.PositiveIntegerField(_("户数"), default=0)
    population = models.PositiveIntegerField(_("人口"), default=0)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    class Meta:
        verbose_name = _("村(社区)")
        verbose_name_plural = _("村(社区)")
        ordering = ["town", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="org_village_town_code")]

    def __str__(self):
        return self.name


class Grid(TownScoped):
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="grids", verbose_name=_("村(社区)"))
    code = models.CharField(_("网格编码"), max_length=32)
    name = models.CharField(_("网格名称"), max_length=64)
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    households = models.PositiveIntegerField(_("户数"), default=0)
    population = models.PositiveIntegerField(_("人口"), default=0)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    scope_grid = ""

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["town", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="org_grid_town_code")]
        indexes = [models.Index(fields=["town", "village"], name="org_grid_town_village")]

    def __str__(self):
        return self.name


class MicroGrid(TownScoped):
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="micro_grids", verbose_name=_("网格"))
    code = models.CharField(_("微网格编码"), max_length=32)
    name = models.CharField(_("微网格名称"), max_length=64)
    households = models.PositiveIntegerField(_("户数"), default=0)
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("微网格")
        verbose_name_plural = _("微网格")
        ordering = ["town", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="org_microgrid_town_code")]

    def __str__(self):
        return self.name


class Staff(TownScoped):
    """A person working for the town (cadre, grid worker, officer...), with or without a login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="staff", verbose_name=_("登录账号"))
    code = models.CharField(_("工号"), max_length=32)
    name = models.CharField(_("姓名"), max_length=64)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    phone = EncryptedTextField(_("手机号"), blank=True, default="")
    phone_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True, default="")
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    active = models.BooleanField(_("在职"), default=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["town", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="org_staff_town_code")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.phone_index = blind_index(self.phone or "")
        self.id_number_index = blind_index(self.id_number or "")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"phone_index", "id_number_index"}
        super().save(*args, **kwargs)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class GridRole(models.TextChoices):
    GRID_LEADER = "grid_leader", _("网格长")
    GRID_WORKER_FULLTIME = "grid_worker_fulltime", _("专职网格员")
    GRID_WORKER_PARTTIME = "grid_worker_parttime", _("兼职网格员")
    GRID_INSTRUCTOR = "grid_instructor", _("网格指导员")
    GRID_VOLUNTEER = "grid_volunteer", _("志愿者")
    COURTYARD_HEAD = "courtyard_head", _("院落长")


class GridAssignment(TownScoped):
    """A staff member's role in a grid (1+3+N: 网格长, 专职/兼职网格员, 网格指导员, and N)."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("网格"))
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="grid_assignments",
                              verbose_name=_("人员"))
    role = models.CharField(_("网格角色"), max_length=32, choices=GridRole.choices)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("网格角色")
        verbose_name_plural = _("网格角色")
        ordering = ["town", "grid", "role"]
        constraints = [
            models.UniqueConstraint(fields=["town", "grid", "staff", "role"], name="org_gridassignment_unique"),
        ]

    def __str__(self):
        return f"{self.grid} {self.get_role_display()} {self.staff}"


class Enterprise(TownScoped):
    """An enterprise in the town, with its liaison cadre (干部联系企业)."""

    name = models.CharField(_("企业名称"), max_length=128)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    industry = models.CharField(_("行业"), max_length=64, blank=True)
    grid = models.ForeignKey(Grid, null=True, blank=True, on_delete=models.SET_NULL, related_name="enterprises",
                             verbose_name=_("所在网格"))
    liaison = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="liaison_enterprises", verbose_name=_("联系干部"))
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    address = EncryptedTextField(_("地址"), blank=True, default="")
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    active = models.BooleanField(pgettext_lazy("status", "启用"), default=True)

    scope_grid = "grid"

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["town", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "credit_code"], name="org_enterprise_town_credit")]

    def __str__(self):
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class StaffAbsence(TownScoped):
    """A period when a staff member is away (leave, training, secondment): their B holder acts for them."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="absences", verbose_name=_("人员"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    reason = models.CharField(_("事由"), max_length=200)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人员离岗")
        verbose_name_plural = _("人员离岗")
        ordering = ["town", "-start_date"]
        indexes = [models.Index(fields=["town", "staff", "start_date"], name="org_absence_town_staff")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="org_absence_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.staff} {self.start_date}—{self.end_date}"


class HandoverSlot(models.TextChoices):
    PRIMARY = "primary", _("A岗（主岗）")
    BACKUP = "backup", _("B岗（备岗）")


@coloured({"draft": "secondary", "requested": "warning", "confirmed": "info", "completed": "success",
           "rejected": "danger", "cancelled": "dark"})
class HandoverStatus(models.TextChoices):
    DRAFT = "draft", _("起草")
    REQUESTED = "requested", _("已申请")
    CONFIRMED = "confirmed", _("已确认")
    COMPLETED = "completed", _("已完成")
    REJECTED = "rejected", _("已退回")
    CANCELLED = "cancelled", _("已撤销")


OPEN_HANDOVER_STATUSES = (HandoverStatus.DRAFT, HandoverStatus.REQUESTED, HandoverStatus.CONFIRMED)


class PositionHandover(TownScoped):
    """岗位交接: the A or B holder of a post changes hands (requested → confirmed → completed)."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="handovers",
                                 verbose_name=_("岗位"))
    slot = models.CharField(_("交接岗别"), max_length=16, choices=HandoverSlot.choices)
    from_staff = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("移交人"))
    to_staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收人"))
    status = models.CharField(_("状态"), max_length=16, choices=HandoverStatus.choices,
                              default=HandoverStatus.DRAFT)
    reason = models.TextField(_("交接事由"))
    notes = models.TextField(_("交接清单"), blank=True, help_text=_("在办事项、台账、钥匙印章等，每行一项。"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_sector = "position__sector"

    class Meta:
        verbose_name = _("岗位交接")
        verbose_name_plural = _("岗位交接")
        ordering = ["town", "-created_at"]
        indexes = [models.Index(fields=["town", "position", "status"], name="org_handover_town_position")]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "position", "slot"],
                condition=models.Q(status__in=["draft", "requested", "confirmed"]),
                name="org_handover_one_open_per_slot",
            ),
        ]

    def __str__(self):
        return _("{position}{slot}交接").format(position=self.position, slot=self.get_slot_display())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_HANDOVER_STATUSES


class ImportBatch(TownScoped):
    """One successful Excel import: what file (SM3 digest), what kind, how many rows."""

    class Kind(models.TextChoices):
        VILLAGES = "villages", _("村(社区)")
        GRIDS = "grids", _("网格")
        STAFF = "staff", _("工作人员")
        ENTERPRISES = "enterprises", _("企业")

    kind = models.CharField(_("数据类型"), max_length=16, choices=Kind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sm3 = models.CharField(_("文件SM3摘要"), max_length=64)
    file_path = models.CharField(_("存档路径"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("count", "新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("导入人"))
    at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["town", "-at"]
        indexes = [models.Index(fields=["town", "at"], name="org_importbatch_town_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"
