from .scheduling import Job

JOBS = [
    # Reminders and overdue events: every 15 minutes (each crossing is written once).
    Job(name="clocks.scan", task="clocks.tasks.scan_clocks", every=15 * 60),
]
