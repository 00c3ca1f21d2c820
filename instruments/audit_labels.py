from django.utils.translation import gettext_lazy as _

LABELS = {
    "instruments.render": _("生成文书"),
    "instruments.pdf": _("生成文书 PDF"),
    "instruments.download": _("下载文书"),
    "instruments.download_refused": _("拒绝下载（文件摘要不符）"),
    "instruments.export": _("导出文书台账"),
    "instruments.template_upload": _("上传文书模板"),
}
