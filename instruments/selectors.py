"""Reads other modules use: the instruments rendered for their records."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from .models import Instrument


def instruments_by_record(*, town_id: int, model, object_ids) -> dict[str, list[Instrument]]:
    """Instruments of several records of one model, newest first, in one query: ``{object_id: [...]}``.

    The caller has already restricted the records; instruments inherit their scope.
    """
    ids = [str(pk) for pk in object_ids]
    found: dict[str, list[Instrument]] = defaultdict(list)
    if not ids:
        return found
    queryset = (Instrument.objects.filter(town_id=town_id, content_type=ContentType.objects.get_for_model(model),
                                          object_id__in=ids)
                .select_related("kind").order_by("-rendered_at", "-pk"))
    for instrument in queryset:
        found[instrument.object_id].append(instrument)
    return found
