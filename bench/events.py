#!/usr/bin/env python
"""Events benchmark: 100,000 events in a fresh database, then the server time and query count of the
dispatch board, the event list and a few other event pages. Prints figures, asserts nothing.

    .venv/bin/python bench/events.py                      # fresh SQLite file var/bench-events.sqlite3
    .venv/bin/python bench/events.py --events 20000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_events .venv/bin/python bench/events.py

Target (issue 4): ≤ 10 queries and well under 300 ms for the board and the list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import page_figure as _page_figure  # noqa: E402
from common import setup as _setup  # noqa: E402


def setup(database_url: str | None):
    _setup(database_url, sqlite_name="bench-events.sqlite3")


def load(n_events: int, seed: int = 4):
    from django.utils import timezone

    from access.models import RoleGrant
    from access.roles import Role
    from events.models import Category, Channel, Event, EventStatus, Level, RoutingRule
    from org.tests import factories as f

    rng = random.Random(seed)
    town = f.TownFactory(name="基准镇", abbreviation="基镇", centre_lat=30.6, centre_lng=108.2)
    sector = f.SectorFactory(town=town, code="safety", name="平安法治")
    positions = [f.PositionFactory(sector=sector, code=f"post{i}", name=f"岗位{i}") for i in range(9)]
    grids = []
    for v in range(7):
        village = f.VillageFactory(town=town, code=f"V{v}", name=f"村{v}")
        for g in range(3 if v < 2 else 2):
            x, y = 108.1 + len(grids) % 4 * 0.03, 30.55 + len(grids) // 4 * 0.025
            grids.append(f.GridFactory(village=village, code=f"G{len(grids):02d}", name=f"{village.name}网格{g + 1}",
                                       boundary={"type": "Polygon", "coordinates": [[[x, y], [x + .03, y],
                                                 [x + .03, y + .025], [x, y + .025], [x, y]]]}))
    parent = Category.objects.create(town=town, code="all", name="综合")
    cats = [Category.objects.create(town=town, code=f"c{i}", name=f"分类{i}", parent=parent, sla_handle_hours=72)
            for i in range(12)]
    for c in cats:
        RoutingRule.objects.create(town=town, category=c, sector=sector, position=rng.choice(positions))
    dispatcher = f.UserFactory(town=town, username="bench_dispatcher")
    RoleGrant.objects.create(user=dispatcher, role=Role.DISPATCHER)

    now = timezone.now()
    open_states = [EventStatus.REPORTED, EventStatus.ACCEPTED, EventStatus.DISPATCHED, EventStatus.IN_PROGRESS,
                   EventStatus.RESOLVED, EventStatus.VERIFIED, EventStatus.RETURNED, EventStatus.REOPENED]
    batch = []
    started = time.perf_counter()
    for i in range(n_events):
        reported = now - dt.timedelta(minutes=rng.randint(1, 365 * 24 * 60))
        open_ = rng.random() < 0.04
        status = rng.choice(open_states) if open_ else rng.choice([EventStatus.CLOSED] * 30 + [EventStatus.REJECTED])
        cat, grid, pos = rng.choice(cats), rng.choice(grids), rng.choice(positions)
        resolved = reported + dt.timedelta(hours=rng.uniform(1, 120)) if status == EventStatus.CLOSED else None
        batch.append(Event(
            town=town, tracking_code=f"B{i:09d}", title=f"基准事件{i}", description="基准测试数据", category=cat,
            channel=rng.choice(Channel.values), status=status, urgent=rng.random() < 0.01, grid=grid,
            village_id=grid.village_id, sector=sector if status not in (EventStatus.REPORTED,) else None,
            position=pos if status not in (EventStatus.REPORTED, EventStatus.ACCEPTED) else None,
            reported_at=reported, due_at=(reported + dt.timedelta(hours=72)) if open_ else None,
            due_handle_at=reported + dt.timedelta(hours=74), resolved_at=resolved,
            closed_at=resolved + dt.timedelta(hours=4) if resolved else None,
            settlement_level=Level.TOWN if resolved else "", rating=rng.choice([None, None, 3, 4, 5, 5]),
            lat=30.56, lng=108.12))
        if len(batch) == 5000:
            Event.objects.bulk_create(batch)
            batch = []
    if batch:
        Event.objects.bulk_create(batch)
    print(f"loaded {n_events} events (bulk_create) in {time.perf_counter() - started:.1f} s; "
          f"{Event.objects.exclude(status__in=['closed', 'rejected']).count()} open")
    return dispatcher, Event.objects.filter(status=EventStatus.DISPATCHED).first()


def page_figure(client, url: str, repeat: int = 7):
    _page_figure(client, url, repeat, width=42)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    setup(os.environ.get("BENCH_DATABASE_URL"))
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor}")
    dispatcher, event = load(args.events)
    client = Client()
    client.force_login(dispatcher)
    client.get("/")
    for url in ("/events/", "/events/list/", "/events/list/?status=open", "/events/list/?q=基准事件99",
                f"/events/{event.pk}/" if event else "/events/", "/events/stats/", "/events/map/",
                "/api/v1/events/events/?status=open"):
        page_figure(client, url)


if __name__ == "__main__":
    main()
