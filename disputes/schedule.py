from clocks.scheduling import Job

JOBS = [
    # The monthly full screening (每月全面排查): rounds for the current month of every village, planned once.
    Job(name="disputes.screening_plan", task="disputes.tasks.plan_screening", every=6 * 60 * 60),
]
