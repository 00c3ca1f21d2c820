from clocks.scheduling import Job

JOBS = [
    # Overdue crossings, the per-category grid/village timers and the district answer reminders: every 10 minutes
    # (each crossing, move and reminder is written once).
    Job(name="events.overdue", task="events.tasks.scan_overdue", every=10 * 60),
]
