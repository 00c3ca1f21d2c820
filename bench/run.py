#!/usr/bin/env python
"""Fazhi benchmarks: prints figures, asserts nothing. Speed is measured here, not in timed tests.

    make bench                     # a fresh SQLite database in var/bench.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench
    .venv/bin/python bench/run.py --entries 50000

Each figure is the median of several runs of the same operation, on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import page_figure as _page_figure  # noqa: E402
from common import setup as _setup  # noqa: E402


def setup(database_url: str | None):
    _setup(database_url, sqlite_name="bench.sqlite3", flush=False)


def timed(fn, repeat: int = 5):
    samples = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def page_figure(client, url: str, repeat: int = 7):
    _page_figure(client, url, repeat, width=40)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000, help="audit entries to write and verify")
    args = parser.parse_args()
    setup(os.environ.get("BENCH_DATABASE_URL"))

    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from audit.context import acting_as
    from audit.services import record

    print(f"database: {connection.vendor}")
    start = time.perf_counter()
    call_command("demo", stdout=StringIO())
    print(f"demo town built in    {time.perf_counter() - start:10.1f} s")
    user = get_user_model().objects.get(username="dispatcher")
    town = user.town

    # Audited writes: chain-head lock, HMAC-SM3 and insert in one transaction each.
    with acting_as(user, channel="cli"):
        start = time.perf_counter()
        for i in range(args.entries):
            record(action="bench.write", obj=town, after={"i": i})
        elapsed = time.perf_counter() - start
    rate = args.entries / elapsed
    print(f"audit.record          {rate:10.0f} entries/s  ({args.entries} entries, one transaction each)")

    from audit.models import AuditEntry

    total = AuditEntry.objects.count()
    seconds, _ = timed(lambda: call_command("audit_verify", "--no-record", stdout=StringIO()), repeat=3)
    print(f"audit_verify          {total / seconds:10.0f} entries/s  ({total} entries in {seconds:.2f} s)")

    import datetime as dt

    from clocks import registry as clock_registry
    from clocks import services as clock_services
    from clocks.calendar import DbCalendar

    starts = [dt.date(2025, 1, 1) + dt.timedelta(days=i % 600) for i in range(2000)]
    for code in ("penalty.hearing.request", "penalty.decision", "petition.handle"):
        rule = clock_registry.get(code)

        def compute_all(rule=rule):
            calendar = DbCalendar()  # one calendar lookup per batch, as a request would use it
            return [clock_services.compute_rule(rule, start=d, calendar=calendar) for d in starts]

        seconds, _ = timed(compute_all, repeat=3)
        print(f"deadline {code:<24} {len(starts) / seconds:8.0f} computations/s (with explanation)")

    client = Client()
    client.force_login(user)
    page_figure(client, "/")
    for url in ("/org/", "/org/grids/", "/org/positions/", "/clocks/", "/clocks/calendar/", "/clocks/calculator/"):
        page_figure(client, url)


if __name__ == "__main__":
    main()
