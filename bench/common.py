"""What every benchmark in bench/ shares: a fresh database, Django set up, and a page's server time and queries.

Public tools only (Django's test client and CaptureQueriesContext); figures are printed, nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup(database_url: str | None, *, sqlite_name: str, flush: bool = True) -> None:
    """Point Django at ``database_url`` (flushed) or at a fresh ``var/<sqlite_name>`` SQLite file, then migrate."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        db = ROOT / "var" / sqlite_name
        db.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ["FAZHI_TESTING"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    if database_url and flush:
        call_command("flush", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)


def page_figure(client, url: str, repeat: int = 7, width: int = 52) -> None:
    """Print the median server time of GET ``url`` over ``repeat`` runs (after a warm-up) and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, queries = [], 0
    client.get(url)  # warm-up
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    print(f"page {url:<{width}} {statistics.median(samples) * 1000:8.1f} ms server time   {queries:3d} queries")
