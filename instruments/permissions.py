from django.utils.translation import gettext_lazy as _

from access.roles import BUSINESS_ROLES, Role

ACTIONS = {
    # Instruments are business records: every business role sees its town's (三员 do not).
    "instruments.view": (_("查看文书"), BUSINESS_ROLES),
    "instruments.download": (_("下载文书"), BUSINESS_ROLES),
    "instruments.export": (_("导出文书台账"), BUSINESS_ROLES),
    "instruments.make_pdf": (_("生成文书 PDF"), BUSINESS_ROLES - {Role.DISTRICT_SUPERVISOR}),
    # The town's templates are edited in Word and uploaded by the centre, legal reviewers and leaders.
    "instruments.manage_templates": (_("管理文书模板"), {Role.DISPATCHER, Role.LEGAL_REVIEWER, Role.LEADER}),
}
