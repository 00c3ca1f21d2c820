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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None):
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        db = ROOT / "var" / "bench.sqlite3"
        db.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ["FAZHI_TESTING"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(fn, repeat: int = 5):
    samples = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def page_figure(client, url: str, repeat: int = 7):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def one():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries)

    client.get(url)  # warm-up (the first request after login also writes the session)
    seconds, queries = timed(one, repeat)
    print(f"page {url:<40} {seconds * 1000:8.1f} ms server time   {queries:3d} queries")


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
