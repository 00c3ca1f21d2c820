from clocks.scheduling import Job

JOBS = [
    # S8: a daily job re-verifies the whole chain and the recorded files; auditors are notified on failure.
    Job(name="audit.verify_daily", task="audit.tasks.audit_verify_daily", every=24 * 3600),
]
