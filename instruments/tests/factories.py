import factory
from django.utils import timezone

from core.crypto import sm3_hex
from instruments.models import Instrument, InstrumentKind, InstrumentTemplate
from org.tests.factories import TownFactory


class InstrumentFactory(factory.django.DjangoModelFactory):
    """A stored instrument row with a small file (for list and download tests)."""

    class Meta:
        model = Instrument

    town = factory.SubFactory(TownFactory)
    kind = factory.LazyFunction(lambda: InstrumentKind.objects.get(code="notice"))
    number = factory.Sequence(lambda n: f"测府发〔2026〕{n + 1}号")
    year = 2026
    serial = factory.Sequence(lambda n: n + 1)
    title = "关于测试的通知"
    file = factory.django.FileField(filename="t.docx", data=b"docx-bytes")
    sm3 = sm3_hex(b"docx-bytes")
    size = 10
    rendered_at = factory.LazyFunction(timezone.now)


class InstrumentTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstrumentTemplate

    town = factory.SubFactory(TownFactory)
    kind = factory.LazyFunction(lambda: InstrumentKind.objects.get(code="notice"))
    version = factory.Sequence(lambda n: n + 1)
    file = factory.django.FileField(filename="notice.docx", data=b"template-bytes")
    sm3 = sm3_hex(b"template-bytes")
    uploaded_at = factory.LazyFunction(timezone.now)
