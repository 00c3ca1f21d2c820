"""Enqueue the periodic jobs of every app (``<app>/schedule.py``) on the Django task queue.

    python manage.py scheduler            # loop forever (run next to: python manage.py db_worker)
    python manage.py scheduler --once     # enqueue every job once and exit (cron, tests)
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from clocks.scheduling import all_jobs


class Command(BaseCommand):
    help = "周期任务调度：把各应用的周期任务放入任务队列（由 db_worker 执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务只放入一次，然后退出（用于 cron 或测试）。")
        parser.add_argument("--tick", type=int, default=30, help="检查间隔（秒），默认30。")
        parser.add_argument("--job", action="append", default=[], help="只调度指定名称的任务（可重复）。")

    def handle(self, *args, once=False, tick=30, job=(), **options):
        jobs = [j for j in all_jobs() if not job or j.name in job]
        if not jobs:
            self.stderr.write("没有可调度的任务。")
            return
        if once:
            for j in jobs:
                self._enqueue(j)
            return
        self._stop = False
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        next_run = {j.name: 0.0 for j in jobs}
        self.stdout.write("调度器已启动：{names}".format(names="、".join(j.name for j in jobs)))
        while not self._stop:
            now = time.monotonic()
            for j in jobs:
                if now >= next_run[j.name]:
                    self._enqueue(j)
                    next_run[j.name] = now + j.every
            for _i in range(max(1, tick)):
                if self._stop:
                    break
                time.sleep(1)
        self.stdout.write("调度器已停止。")

    def _on_signal(self, signum, frame):
        self._stop = True

    def _enqueue(self, job):
        try:
            result = job.enqueue()
        except Exception as exc:  # noqa: BLE001 - keep scheduling the other jobs
            self.stderr.write(f"任务 {job.name} 入队失败：{exc}")
            return None
        self.stdout.write(f"{job.name}: {result.id} {result.status}")
        return result
