from clocks.scheduling import Job

JOBS = [
    # Overdue crossings and the grid/village timer: every 10 minutes (each crossing is written once).
    Job(name="events.overdue", task="events.tasks.scan_overdue", every=10 * 60),
]
