"""Instrument kinds for the transfer, recusal and seizure workflows (editable data, like instruments' seed)."""

from django.db import migrations

# code, name, abbreviation, numbered, basis
KINDS = [
    ("crime_transfer", "涉嫌犯罪案件移送书", "移罪", True, "行政执法机关移送涉嫌犯罪案件的规定第六条、第八条"),
    ("transfer_materials", "移送材料清单", "", False, "行政执法机关移送涉嫌犯罪案件的规定第六条"),
    ("recusal_decision", "回避决定书", "回避", True, "行政处罚法第四十三条"),
    ("seizure_disposal", "没收（销毁）查封扣押物品决定书", "查扣处", True, "行政强制法第二十七条"),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("instruments", "InstrumentKind")
    order = (Kind.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    for offset, (code, name, abbreviation, numbered, basis) in enumerate(KINDS):
        Kind.objects.get_or_create(code=code, defaults={
            "name": name, "abbreviation": abbreviation, "category": "enforcement", "numbered": numbered,
            "template_file": "", "basis": basis, "order": order + offset})


def unseed(apps, schema_editor):
    apps.get_model("instruments", "InstrumentKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0006_workflows"), ("instruments", "0002_seed_kinds")]
    operations = [migrations.RunPython(seed, unseed)]
