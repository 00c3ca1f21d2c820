"""The two instruments of this module: 人民调解协议书 (调解法 Art. 29) and 信访事项处理意见书 (信访工作条例
Arts 32, 34). They render with the generic template until a town uploads its own."""

from django.db import migrations

KINDS = [
    ("mediation_agreement", "人民调解协议书", "调协", "other", True, "", "人民调解法第二十八条至第三十一条"),
    ("petition_opinion", "信访事项处理意见书", "信处", "other", True, "", "信访工作条例第三十二条、第三十四条"),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("instruments", "InstrumentKind")
    for order, (code, name, abbreviation, category, numbered, template, basis) in enumerate(KINDS, start=200):
        Kind.objects.update_or_create(code=code, defaults={
            "name": name, "abbreviation": abbreviation, "category": category, "numbered": numbered,
            "template_file": template, "basis": basis, "order": order,
        })


def unseed(apps, schema_editor):
    apps.get_model("instruments", "InstrumentKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0001_initial"),
        ("instruments", "0002_seed_kinds"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
