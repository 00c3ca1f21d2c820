"""Periodic jobs for ``manage.py scheduler``. Each app may list its own in ``<app>/schedule.py``::

    from clocks.scheduling import Job
    JOBS = [Job(name="events.escalate", task="events.tasks.escalate", every=600)]

The scheduler only *enqueues* tasks (Django task API); ``manage.py db_worker`` runs them.
Jobs must be idempotent: a job enqueued twice does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django_tasks Task
    every: int  # seconds between two enqueues

    def enqueue(self):
        return import_string(self.task).enqueue()


def all_jobs() -> list[Job]:
    jobs = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.schedule")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.schedule":
                raise
            continue
        jobs.extend(getattr(module, "JOBS", []))
    return sorted(jobs, key=lambda j: j.name)
