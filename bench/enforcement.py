#!/usr/bin/env python
"""Enforcement benchmark: a town with many years of cases (20,000 by default, bulk-loaded with their encrypted
party data) and 5,000 publications, then the server time and query count of the case list (plain, filtered,
searched), the supervision page, a case page and the public 公示 pages; the throughput of de-identification
(`services.deidentify`); and the time to build and to verify a 卷宗 ZIP with 40 evidence files.
Prints figures, asserts nothing.

    .venv/bin/python bench/enforcement.py                    # fresh SQLite file var/bench-enforcement.sqlite3
    .venv/bin/python bench/enforcement.py --cases 5000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_enf .venv/bin/python bench/enforcement.py

Target: ≤ 10 queries and well under 300 ms for every page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import page_figure as _page_figure  # noqa: E402
from common import setup as _setup  # noqa: E402


def setup(database_url: str | None):
    os.environ["FAZHI_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-enf-media-")
    _setup(database_url, sqlite_name="bench-enforcement.sqlite3")


def user(town, username, role):
    from access.models import RoleGrant
    from org.tests import factories as f

    u = f.UserFactory(town=town, username=username)
    RoleGrant.objects.create(user=u, role=role)
    return u


def load(n_cases: int, n_publications: int, seed: int = 6):
    from django.utils import timezone

    from access.roles import Role
    from enforcement import models
    from enforcement.tests.factories import MatterFactory, OfficerFactory
    from org.tests import factories as f

    rng = random.Random(seed)
    town = f.TownFactory(name="基准镇", abbreviation="基镇")
    officer_user = user(town, "bench_officer", Role.ENFORCEMENT_OFFICER)
    leader = user(town, "bench_leader", Role.LEADER)
    matters = [MatterFactory(town=town, code=f"BM{i:03d}", name=f"基准执法事项{i}") for i in range(40)]
    officers = [OfficerFactory(town=town, name=f"基准执法员{i}") for i in range(13)]
    officers[0].user = officer_user
    officers[0].save(update_fields=["user"])
    today = timezone.localdate()
    closed = [models.CaseStatus.CLOSED, models.CaseStatus.ARCHIVED]
    open_states = [s for s in models.CaseStatus.values if s not in closed + ["dropped"]]
    batch, started = [], time.perf_counter()
    for i in range(n_cases):
        created = today - dt.timedelta(days=rng.randint(0, 5 * 365))
        status = rng.choice(open_states) if rng.random() < 0.05 else rng.choice(closed)
        decided = created + dt.timedelta(days=rng.randint(5, 80))
        batch.append(models.Case(
            town=town, number=f"基执案〔{created.year}〕{i + 1}号", matter=rng.choice(matters), status=status,
            party_name=rng.choice(["张", "李", "王", "刘", "陈"]) + "某人",
            party_id_number=f"500101199{i % 10}0101{i % 10000:04d}",
            party_phone=f"139{i:08d}", party_address=f"基准村{i % 30}组{i % 50}号", place="基准村主干道",
            facts=f"基准案情{i}：在基准村主干道占道经营，联系电话139{i:08d}。", filed_on=created,
            outcome="penalty" if status in closed else "", fine=rng.choice([200, 500, 1000, 5000]),
            decided_on=decided if status in closed else None, decision_number=f"基罚决〔{created.year}〕{i + 1}号"))
        if len(batch) == 2000:
            models.Case.objects.bulk_create(batch)
            batch = []
    if batch:
        models.Case.objects.bulk_create(batch)
    print(f"loaded {n_cases} cases (bulk_create, 3 encrypted fields each) in {time.perf_counter() - started:.1f} s")
    through = models.Case.officers.through
    links = [through(case_id=pk, officer_id=officers[k % 13].pk)
             for k, pk in enumerate(models.Case.objects.values_list("pk", flat=True)) for _ in (0,)]
    through.objects.bulk_create(links, batch_size=5000)
    pubs = []
    for case in models.Case.objects.filter(status__in=closed).order_by("-pk")[:n_publications]:
        pubs.append(models.Publication(
            town=town, case=case, title=f"{case.decision_number}行政处罚决定", decision_number=case.decision_number,
            party="张某", summary="在基准村主干道占道经营。", penalty="罚款500元", basis="条例第三十六条",
            body="基准镇人民政府",
            decided_on=case.decided_on or today, published_on=case.decided_on or today))
    models.Publication.objects.bulk_create(pubs, batch_size=2000)
    return town, officer_user, leader, officers, matters[0]


def page_figure(client, url: str, repeat: int = 7):
    _page_figure(client, url, repeat, width=52)


def deidentify_figure(n: int = 2000):
    from enforcement import services
    from enforcement.models import Case

    cases = list(Case.objects.select_related("matter", "town").order_by("pk")[:n])
    start = time.perf_counter()
    for case in cases:
        services.deidentify(case)
    elapsed = time.perf_counter() - start
    print(f"deidentify: {len(cases) / elapsed:,.0f} decisions/s ({len(cases)} decisions with ID, phone and address)")


def casefile_figure(town, officer_user, leader, officers, matter, n_evidence: int = 40):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enforcement import services

    case = services.case_open(town=town, matter=matter, actor=officer_user, party_name="赵某某",
                              party_id_number="500101199001011234", party_phone="13900001111",
                              party_address="基准村1组1号", facts="卷宗基准案件。", officers=officers[:2])
    case = services.case_file(case=case, actor=leader)
    rng = random.Random(1)
    for i in range(n_evidence):
        data = rng.randbytes(200_000)  # 200 kB: a photo
        services.evidence_add(case=case, kind="photo", title=f"现场照片{i + 1}", actor=officer_user,
                              upload=SimpleUploadedFile(f"photo{i + 1}.jpg", data, content_type="image/jpeg"))
    start = time.perf_counter()
    archive = services.casefile_zip(case=case, actor=leader)
    built = time.perf_counter() - start
    start = time.perf_counter()
    problems = services.casefile_verify(archive)
    verified = time.perf_counter() - start
    print(f"卷宗 ZIP: {n_evidence} evidence files + instruments, {len(archive) / 1e6:.1f} MB built in "
          f"{built * 1000:.0f} ms, verified in {verified * 1000:.0f} ms ({'intact' if not problems else problems})")
    return case


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--publications", type=int, default=5_000)
    args = parser.parse_args()
    setup(os.environ.get("BENCH_DATABASE_URL"))
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor}")
    town, officer_user, leader, officers, matter = load(args.cases, args.publications)
    case = casefile_figure(town, officer_user, leader, officers, matter)
    deidentify_figure()
    client = Client()
    client.force_login(leader)
    for url in ("/enforcement/cases/", "/enforcement/cases/?status=investigating", "/enforcement/cases/?q=基准案情19",
                f"/enforcement/cases/{case.pk}/", "/enforcement/supervision/", "/enforcement/matters/"):
        page_figure(client, url)
    client.logout()
    for url in (f"/enforcement/public/{town.code}/", f"/enforcement/public/{town.code}/decisions/",
                f"/enforcement/public/{town.code}/decisions/?page=40"):
        page_figure(client, url)


if __name__ == "__main__":
    main()
