"""Keyset pagination on ``seq``: constant cost per page whatever the size of the log (no OFFSET)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class KeysetPage:
    rows: list
    newer: int | None  # ?after=<newer> shows the page above
    older: int | None  # ?before=<older> shows the page below
    size: int

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _int(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def keyset_page(qs, params, *, size: int = 50, key: str = "seq") -> KeysetPage:
    before, after = _int(params.get("before")), _int(params.get("after"))
    if after is not None and before is None:
        rows = list(qs.filter(**{f"{key}__gt": after}).order_by(key)[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows=rows, size=size,
                          newer=getattr(rows[0], key) if rows and has_newer else None,
                          older=getattr(rows[-1], key) if rows else after + 1)
    page_qs = qs.filter(**{f"{key}__lt": before}) if before is not None else qs
    rows = list(page_qs.order_by(f"-{key}")[: size + 1])
    has_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows=rows, size=size,
                      newer=getattr(rows[0], key) if rows and before is not None else (before - 1 if before else None),
                      older=getattr(rows[-1], key) if rows and has_older else None)
